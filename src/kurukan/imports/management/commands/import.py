"""`kurukan import FILE`: the same import as the page, in the foreground, with a progress bar.

The last line is the summary, `created N, updated N, unchanged N, quarantined N, skipped N`; with --json,
one object with those five keys and `job`. Both are interfaces (issue #9): do not reword them.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.accounts.models import Confidentiality, Organisation, User
from kurukan.imports import formats
from kurukan.imports.actions import copy_file, start_import
from kurukan.imports.models import ImportJob
from kurukan.imports.reading import FileRefused
from kurukan.jobs import JobStatus


class Command(BaseCommand):
    help = (
        "Import a file (Kurukan template CSV/XLSX, ACLED export…) into an organisation's records; rows that "
        "cannot go in are kept in the job's quarantine. Ends with: created N, updated N, unchanged N, "
        "quarantined N, skipped N."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file")
        parser.add_argument(
            "--resume", type=int, metavar="JOB", help="finish an interrupted import job (no FILE then)"
        )
        parser.add_argument(
            "--format",
            help="template, acled (and any other installed format); detected from the columns when omitted",
        )
        parser.add_argument(
            "--organisation", metavar="CODE", help="owner of the imported records (required with FILE)"
        )
        parser.add_argument(
            "--user", metavar="NAME", help="the account the import is made as (default: none)"
        )
        parser.add_argument(
            "--confidentiality",
            default=Confidentiality.RESTRICTED,
            choices=Confidentiality.values,
            help="confidentiality of the imported records (default: restricted)",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    def handle(self, *args, **options):
        if options["resume"]:
            return self._run(self._interrupted(options["resume"]), options)
        if not options["file"] or not options["organisation"]:
            raise CommandError("give the FILE and --organisation CODE (or --resume JOB).")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file at {path}.")
        known = formats.registry()
        if options["format"] and options["format"] not in known:
            raise CommandError(
                f"unknown format {options['format']}: choose one of {', '.join(sorted(known))}."
            )
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"no organisation {options['organisation']}: add it with "
                f"`kurukan organisations add {options['organisation']} --name NAME` (see `kurukan organisations list`)."
            )
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user called {options['user']}: check --user NAME.")
        self._ensure_keys()
        try:
            job = start_import(
                user=user,
                organisation=organisation,
                path=copy_file(path),
                filename=path.name,
                format=options["format"],
                confidentiality=options["confidentiality"],
            )
        except FileRefused as refused:
            raise CommandError(f"{refused.message_fr}\n{refused.message_en}") from None
        self._run(job, options)

    def _interrupted(self, job_id: int) -> ImportJob:
        job = ImportJob.objects.select_related("organisation", "requested_by").filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"no import job {job_id}.")
        if not job.is_interrupted:
            raise CommandError(f"import job {job_id} is {job.status}, not interrupted: nothing to resume.")
        return job

    def _run(self, job: ImportJob, options) -> None:
        from kurukan.imports.jobs import run_import

        with tqdm(
            total=100, desc=job.filename, unit="%", file=self.stderr, leave=False, disable=options["json"]
        ) as bar:

            def advance(percent: int) -> None:
                bar.update(max(0, percent - bar.n))

            run_import(job, progress=advance)
        job.refresh_from_db()
        if job.status != JobStatus.DONE:
            raise CommandError(f"import {job.pk} failed: {job.stage}")
        if options["json"]:
            self.stdout.write(json.dumps({**job.summary(), "job": job.pk}))
            return
        if job.quarantined:
            self.stdout.write(
                f"{job.quarantined} rows in quarantine: see /imports/{job.pk}/ to correct them."
            )
        self.stdout.write(job.summary_line)

    def _ensure_keys(self) -> None:
        """A fresh database after `kurukan migrate`: create the encryption keys as the demo does."""
        if settings.ENCRYPTION_KEYS or Path(settings.ENCRYPTION_KEY_FILE).exists():
            return
        call_command("keys", "init", stdout=self.stderr)
