from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kurukan with waitress (a production WSGI server) on KURUKAN_HOST:KURUKAN_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        from waitress import serve

        from kurukan.wsgi import application

        self.stdout.write(f"Kurukan: http://{options['host']}:{options['port']}/  (Ctrl+C to stop)")
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="kurukan",
        )
