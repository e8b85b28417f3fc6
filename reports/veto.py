"""The veto list (一票否决名单): enterprises without a union whose operator holds a political post, with the post
and how far the campaign's organising case has got. The 组织部 hands it to the united-front and people's-congress
offices; only it and the administrators see it. It names the post, never a person or an identity number."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from campaigns.models import CaseStatus, Grade, OrganisingCase
from enterprises.models import Enterprise, UnionStatus
from reports.statform.enterprise_lists import write_list
from reports.statform.layout import COUNT_FORMAT, Column, field_label, sheet_name
from reports.statform.names import FILENAME_FORBIDDEN


@dataclass
class VetoRow:
    enterprise: Enterprise
    case: OrganisingCase | None

    @property
    def post(self):
        return self.enterprise.operator_post or _("Political post not recorded")

    @property
    def case_state(self):
        """None, under way, union founded or withdrawn: the case's own status words."""
        if self.case is None:
            return _("No organising case")
        return str(CaseStatus(self.case.status).label)

    @property
    def highest_grade(self):
        if self.case is None or self.case.highest_grade is None:
            return ""
        return str(Grade(self.case.highest_grade).label)


def veto_enterprises(prefecture=None):
    """Every enterprise of the registry on the list, by place and name; the caller has checked who is asking."""
    queryset = Enterprise.objects.filter(operator_political_post=True, union_status=UnionStatus.NONE)
    if prefecture is not None:
        queryset = queryset.filter(county__parent=prefecture)
    return queryset.select_related("county__parent").order_by("county_id", "name", "pk")


def with_cases(enterprises, campaign):
    """The enterprises (a page, or all of them) with their organising case in `campaign`, if any."""
    enterprises = list(enterprises)
    cases = {}
    if campaign is not None and enterprises:
        found = OrganisingCase.objects.filter(campaign=campaign, enterprise__in=[e.pk for e in enterprises])
        cases = {case.enterprise_id: case for case in found}
    return [VetoRow(enterprise, cases.get(enterprise.pk)) for enterprise in enterprises]


def columns():
    """The columns the united-front and people's-congress offices asked for, in their order."""
    return [
        Column(_("Serial no."), lambda row: row.number, align="center", width=6),
        Column(field_label("name"), lambda row: row.item.enterprise.name, align="left", width=24, fit=True),
        Column(field_label("credit_code"), lambda row: row.item.enterprise.credit_code, align="left", width=20),
        Column(
            pgettext("veto list", "Prefecture"),
            lambda row: row.item.enterprise.county.parent.name,
            align="left",
            width=10,
            fit=True,
        ),
        Column(
            pgettext("veto list", "County"),
            lambda row: row.item.enterprise.county.name,
            align="left",
            width=10,
            fit=True,
        ),
        Column(
            field_label("headcount"), lambda row: row.item.enterprise.headcount, number_format=COUNT_FORMAT, width=9
        ),
        Column(_("Operator's political post"), lambda row: row.item.post, align="left", width=16, fit=True),
        Column(_("State of the organising work"), lambda row: row.item.case_state, align="left", width=12, fit=True),
        Column(_("Highest grade of measures"), lambda row: row.item.highest_grade, align="left", width=16, fit=True),
    ]


def heading(campaign, prefecture):
    area = prefecture.name if prefecture is not None else _("the whole region")
    if campaign is None:
        return _("Veto list: enterprises without a union whose operator holds a political post, %(area)s") % {
            "area": area
        }
    return _(
        "Veto list of %(campaign)s: enterprises without a union whose operator holds a political post, %(area)s"
    ) % {
        "campaign": campaign,
        "area": area,
    }


def write_xlsx(file, user, rows, *, campaign, prefecture):
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(_("Veto list"))
    unit = user.organisation.name if user.organisation_id else ""
    write_list(sheet, heading(campaign, prefecture), unit, columns(), rows)
    book.save(file)


def filename(prefecture):
    area = prefecture.name if prefecture is not None else ""
    name = _("Veto list %(area)s %(date)s") % {"area": area, "date": timezone.localdate().isoformat()}
    return f"{' '.join(name.split()).translate(FILENAME_FORBIDDEN)}.xlsx"
