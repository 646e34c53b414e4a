import json
from conftest import client_for, make_incident
def test_smoke(monitor, analyst, client):
    inc = make_incident(monitor)
    c = client_for(monitor)
    r = c.get("/api/incidents?status=&limit=5")
    print(r.status_code, r.json())
    r = c.get(f"/api/incidents/{inc.public_id}")
    print(r.status_code, json.dumps(r.json(), ensure_ascii=False, default=str)[:3000])
    r = client_for(analyst).get(f"/api/incidents/{inc.public_id}")
    print(r.status_code, json.dumps(r.json(), ensure_ascii=False)[:3000])
    print(client.get("/api/incidents").status_code, client.get("/api/incidents").content)
    print(client.get("/api/openapi.json").status_code, client.get("/api/docs").status_code)
    r = c.get("/api/incidents?limit=500&date_from=xx&status=bad")
    print(r.status_code, r.json())
    r = c.post("/api/incidents", {"title": "x", "start_date": "2030-01-01", "commune": "ML050301", "bogus": 1}, content_type="application/json")
    print(r.status_code, r.json())
    r = c.post("/api/incidents", "{not json", content_type="application/json")
    print(r.status_code, r.content)
