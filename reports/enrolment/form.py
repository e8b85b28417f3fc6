"""The official form of a members campaign (农牧民工入会情况统计表), with the lists behind its work still to do.

Sheet 1 is the form itself, laid out as the 2019 campaign's (reports.statform): title, 表号, 制表机关, 填报单位 and
计量单位; grouped headers; the 栏次 row; 合计 first, then each organisation directly below the one asked for, each
followed by the organisations below it (a prefecture by its counties); the check relations, the source and the
signature footer. Its figures are the dashboard's: every line comes from one AreaFigures read of the whole area.

The further sheets (form_lists) list, for the same area, the work still to do: 四要素 enterprises without a union,
enterprises below 80 per cent, township and street unions short of 八有.
"""

from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from reports.enrolment import form_lists
from reports.enrolment.dashboard import children_of
from reports.enrolment.figures import AreaFigures
from reports.enrolment.labels import COLUMN_LABELS
from reports.statform.layout import (
    Column,
    FormTop,
    Group,
    count_column,
    long_date,
    per_cent,
    rate_column,
    sheet_name,
    signature_footer,
    write_statistical_form,
)
from reports.statform.names import FILENAME_FORBIDDEN
from unions.models import UnionOrg
from unions.selectors import display_order

# 表号 of the members form; the organisation department assigns it when it registers the form, change it here then.
MEMBERS_FORM_NUMBER = "ZZB-TJ-02"
# Where the form's table starts: rows 1-4 hold the title and the lines about the form.
HEADER_TOP = 5
CHANGE_COUNT_FORMAT = "+#,##0;-#,##0;0"


# Names


def area_name(org):
    """The place a federation stands for (西藏自治区, 拉萨市); any other organisation by its own name."""
    if org.is_place_federation and org.division_id:
        return org.division.name
    return org.name


def members_form_title(campaign, org):
    return _("Migrant workers joining unions in %(area)s in %(year)s") % {
        "area": area_name(org),
        "year": campaign.year,
    }


def members_form_filename(campaign, org):
    """The form's title, so that a saved copy says what it is."""
    return f"{members_form_title(campaign, org)}.xlsx".translate(FILENAME_FORBIDDEN)


# Sheet 1: the form


def _figure(name):
    return lambda row: row.figures[name]


def _rate(part, whole):
    return lambda row: per_cent(row.figures[part], row.figures[whole])


def form_columns():
    """甲 and 乙, then columns 1-19; the groups follow the 2015 plan's measures."""
    return [
        Column(_("Name of unit"), _row_label, align="left", width=14, fit=True),
        Column(_("Code"), lambda row: row.org.code, align="center", width=8, fit=True),
        Group(
            str(COLUMN_LABELS["migrant_members"]),
            (
                count_column(_("Number of members"), _figure("migrant_members")),
                count_column(str(COLUMN_LABELS["new_migrant_members"]), _figure("new_migrant_members")),
                count_column(str(COLUMN_LABELS["baseline"]), _figure("baseline")),
                Column(
                    str(COLUMN_LABELS["against_baseline"]),
                    _figure("against_baseline"),
                    number_format=CHANGE_COUNT_FORMAT,
                    width=9,
                ),
            ),
        ),
        Group(
            str(COLUMN_LABELS["four_criteria"]),
            (
                count_column(_("Total"), _figure("four_criteria")),
                count_column(str(COLUMN_LABELS["four_criteria_with_union"]), _figure("four_criteria_with_union")),
                count_column(str(COLUMN_LABELS["four_criteria_without_union"]), _figure("four_criteria_without_union")),
                rate_column(_("Union coverage"), _rate("four_criteria_with_union", "four_criteria")),
            ),
        ),
        Group(
            _("The 80 per cent requirement"),
            (
                count_column(_("Enterprises employing migrant workers"), _figure("eighty_employing")),
                count_column(str(COLUMN_LABELS["eighty_met"]), _figure("eighty_met")),
                count_column(str(COLUMN_LABELS["eighty_below"]), _figure("eighty_below")),
                count_column(_("Migrant workers employed"), _figure("eighty_migrant_workers")),
                count_column(_("of whom members"), _figure("eighty_migrant_members")),
                rate_column(_("Membership rate"), _rate("eighty_migrant_members", "eighty_migrant_workers")),
            ),
        ),
        Group(
            _("Small enterprises under 25 staff"),
            (
                count_column(_("Total"), _figure("small")),
                count_column(str(COLUMN_LABELS["small_joint"]), _figure("small_joint")),
            ),
        ),
        Group(
            str(COLUMN_LABELS["townships"]),
            (
                count_column(_("Total"), _figure("townships")),
                count_column(str(COLUMN_LABELS["townships_meeting"]), _figure("townships_meeting")),
                rate_column(_("Rate meeting 八有"), _rate("townships_meeting", "townships")),
            ),
        ),
    ]


class Line(NamedTuple):
    """A line of the form: its level (0 the total, 1 directly below, 2 below that), organisation and figures."""

    level: int
    org: UnionOrg
    figures: dict
    has_lines_below: bool = False


def _row_label(row):
    return _("Total") if row.level == 0 else row.org.short_name or row.org.name


def form_notes():
    return [
        _(
            "Check: 4 = 1 − 3; 5 = 6 + 7; 8 = 6 ÷ 5 × 100; 9 = 10 + 11; 14 = 13 ÷ 12 × 100; 16 ≤ 15; 17 ≥ 18; "
            "19 = 18 ÷ 17 × 100."
        ),
        _("Columns 3 and 4 are blank where the organisation department has entered no 2014 baseline."),
        _(
            "Columns 9 to 14 count the 四要素 enterprises that employ migrant workers; one reaches the requirement "
            "when at least 80 per cent of the migrant workers it employs are members."
        ),
        _(
            "Members are counted under the union that holds them, enterprises under the unit responsible for them; "
            "each line includes everything below its organisation."
        ),
        _("Source: the member rolls and the enterprise registry, live, as of %(date)s.")
        % {"date": long_date(timezone.localdate())},
        _("Rates are in per cent, rounded to one decimal place."),
    ]


def _below(orgs):
    """{parent pk: [organisations directly below it]} for the organisations `orgs`, in one query.

    Grassroots unions are left out at this level: a county's or township's unions would swamp the form."""
    grouped = {org.pk: [] for org in orgs}
    below = (
        UnionOrg.objects.filter(parent__in=list(grouped))
        .exclude(kind__in=[UnionOrg.Kind.DEPARTMENT, UnionOrg.Kind.GRASSROOTS_UNION])
        .select_related("division")
    )
    for org in sorted(below, key=display_order):
        grouped[org.parent_id].append(org)
    return grouped


def form_lines(campaign, org):
    """合计 (the organisation itself), then each organisation below it followed by those below that."""
    figures = AreaFigures(campaign, org)
    children = children_of(org)
    below = _below(children)
    lines = [Line(0, org, figures.of(org))]
    for child in children:
        lines.append(Line(1, child, figures.of(child), has_lines_below=bool(below[child.pk])))
        lines += [Line(2, grandchild, figures.of(grandchild)) for grandchild in below[child.pk]]
    return lines


def write_form(sheet, campaign, org, lines):
    top = FormTop(
        members_form_title(campaign, org),
        MEMBERS_FORM_NUMBER,
        org.name,
        _("Unit of measure: people, enterprises, unions, per cent"),
    )
    write_statistical_form(
        sheet,
        form_columns(),
        lines,
        top=top,
        notes=form_notes(),
        footer=signature_footer(timezone.localdate()),
        # The total and the organisations with lines below them (the prefectures) in bold.
        bold=lambda line: line.level == 0 or line.has_lines_below,
    )


# The workbook


def write_members_form(file, campaign, org):
    """The form, then the 四要素 enterprises without a union, those below 80 per cent and the township unions
    short of 八有, for `org` and everything below it, into `file` (binary)."""
    book = Workbook()
    form = book.active
    form.title = sheet_name(_("Statistical form"))
    write_form(form, campaign, org, form_lines(campaign, org))
    sheets = (
        (_("四要素 enterprises without a union"), form_lists.write_without_union, form_lists.without_union(org)),
        (_("Enterprises below 80 per cent"), form_lists.write_below_eighty, form_lists.below_eighty(campaign, org)),
        (_("Township unions short of 八有"), form_lists.write_townships, form_lists.townships_missing_items(org)),
    )
    area = {"area": area_name(org), "year": campaign.year}
    for name, write, items in sheets:
        write(book.create_sheet(sheet_name(name)), area, org.name, items)
    book.save(file)
