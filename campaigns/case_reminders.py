"""Reminders of organising cases that do not move: a case with no step for 30 days reminds its unit.

The staff of the unit that designated the case and of the enterprise's responsible unit hear of it (the 组织部's
reviewers when the 组织部 designated it). Keys carry the case's last step, so a case that moves and then stops
again brings a fresh reminder.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import OrganisingCase
from campaigns.models.push import stale_since
from unions.models import Role, User


def case_reminders(now, make_notification, kind):
    """The notifications due at `now`, built with `make_notification(user_id, kind, key, message, url)`."""
    stale = list(
        OrganisingCase.objects.open()
        .filter(last_step_at__lt=stale_since(now))
        .select_related("enterprise", "designated_by_unit")
    )
    if not stale:
        return
    units = {case.designated_by_unit_id for case in stale} | {case.enterprise.responsible_unit_id for case in stale}
    by_unit = {}
    people = User.objects.filter(is_active=True, organisation_id__in=units, role__in=[Role.STAFF, Role.REVIEWER])
    for pk, unit_id in people.values_list("pk", "organisation_id"):
        by_unit.setdefault(unit_id, []).append(pk)
    for case in stale:
        recipients = set(by_unit.get(case.designated_by_unit_id, [])) | set(
            by_unit.get(case.enterprise.responsible_unit_id, [])
        )
        message = _("No step has been recorded on the case of %(name)s since %(date)s.") % {
            "name": case.enterprise.name,
            "date": case.last_step_at.date().isoformat(),
        }
        key = f"case-stale:{case.pk}:{case.last_step_at:%Y%m%d%H%M%S}"
        url = reverse("campaigns:case", args=[case.pk])
        yield from (make_notification(user_id, kind, key, message, url) for user_id in sorted(recipients))
