from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.accounts.models import User
from kurukan.duplicates.jobs import run_linkage, start_run
from kurukan.duplicates.models import DEFAULT_THRESHOLD, Kind
from kurukan.jobs import JobStatus


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CommandError(
            f"--threshold {text} is not a probability: give a number between 0.05 and 0.99."
        ) from None
    if not 0.05 <= value <= 0.99:
        raise CommandError(f"--threshold {text} is out of range: give a number between 0.05 and 0.99.")
    return value


class Command(BaseCommand):
    help = (
        "Find duplicate people and incidents now (in the foreground, with a progress bar): "
        "`kurukan duplicates find [--kind people|incidents] [--threshold P] [--as USERNAME]`. "
        "The pairs found wait for review at /duplicates/."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["find"])
        parser.add_argument(
            "--kind", choices=[k.value for k in Kind], help="people or incidents (default: both)"
        )
        parser.add_argument(
            "--threshold", default=str(DEFAULT_THRESHOLD), metavar="P",
            help=f"smallest match probability proposed for review (default {DEFAULT_THRESHOLD})",
        )  # fmt: skip
        parser.add_argument(
            "--as", dest="username", metavar="USERNAME",
            help="compare only the records this user may see (default: every record)",
        )  # fmt: skip

    def handle(self, *args, **options):
        threshold = _probability(options["threshold"])
        user = None
        if options["username"]:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no user called {options['username']}: check the --as USERNAME.")
        kinds = [options["kind"]] if options["kind"] else [Kind.PEOPLE, Kind.INCIDENTS]
        failed = []
        for kind in kinds:
            run = start_run(kind, user, threshold)
            with tqdm(total=100, desc=Kind(kind).label, unit="%", file=self.stderr, leave=False) as bar:

                def advance(percent: int, bar=bar) -> None:
                    bar.update(max(0, percent - bar.n))

                run_linkage(run, progress=advance)
            if run.status == JobStatus.DONE:
                self.stdout.write(
                    f"{Kind(kind).label}: {run.n_records} records compared, {run.n_pairs} pairs to review "
                    f"(p ≥ {threshold}); run {run.pk}."
                )
            else:
                failed.append(kind)
                self.stderr.write(f"{Kind(kind).label}: failed — {run.stage}")
        if failed:
            raise CommandError(f"duplicates find failed for {', '.join(failed)}.")
