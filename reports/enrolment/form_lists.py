"""The further sheets of a members campaign's form: what is still to do in the area, one list a sheet.

Sheet 2 lists the 四要素 enterprises without a union, sheet 3 those whose migrant-worker members are fewer than 80 per
cent of the migrant workers they employ, sheet 4 the township and street unions short of 八有 with the items they
miss. Each list is read in a fixed number of grouped queries, whatever the size of the area, and keeps to the
organisation's subtree (enterprises by the unit responsible for them, as the form's figures count them).

The writers take `area`, {"area": the place's name, "year": the campaign's year}, for their headings, and `unit`,
the 填报单位.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.services.members import (
    four_criteria_enterprises,
    gap_to_eighty,
    migrant_members_by_employer,
    townships_of,
)
from enterprises.models import UnionStatus
from reports.enrolment.figures import AreaFigures
from reports.statform.enterprise_lists import identity_columns, write_list
from reports.statform.layout import (
    COUNT_FORMAT,
    Column,
    Group,
    count_column,
    field_label,
    long_date,
    per_cent,
    rate_column,
)
from unions.models import EightHave
from unions.selectors import eight_haves_of

# A 八有 item a township union still misses.
MISSING_MARK = "×"


# Sheets 2 and 3: enterprises


def without_union(org):
    """The 四要素 enterprises the organisation's area answers for that have no union, largest first."""
    return list(
        four_criteria_enterprises(org)
        .filter(union_status=UnionStatus.NONE)
        .select_related("county", "responsible_unit")
        .order_by("-headcount", "credit_code")
    )


def below_eighty(campaign, org):
    """The 四要素 enterprises of the area whose members are fewer than 80 per cent of the migrant workers they
    employ, each with `.members` and `.gap`; the largest gap first."""
    employing = four_criteria_enterprises(org).filter(migrant_workers__gt=0)
    members = migrant_members_by_employer(employing, campaign.year)
    listed = []
    for enterprise in employing.select_related("county", "responsible_unit"):
        enterprise.members = members.get(enterprise.pk, 0)
        enterprise.gap = gap_to_eighty(enterprise.migrant_workers, enterprise.members)
        if enterprise.gap:
            listed.append(enterprise)
    listed.sort(key=lambda enterprise: (-enterprise.gap, enterprise.credit_code))
    return listed


def write_without_union(sheet, area, unit, enterprises):
    columns = [
        *identity_columns(),
        Column(field_label("headcount"), lambda row: row.item.headcount, number_format=COUNT_FORMAT, width=9),
        Column(field_label("migrant_workers"), lambda row: row.item.migrant_workers, number_format=COUNT_FORMAT),
        Column(field_label("party_org"), lambda row: row.item.get_party_org_display(), align="center", width=10),
    ]
    heading = _("四要素 enterprises without a union in %(area)s in %(year)s") % area
    write_list(sheet, heading, unit, columns, enterprises, [_("Largest first.")])


def write_below_eighty(sheet, area, unit, enterprises):
    columns = [
        *identity_columns(),
        count_column(_("Migrant workers employed"), lambda row: row.item.migrant_workers),
        count_column(_("of whom members"), lambda row: row.item.members),
        rate_column(_("Membership rate"), lambda row: per_cent(row.item.members, row.item.migrant_workers)),
        count_column(_("Members still needed"), lambda row: row.item.gap),
    ]
    heading = _("Enterprises below 80 per cent in %(area)s in %(year)s") % area
    notes = [
        _("Members still needed: how many more migrant workers must join for the enterprise to reach 80 per cent."),
        _("The largest number still needed first."),
    ]
    write_list(sheet, heading, unit, columns, enterprises, notes, source=_rolls_as_of())


# Sheet 4: township unions


def townships_missing_items(org):
    """The township and street unions of the area that do not meet 八有, each with `.missing` (item codes), by
    county."""
    townships = townships_of(org).select_related("division")
    met = eight_haves_of(townships)
    listed = []
    for township in townships:
        township.missing = AreaFigures.missing_of(met.get(township.pk, frozenset()))
        if township.missing:
            listed.append(township)
    listed.sort(key=lambda township: (township.division_id or "", township.code))
    return listed


def _missing(item):
    return lambda row: MISSING_MARK if item in row.item.missing else None


def write_townships(sheet, area, unit, townships):
    columns = [
        Column(_("Serial no."), lambda row: row.number, align="center", width=6),
        Column(_("County"), lambda row: row.item.division.name if row.item.division else "", align="left", fit=True),
        Column(_("Township or street union"), lambda row: row.item.name, align="left", width=20, fit=True),
        Column(_("Code"), lambda row: row.item.code, align="center", width=10, fit=True),
        Group(
            _("八有 items not yet met"),
            tuple(Column(str(label), _missing(item), align="center", width=8) for item, label in EightHave.choices),
        ),
        count_column(_("Items missing"), lambda row: len(row.item.missing)),
    ]
    heading = _("Township unions not yet meeting 八有 in %(area)s in %(year)s") % area
    notes = [
        _("× marks an item not yet assessed as met; by county."),
    ]
    source = _("From the 八有 checklists as of %(date)s.") % {"date": long_date(timezone.localdate())}
    write_list(sheet, heading, unit, columns, townships, notes, source=source)


def _rolls_as_of():
    return _("From the member rolls and the enterprise registry as of %(date)s.") % {
        "date": long_date(timezone.localdate())
    }
