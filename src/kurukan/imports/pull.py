"""Pulling submissions from a KoboToolbox or ODK Central server into an import job.

The submissions are fetched page by page through each server's documented API, written to one file in the
shape of that server's own export (KoboToolbox: the data API's JSON; ODK Central: the submissions' CSV with
repeats flattened as `violation[1]/victim[2]/age`), and imported by the same pipeline as an uploaded file:
same validation, same quarantine, same external ids (`_uuid`, `instanceID`), so a submission pulled twice
is counted unchanged, and an edited one updates its record and keeps the previous version in the history.

- KoboToolbox: `GET <url>/api/v2/assets/<uid>/data/?format=json&limit=1000&start=N`, header
  `Authorization: Token <token>`; at most 1,000 per page (the API's limit); pages until `next` is null.
  New submissions only: `query={"_submission_time": {"$gte": <watermark>}}`.
- ODK Central: `GET <url>/v1/projects/<p>/forms/<f>.svc/Submissions?$top=1000&$skip=N&$expand=*` (OData),
  HTTP Basic with the account's e-mail and password, or a bearer token; follows `@odata.nextLink`
  (`$skiptoken`) when the server gives one. New and edited submissions only:
  `$filter=__system/submissionDate ge <w> or __system/updatedAt ge <w>`.

The fetched file waits in the data directory (owner-only) like an upload and is deleted when its job ends.
Server errors become our own message, in the user's language; a server's body is never shown or logged (it
may quote a submission), and neither is the token.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import Request, urlopen

from django.utils import timezone

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from . import actions
from .models import ImportJob, ServerConnection, ServerKind
from .reading import FileRefused, refused

PAGE = 1000  # KoboToolbox serves at most 1,000 submissions a page
TIMEOUT = 30
MAX_PAGES = 10_000  # ten million submissions: a server that never ends its pages is refused, not followed


def _headers(connection: ServerConnection) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "Kurukan"}
    if connection.kind == ServerKind.KOBO:
        headers["Authorization"] = f"Token {connection.secret}"
    elif connection.username:
        pair = f"{connection.username}:{connection.secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    else:
        headers["Authorization"] = f"Bearer {connection.secret}"
    return headers


def _base(connection: ServerConnection) -> str:
    return connection.url.rstrip("/") + "/"


def first_url(connection: ServerConnection, *, since: str = "", limit: int = PAGE, skip: int = 0) -> str:
    """The first page's address, with the watermark filter when there is one."""
    if connection.kind == ServerKind.KOBO:
        params: dict[str, str | int] = {"format": "json", "limit": limit, "start": skip}
        if since:
            params["query"] = json.dumps({"_submission_time": {"$gte": since}})
        return urljoin(_base(connection), f"api/v2/assets/{connection.form_id}/data/?{urlencode(params)}")
    params = {"$top": limit, "$skip": skip, "$expand": "*", "$count": "true"}
    if since:
        params["$filter"] = f"__system/submissionDate ge {since} or __system/updatedAt ge {since}"
    path = f"v1/projects/{connection.project}/forms/{connection.form_id}.svc/Submissions"
    return urljoin(_base(connection), f"{path}?{urlencode(params)}")


def _get(connection: ServerConnection, url: str) -> dict:
    """One page as JSON, or FileRefused with a message naming what to fix."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise refused("L'adresse du serveur doit commencer par https:// (ou http://).")
    if urlsplit(url).netloc != urlsplit(connection.url).netloc:  # a page pointing elsewhere gets no token
        raise refused("Le serveur renvoie vers une autre adresse que la sienne : le relevé est arrêté.")
    headers = _headers(connection)
    request = Request(url, headers={k: v for k, v in headers.items() if k != "Authorization"})  # noqa: S310
    request.add_unredirected_header("Authorization", headers["Authorization"])  # never sent on a redirect
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) checked above
            body = response.read()
    except HTTPError as error:
        if error.code in {401, 403}:
            raise refused(
                "Le serveur refuse l'accès (HTTP %(code)s) : vérifiez le jeton ou le mot de passe, et que ce "
                "compte peut lire les soumissions du formulaire.",
                code=error.code,
            ) from None
        if error.code == 404:
            raise refused(
                "Le serveur ne connaît pas ce formulaire (HTTP 404) : vérifiez l'adresse, le projet et "
                "l'identifiant du formulaire."
            ) from None
        raise refused(
            "Le serveur a répondu par une erreur (HTTP %(code)s) : réessayez plus tard.", code=error.code
        ) from None
    except (URLError, TimeoutError, OSError, ValueError):
        raise refused(
            "Le serveur est injoignable : vérifiez l'adresse et la connexion Internet, puis réessayez."
        ) from None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise refused(
            "Le serveur n'a pas répondu en JSON : l'adresse n'est sans doute pas celle de l'API (par exemple "
            "https://kf.kobotoolbox.org ou https://central.example.org)."
        )
    return data


def pages(connection: ServerConnection, *, since: str = "") -> Iterator[list[dict]]:
    """The submissions, one page at a time."""
    url: str | None = first_url(connection, since=since)
    seen = 0
    for _page in range(MAX_PAGES):
        if url is None:
            return
        data = _get(connection, url)
        if connection.kind == ServerKind.KOBO:
            rows = data.get("results") or []
            following = data.get("next")
        else:
            rows = data.get("value") or []
            following = data.get("@odata.nextLink")
        rows = [row for row in rows if isinstance(row, dict)]
        if not rows:
            return
        seen += len(rows)
        yield rows
        if following:
            url = urljoin(url, following)
        elif connection.kind == ServerKind.ODK and len(rows) >= PAGE:
            url = first_url(connection, since=since, skip=seen)
        else:
            url = None
    raise refused("Le serveur renvoie des pages sans fin : le relevé est arrêté.")


def test(connection: ServerConnection) -> int:
    """Ask for one submission: how many the server holds (raises FileRefused with what to fix)."""
    data = _get(connection, first_url(connection, limit=1))
    if connection.kind == ServerKind.KOBO:
        return int(data.get("count") or len(data.get("results") or []))
    return int(data.get("@odata.count") or len(data.get("value") or []))


def _stamp(connection: ServerConnection, row: dict) -> str:
    if connection.kind == ServerKind.KOBO:
        return str(row.get("_submission_time") or "")
    system = row.get("__system") or {}
    return max(str(system.get("submissionDate") or ""), str(system.get("updatedAt") or ""))


def _flat_odk(row: dict, prefix: str = "") -> dict[str, str]:
    """An OData submission (`$expand=*`) as the columns of ODK Central's CSV, repeats indexed from 1."""
    out: dict[str, str] = {}
    for key, value in row.items():
        if "@odata" in key or key == "__system" or (prefix and key == "__id"):
            continue
        if isinstance(value, dict) and value.get("type") == "Point" and "coordinates" in value:
            point: list = list(value["coordinates"]) + [None, None]
            out[prefix + key] = f"{point[1]} {point[0]}"  # GeoJSON is longitude first; the form, latitude
        elif isinstance(value, dict):
            out.update(_flat_odk(value, f"{prefix}{key}/"))
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for i, child in enumerate(value, start=1):
                out.update(_flat_odk(child, f"{prefix}{key}[{i}]/"))
        elif isinstance(value, list):
            out[prefix + key] = " ".join(str(v) for v in value)
        else:
            out[prefix + key] = "" if value is None else str(value)
    return out


def _private_file(suffix: str) -> tuple[Path, int]:
    target = actions.upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    return target, os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def fetch(connection: ServerConnection, *, full: bool = False) -> tuple[Path | None, int, str]:
    """Fetch the new submissions to a file: (path or None when there is none, count, newest stamp)."""
    since = "" if full else connection.watermark
    submissions: list[dict] = []
    newest = connection.watermark
    for page in pages(connection, since=since):
        for row in page:
            newest = max(newest, _stamp(connection, row))
        submissions.extend(page)
    if not submissions:
        return None, 0, newest
    if connection.kind == ServerKind.KOBO:
        target, fd = _private_file(".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(
                {"count": len(submissions), "next": None, "results": submissions}, out, ensure_ascii=False
            )
        return target, len(submissions), newest
    rows = []
    for submission in submissions:
        flat = _flat_odk(submission)
        system = submission.get("__system") or {}
        rows.append(
            {"SubmissionDate": str(system.get("submissionDate") or ""), **flat, "KEY": flat.get("__id", "")}
        )
    header = list(dict.fromkeys(key for row in rows for key in row if key != "__id"))
    target, fd = _private_file(".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return target, len(submissions), newest


def pull(connection: ServerConnection, *, user=None, full: bool = False) -> ImportJob | None:
    """Fetch and import the new submissions now (in the worker, or the command line).

    Returns the finished import job, or None when the server had nothing new. A refused pull records its
    message on the connection and raises FileRefused; the watermark moves only after a job that ended."""
    from .jobs import run_import

    try:
        path, count, newest = fetch(connection, full=full)
        job = None
        if path is not None:
            job = actions.start_import(
                user=user,
                organisation=connection.organisation,
                path=path,
                filename=f"{connection.get_kind_display()} {connection.name} {timezone.now():%Y-%m-%d %H:%M}",
                format=connection.kind,
                confidentiality=connection.confidentiality,
            )
            run_import(job)
            job.refresh_from_db()
    except FileRefused as problem:
        _note(connection, problem)
        audit.record(Action.IMPORT, user=user, obj=connection, event="pull_refused")
        raise
    if job is None:
        _note(connection, refused("Aucune nouvelle soumission sur le serveur."))
    else:
        connection.last_job = job
        connection.last_message_fr = connection.last_message_en = job.summary_line
        if job.status == "done":
            connection.watermark = newest
    connection.last_pulled_at = timezone.now()
    connection.save(
        update_fields=["last_pulled_at", "last_message_fr", "last_message_en", "last_job", "watermark"]
    )
    audit.record(Action.IMPORT, user=user, obj=connection, event="pull", submissions=count)
    return job


def _note(connection: ServerConnection, message: FileRefused) -> None:
    connection.last_message_fr, connection.last_message_en = (
        message.message_fr[:500],
        message.message_en[:500],
    )
    connection.last_pulled_at = timezone.now()
    connection.save(update_fields=["last_message_fr", "last_message_en", "last_pulled_at"])
