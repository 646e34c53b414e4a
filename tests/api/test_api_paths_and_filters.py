"""The API accepts the trailing slash clients add by habit, and refuses a filter it does not know."""

from __future__ import annotations

import pytest

from conftest import client_for, make_incident


def test_the_list_and_a_record_answer_with_or_without_the_trailing_slash(monitor):
    incident = make_incident(monitor)
    client = client_for(monitor)
    for path in ("/api/incidents", "/api/incidents/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert [row["public_id"] for row in response.json()["items"]] == [incident.public_id]
    for path in (f"/api/incidents/{incident.public_id}", f"/api/incidents/{incident.public_id}/"):
        assert client.get(path).json()["public_id"] == incident.public_id


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_unknown_filter_is_refused_naming_the_parameter(monitor, language):
    make_incident(monitor)
    client = client_for(monitor)
    client.cookies["django_language"] = language
    response = client.get("/api/incidents", {"confidentiality": "restricted", "q": "x"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["confidentiality"]
    assert "confidentiality" in errors[0]["message"]
    assert ("Filtre inconnu" in errors[0]["message"]) == (language == "fr")
