"""Reminders of online join applications nobody has touched: first the union that takes one, then its county.

An application waiting for review for 15 days reminds the staff of its union (or, where the union has no
accounts, of the nearest unit above it that has); at 30 days the staff of its county federation. Keys carry
the application's last step, so an application handled and then left again brings fresh reminders.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import JoinApplication
from unions.models import PATH_SEPARATOR, Role, UnionOrg, User

REMIND_UNION_AFTER = datetime.timedelta(days=15)
REMIND_COUNTY_AFTER = datetime.timedelta(days=30)


def join_reminders(now, make_notification, kind):
    """The notifications due at `now`, built with `make_notification(user_id, kind, key, message, url)`."""
    waiting = JoinApplication.objects.waiting().filter(touched_at__lt=now - REMIND_UNION_AFTER)
    waiting = list(waiting.without_secrets().select_related("union"))
    if not waiting:
        return
    staff = _StaffAbove([application.union for application in waiting])
    for application in waiting:
        late = application.touched_at < now - REMIND_COUNTY_AFTER
        recipients = staff.of_county(application.union) if late else staff.nearest(application.union)
        since = timezone.localtime(application.touched_at).date().isoformat()
        message = _("Online join application %(number)s to %(union)s has waited since %(date)s.") % {
            "number": application.number, "union": application.union.name, "date": since,
        }  # fmt: skip
        key = f"join-{'30' if late else '15'}:{application.pk}:{application.touched_at:%Y%m%d%H%M%S}"
        url = reverse("members:application", args=[application.pk])
        yield from (make_notification(user_id, kind, key, message, url) for user_id in recipients)


class _StaffAbove:
    """The staff accounts of the units on the unions' paths, read in two queries whatever their number."""

    def __init__(self, unions):
        codes = {code for union in unions for code in union.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)}
        self.orgs = {org.code: org for org in UnionOrg.objects.filter(code__in=codes).only("pk", "code", "kind")}
        self.by_unit = {}
        users = User.objects.filter(role=Role.STAFF, is_active=True, organisation__code__in=codes)
        for pk, unit_id in users.values_list("pk", "organisation_id"):
            self.by_unit.setdefault(unit_id, []).append(pk)

    def _upwards(self, union):
        codes = reversed(union.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR))
        return [self.orgs[code] for code in codes if code in self.orgs]

    def nearest(self, union):
        """The staff of the union, else of the nearest unit above it that has staff."""
        return next((self.by_unit[org.pk] for org in self._upwards(union) if org.pk in self.by_unit), [])

    def of_county(self, union):
        county = next((org for org in self._upwards(union) if org.kind == UnionOrg.Kind.COUNTY_FEDERATION), None)
        return self.by_unit.get(county.pk, []) if county else self.nearest(union)
