"""The demo's reports: the public bulletin for 2023, published, so the demo shows one without a worker.

Generated in the demo command itself (about two seconds on the demo data), once: a demo restarted keeps it.
"""

from __future__ import annotations

import datetime as dt

from kurukan.accounts.models import User

from . import actions
from .models import Kind, Report


def load_demo() -> None:
    if Report.objects.exists():
        return
    coordinator = User.objects.filter(username="verificateur").first()
    bulletin = actions.start_report(
        user=coordinator,
        kind=Kind.BULLETIN,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2023, 12, 31),
        file_format="docx",
        verified=True,
    )
    bulletin = actions.run_report(bulletin)
    if bulletin.status == "done" and coordinator is not None:
        actions.publish(bulletin, coordinator)
