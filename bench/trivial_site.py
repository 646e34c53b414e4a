"""The load benchmark's baseline: one trivial Django view, served by the same gunicorn settings as Kurukan.

Run as `python bench/trivial_site.py PORT WORKERS THREADS`: the same `kurukan.server.runner` options
(worker class, keep-alive, limits), so the ratio to it measures Kurukan's pages, not the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ok", ok)]


def main() -> None:
    port, workers, threads = (int(value) for value in sys.argv[1:4])
    settings.configure(
        DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"], ROOT_URLCONF=__name__, SECRET_KEY="bench-only-trivial-site"
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    from kurukan.server.runner import Sizing, gunicorn_options

    options = gunicorn_options("127.0.0.1", port, Sizing(workers, threads))
    options["proc_name"] = "kurukan-bench-trivial"
    application = get_wsgi_application()

    class TrivialServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    TrivialServer().run()


if __name__ == "__main__":
    main()
