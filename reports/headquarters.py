"""The headquarters report: each group headquarters the person may see (it, or one of its subsidiaries, is in
their scope), whether it has a union, and how many of its subsidiaries a union covers, on screen and in Excel.

The counts take every subsidiary of the group, in whichever prefecture: the group is one organising task."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaign_portal.collation import by_pinyin
from enterprises.groups import headquarters_visible_to
from enterprises.models import UnionStatus
from reports.statform.enterprise_lists import write_list
from reports.statform.layout import COUNT_FORMAT, Column, field_label, sheet_name
from reports.statform.names import FILENAME_FORBIDDEN

UNION_FILTERS = {
    "yes": ~Q(union_status=UnionStatus.NONE),
    "no": Q(union_status=UnionStatus.NONE),
}


def headquarters_rows(user, union=""):
    """The headquarters, with `subsidiary_count` and `covered_count`; `union` is "yes", "no" or "" for both."""
    queryset = (
        headquarters_visible_to(user)
        .select_related("county__parent")
        .annotate(
            subsidiary_count=Count("subsidiaries", distinct=True),
            covered_count=Count("subsidiaries", filter=~Q(subsidiaries__union_status=UnionStatus.NONE), distinct=True),
        )
    )
    if union in UNION_FILTERS:
        queryset = queryset.filter(UNION_FILTERS[union])
    return queryset.order_by(by_pinyin("name"), "pk")


def columns():
    return [
        Column(_("Serial no."), lambda row: row.number, align="center", width=6),
        Column(field_label("name"), lambda row: row.item.name, align="left", width=24, fit=True),
        Column(field_label("credit_code"), lambda row: row.item.credit_code, align="left", width=20),
        Column(_("Prefecture"), lambda row: row.item.county.parent.name, align="left", width=10, fit=True),
        Column(field_label("county"), lambda row: row.item.county.name, align="left", width=10, fit=True),
        Column(field_label("union_status"), lambda row: row.item.get_union_status_display(), align="left", fit=True),
        Column(_("Subsidiaries"), lambda row: row.item.subsidiary_count, number_format=COUNT_FORMAT, width=9),
        Column(_("Of which with a union"), lambda row: row.item.covered_count, number_format=COUNT_FORMAT, width=9),
        Column(
            _("Of which without a union"),
            lambda row: row.item.subsidiary_count - row.item.covered_count,
            number_format=COUNT_FORMAT,
            width=9,
        ),
    ]


def unit_of(user):
    return user.organisation.name if user.organisation_id else ""


def write_xlsx(file, user, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(_("Group headquarters"))
    heading = _("Group headquarters and the union coverage of their subsidiaries")
    write_list(sheet, heading, unit_of(user), columns(), rows)
    book.save(file)


def filename():
    name = _("Group headquarters %(date)s") % {"date": timezone.localdate().isoformat()}
    return f"{name.translate(FILENAME_FORBIDDEN)}.xlsx"
