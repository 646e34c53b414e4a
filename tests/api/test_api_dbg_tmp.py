import json
from conftest import client_for, make_incident
from kurukan.incidents.api import incident_payload, IncidentOut
def test_dbg(monitor):
    inc = make_incident(monitor)
    p = incident_payload(monitor, inc)
    IncidentOut.model_validate(p)
