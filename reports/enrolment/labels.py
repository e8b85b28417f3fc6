"""Short column headings of a members campaign's figures, for the dashboard and the official form."""

from django.utils.translation import gettext_lazy as _

COLUMN_LABELS = {
    "migrant_members": _("Migrant-worker members"),
    "new_migrant_members": _("Joined this year"),
    "baseline": _("2014 baseline"),
    "against_baseline": _("Change against 2014"),
    "four_criteria": _("四要素 enterprises"),
    "four_criteria_with_union": _("with a union"),
    "four_criteria_without_union": _("without a union"),
    "eighty_met": _("80 per cent reached"),
    "eighty_below": _("below 80 per cent"),
    "small": _("Under 25 staff"),
    "small_joint": _("covered by a joint union"),
    "townships": _("Township unions"),
    "townships_meeting": _("meeting 八有"),
}
