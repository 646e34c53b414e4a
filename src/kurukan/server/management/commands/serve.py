import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from kurukan.server import runner
from kurukan.server.checks import unsafe_settings


class Command(BaseCommand):
    help = (
        "Serve Kurukan with a production server sized for this machine (gunicorn on Linux, waitress "
        "elsewhere) on KURUKAN_HOST:KURUKAN_PORT. Warns loudly about unsafe settings (kurukan check --deploy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument(
            "--workers", type=int, default=settings.WEB_WORKERS, help="Processes (default: 2 per core, 2–8)."
        )
        parser.add_argument(
            "--threads", type=int, default=settings.WEB_THREADS, help="Threads per process (default: 4)."
        )
        parser.add_argument("--server", choices=["gunicorn", "waitress"], default=runner.default_server())

    def handle(self, *args, **options):
        warn_about_unsafe_settings(self.stderr)
        sizing = runner.Sizing.for_machine(options["workers"], options["threads"])
        self.stdout.write(
            f"Kurukan: http://{options['host']}:{options['port']}/  ({options['server']}, "
            f"{sizing.workers} processus × {sizing.threads} fils ; Ctrl+C pour arrêter)"
        )
        self.stdout.flush()
        connections.close_all()  # worker processes must not share the checks' database connection
        run = runner.run_gunicorn if options["server"] == "gunicorn" else runner.run_waitress
        run(options["host"], options["port"], sizing)


def warn_about_unsafe_settings(stream) -> None:
    problems = unsafe_settings()
    if not problems:
        return
    rule = "!" * 78
    lines = [rule, "ATTENTION : réglages dangereux pour un serveur en production / UNSAFE SETTINGS"]
    for problem in problems:
        lines.append(f"  [{problem.id}] {problem.msg}")
        lines.append(f"      → {problem.hint}")
    lines.append("  `kurukan check --deploy` échoue tant qu'ils restent (docs/deployment.md).")
    lines.append(rule)
    stream.write("\n".join(lines))
    if hasattr(stream, "flush"):
        stream.flush()
    sys.stderr.flush()
