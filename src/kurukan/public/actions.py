"""Sharing counts between organisations: granted and revoked by a coordinator, each change audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kurukan.accounts.models import CountShare, Organisation, User
from kurukan.audit import log as audit
from kurukan.audit.models import Action


@transaction.atomic
def share_counts(user: User, shared_with: Organisation) -> CountShare:
    share, _created = CountShare.objects.get_or_create(
        organisation_id=user.organisation_id,
        shared_with=shared_with,
        revoked_at__isnull=True,
        defaults={"granted_by": user},
    )
    audit.record(Action.SHARE, user=user, obj=share, counts_only=True, shared_with=shared_with.code)
    return share


@transaction.atomic
def revoke_count_share(user: User, share: CountShare) -> None:
    share.revoked_by, share.revoked_at = user, timezone.now()
    share.save(update_fields=["revoked_by", "revoked_at"])
    audit.record(Action.SHARE, user=user, obj=share, counts_only=True, revoked=True)


@transaction.atomic
def set_public_figures_setting(user: User, include_confidential: bool) -> None:
    """The organisation decides whether its restricted and strictly confidential records count in public
    figures; the cached figures are dropped so the next reader sees the change."""
    from .figures import forget

    organisation = Organisation.objects.select_for_update().get(pk=user.organisation_id)
    organisation.public_figures_include_confidential = include_confidential
    organisation.save(update_fields=["public_figures_include_confidential"])
    audit.record(
        Action.CHANGE, user=user, obj=organisation, public_figures_include_confidential=include_confidential
    )
    forget(Organisation.objects.values_list("pk", flat=True))  # at worst a needless recount if rolled back
