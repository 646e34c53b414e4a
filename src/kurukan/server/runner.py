"""The production web server, sized for the machine: gunicorn on Linux and other Unixes, waitress elsewhere.

Why these numbers (docs/deployment.md, docs/benchmarks.md):
- Worker processes sidestep the GIL: page rendering is CPU-bound Python. Two per core, at least two, at most
  eight (each holds Django, numpy and the templates: ~150 MB).
- Threads inside each worker keep a process busy while another request waits on the database.
- Browsers open several keep-alive connections each; a short keep-alive frees them, and gthread workers
  hold up to `worker_connections` each, so fifty users never queue behind a connection limit.
- Request lines, header counts and header sizes are capped (a larger request gets a 400, not a worker).
- No access log: a list's query string can carry a searched name.
- Ctrl+C stops at once (`quit_now`); SIGTERM still lets requests in flight finish, for up to 30 s.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

KEEPALIVE_SECONDS = 5
TIMEOUT_SECONDS = 120  # an export of a large registry; long jobs run in the worker, not in a request
CONNECTIONS_PER_WORKER = 1000
MAX_HEADER_BYTES = 8190


@dataclass(frozen=True)
class Sizing:
    workers: int
    threads: int

    @classmethod
    def for_machine(cls, workers: int = 0, threads: int = 0, cpus: int | None = None) -> Sizing:
        """0 means "choose for this machine"."""
        if cpus is None:
            cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        cores = cpus or 1
        return cls(workers=workers or max(2, min(2 * cores, 8)), threads=threads or 4)


def default_server() -> str:
    """gunicorn needs fork and Unix sockets semantics; waitress runs anywhere Python does."""
    if sys.platform.startswith("win"):
        return "waitress"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "waitress"
    return "gunicorn"


def gunicorn_options(host: str, port: int, sizing: Sizing) -> dict[str, Any]:
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return {
        "bind": f"{bind_host}:{port}",
        "worker_class": "gthread",
        "workers": sizing.workers,
        "threads": sizing.threads,
        "worker_connections": CONNECTIONS_PER_WORKER,
        "backlog": 2048,
        "keepalive": KEEPALIVE_SECONDS,
        "timeout": TIMEOUT_SECONDS,
        "graceful_timeout": 30,
        "limit_request_line": MAX_HEADER_BYTES,
        "limit_request_fields": 100,
        "limit_request_field_size": MAX_HEADER_BYTES,
        # Recycling a worker now and then bounds the memory a long-lived process gathers.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "kurukan",
        "worker_int": quit_now,
    }


def quit_now(worker) -> None:
    """Ctrl+C (SIGINT) or a quick stop (SIGQUIT) in a worker process: end it now.

    gunicorn's own quick stop raises SystemExit, and the interpreter then waits for the worker's request
    threads. A thread reading from a client that keeps its connection open and sends nothing (a browser tab,
    a slow or hostile client) holds the process until the arbiter kills it after `graceful_timeout`: Ctrl+C
    took 30 s. A quick stop abandons requests in flight by definition, and the database rolls back what
    they had not committed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def without_control_socket(options: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """gunicorn ≥ 25 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl): a second
    server on the machine (the demo beside a test, two installations) takes it over, and stopping either
    deletes the other's. Kurukan does not use it; older versions do not know the setting."""
    if "control_socket_disable" in known:
        return {**options, "control_socket_disable": True}
    return options


def run_gunicorn(host: str, port: int, sizing: Sizing) -> None:
    from gunicorn.app.base import BaseApplication
    from gunicorn.config import KNOWN_SETTINGS

    options = without_control_socket(gunicorn_options(host, port, sizing), {s.name for s in KNOWN_SETTINGS})

    class KurukanServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from kurukan.wsgi import application

            return application

    KurukanServer().run()


def run_waitress(host: str, port: int, sizing: Sizing) -> None:
    from waitress import serve

    from kurukan.wsgi import application

    serve(
        application,
        host=host,
        port=port,
        threads=sizing.workers * sizing.threads,
        connection_limit=CONNECTIONS_PER_WORKER,
        channel_timeout=TIMEOUT_SECONDS,
        max_request_header_size=4 * MAX_HEADER_BYTES,
        backlog=2048,
        ident="kurukan",
    )
