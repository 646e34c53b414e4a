"""A KoboToolbox and ODK Central stand-in for tests: a real HTTP server in a thread serving each data API's
documented page shapes (KoboToolbox's `results`/`next`, ODK Central's OData `value`/`@odata.nextLink`),
checking credentials and honouring the filters Kurukan sends. Used by the pull tests and the browser test."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "kobo-token-5e3a9c"  # noqa: S105 - a test token
ODK_USER, ODK_PASSWORD = "collecte@example.org", "mot-de-passe-odk"


def kobo_submission(n: int, when: str, vtype: str = "liberty.arbitrary_detention") -> dict:
    return {
        "_id": n,
        "_uuid": f"c0ffee00-0000-4000-8000-{n:012d}",
        "_submission_time": when,
        "incident/title": f"Détentions {n}",
        "incident/start_date": "2024-01-09",
        "incident/region": "ML05",
        "incident/cercle": "ML0501",
        "violation": [
            {
                "violation/violation_type": vtype,
                "violation/victim": [{"violation/victim/given_name": "Issa", "violation/victim/age": "17"}],
            }
        ],
        "_attachments": [],
    }


def odk_submission(n: int, when: str) -> dict:
    key = f"uuid:0dc0ffee-0000-4000-8000-{n:012d}"
    return {
        "__id": key,
        "__system": {"submissionDate": when, "updatedAt": None, "submitterName": "collecte"},
        "meta": {"instanceID": key},
        "incident": {
            "title": f"Attaque {n}",
            "start_date": "2023-03-02",
            "region": "ML05",
            "cercle": "ML0503",
            "location": {"type": "Point", "coordinates": [-3.50, 14.08, 0]},
        },
        "violation": [
            {
                "__id": f"v{n}",
                "violation_type": "life.killing_civilians",
                "group": {"men": 2},
                "perpetrator": [{"__id": f"p{n}", "perpetrator_category": "state.fdsm"}],
            }
        ],
        "violation@odata.navigationLink": f"Submissions('{key}')/violation",
    }


class FormServer:
    """KoboToolbox and ODK Central, as far as their data APIs go: pages of 2, auth checked, filters kept."""

    def __init__(self) -> None:
        self.kobo: list[dict] = []
        self.odk: list[dict] = []
        self.requests: list[tuple[str, dict, str]] = []
        self.next_host = ""  # set: KoboToolbox's `next` points to this host instead (a hostile server)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                auth = self.headers.get("Authorization", "")
                server.requests.append((parts.path, query, auth))
                if parts.path == "/api/v2/assets/aFormUid/data/":
                    if auth != f"Token {TOKEN}":
                        return self._send(401, {"detail": "Invalid token."})
                    return self._send(200, server.kobo_page(query))
                if parts.path == "/v1/projects/7/forms/kurukan_incident.svc/Submissions":
                    expected = base64.b64encode(f"{ODK_USER}:{ODK_PASSWORD}".encode()).decode()
                    if auth != f"Basic {expected}":
                        return self._send(401, {"message": "Could not authenticate."})
                    return self._send(200, server.odk_page(query))
                return self._send(404, {"detail": "Not found."})

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def kobo_page(self, query: dict) -> dict:
        rows = self.kobo
        if "query" in query:
            since = json.loads(query["query"])["_submission_time"]["$gte"]
            rows = [r for r in rows if r["_submission_time"] >= since]
        start, limit = int(query.get("start", 0)), min(2, int(query.get("limit", 100)))
        page = rows[start : start + limit]
        following = None
        if start + limit < len(rows):
            base = self.url.replace("127.0.0.1", self.next_host) if self.next_host else self.url
            following = f"{base}/api/v2/assets/aFormUid/data/?format=json&limit={limit}&start={start + limit}"
            if "query" in query:
                following += "&query=" + query["query"]
        return {"count": len(rows), "next": following, "previous": None, "results": page}

    def odk_page(self, query: dict) -> dict:
        rows = self.odk
        if "$filter" in query:
            since = query["$filter"].split(" ge ")[1].split(" ")[0]
            rows = [r for r in rows if r["__system"]["submissionDate"] >= since]
        skip = int(query.get("$skip", 0))
        if "$skiptoken" in query:
            skip = json.loads(base64.b64decode(query["$skiptoken"]))["skip"]
        top = min(2, int(query.get("$top", 100)))
        page = {"@odata.context": "$metadata#Submissions", "value": rows[skip : skip + top]}
        if query.get("$count") == "true":
            page["@odata.count"] = len(rows)
        if skip + top < len(rows):
            token = base64.b64encode(json.dumps({"skip": skip + top}).encode()).decode()
            page["@odata.nextLink"] = f"Submissions?%24top={top}&%24expand=*&%24skiptoken={token}"
        return page

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
