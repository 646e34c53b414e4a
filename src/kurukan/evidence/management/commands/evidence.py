from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.evidence import actions, storage
from kurukan.evidence.models import EvidenceItem


class Command(BaseCommand):
    help = (
        "Evidence files. `verify` decrypts and re-hashes every stored file, logs the result in each item's "
        "custody trail, and exits non-zero if any file is missing or altered."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        items_by_file: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in EvidenceItem.objects.select_related("incident").order_by("pk").iterator(chunk_size=2000):
            items_by_file[item.sha256].append(item)
        total_bytes = sum(items[0].size for items in items_by_file.values())
        failures = 0
        with tqdm(
            total=total_bytes,
            unit="B",
            unit_scale=True,
            file=self.stderr,
            disable=options["verbosity"] < 1,
            desc="evidence verify",
        ) as bar:
            for sha256, items in items_by_file.items():
                # One pass per stored file, however many items (incidents) share its content.
                try:
                    bar.update(storage.verify(sha256))
                    problem = None
                except storage.EvidenceIntegrityError as exc:
                    problem = exc
                    bar.update(items[0].size)
                for item in items:
                    actions.record_custody(
                        item,
                        "verified",
                        None,
                        integrity_ok=problem is None,
                        note=problem.problem if problem else "",
                    )
                    if problem is not None:
                        failures += 1
                        self.stderr.write(
                            f"item {item.pk} (incident {item.incident.public_id}, sha256 {sha256}): {problem.problem}"
                        )
        count = sum(len(items) for items in items_by_file.values())
        if failures:
            raise CommandError(f"Evidence check FAILED: {failures} of {count} item(s) missing or altered.")
        self.stdout.write(f"Evidence intact: {count} item(s), {len(items_by_file)} file(s) verified.")
