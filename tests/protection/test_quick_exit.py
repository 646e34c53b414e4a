"""Quick exit without JavaScript: the form alone ends the session and lands on a neutral page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import client_for


def test_leave_now_is_on_every_page_and_ends_the_session(monitor):
    client = client_for(monitor)
    page = client.get(reverse("incidents:list")).content.decode()
    assert "Quitter maintenant" in page and reverse("accounts:quick_exit") in page
    assert "Quitter maintenant" in Client().get(reverse("accounts:login")).content.decode()
    response = client.post(reverse("accounts:quick_exit"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:neutral")
    assert "cookies" in response["Clear-Site-Data"]
    blank = client.get(response["Location"])
    assert blank.status_code == 200 and b"Kurukan" not in blank.content
    assert "no-store" in blank["Cache-Control"]
    assert client.get(reverse("incidents:list")).status_code == 302  # signed out


def test_leave_now_in_english(monitor):
    client = client_for(monitor)
    client.cookies["django_language"] = "en"
    assert "Leave now" in client.get(reverse("incidents:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
