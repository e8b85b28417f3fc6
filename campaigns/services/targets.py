"""Targets (目标任务分解): set by the organisation department, every change kept."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Target,
    TargetChange,
)
from campaigns.services.errors import (
    WorkflowError,
)


def _target_figures(count, rate):
    return {"union_count": count, "union_rate": str(Decimal(rate).quantize(Decimal("0.1")))}


@transaction.atomic
def targets_set(campaign, entries, *, user):
    """Set the units' targets (目标任务分解) from {unit pk: (count, rate, version seen)}; return how many changed.

    A target someone else changed since the form was opened is refused, so nobody overwrites a figure unseen.
    Every change keeps a row with the figures before and after.
    """
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may set targets."))
    current = {target.unit_id: target for target in Target.objects.select_for_update().filter(campaign=campaign)}
    changed = 0
    for unit_id, (count, rate, version_seen) in entries.items():
        target = current.get(unit_id)
        if (target.version if target else 0) != version_seen:
            raise WorkflowError(
                _("Someone changed the targets after you opened the form. Nothing was saved; reload and try again.")
            )
        after = _target_figures(count, rate)
        before = _target_figures(target.union_count, target.union_rate) if target else None
        if before == after:
            continue
        if target is None:
            target = Target.objects.create(
                campaign=campaign, unit_id=unit_id, union_count=count, union_rate=rate, set_by=user
            )
        else:
            Target.objects.filter(pk=target.pk).update(
                union_count=count, union_rate=rate, set_by=user, set_at=timezone.now(), version=F("version") + 1
            )
        TargetChange.objects.create(target=target, before=before, after=after, changed_by=user)
        changed += 1
    return changed
