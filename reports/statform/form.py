"""Sheet 1, the statistical form itself: 甲 乙 and columns 1-9 (10-11 when comparing), 合计 first, each
prefecture followed by its counties, the check relations and the signature footer."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from enterprises.models import FIGURE_LABELS, FIGURES
from reports.dashboards import union_count
from reports.statform.layout import (
    BOLD_BODY_FONT,
    CENTRED,
    CHANGE_FORMAT,
    HEADER_STYLE,
    LINE_HEIGHT,
    RIGHT_BLOCK,
    TITLE_FONT,
    TITLE_HEIGHT,
    Column,
    FormRow,
    Group,
    count_column,
    fit_heights,
    leaves,
    long_date,
    per_cent,
    print_setup,
    rate_column,
    set_widths,
    signature_footer,
    text_line,
    write_header,
    write_rows,
    write_span,
)
from reports.statform.names import (
    FORM_NUMBER,
    title,
)

# Sheet 1: the form


def _union_rate(row):
    return per_cent(row.line.union_count, row.line.figures["total"])


def _party_rate(row):
    return per_cent(row.line.party_count, row.line.figures["total"])


def _previous_rate(row):
    previous = row.line.previous
    return None if previous is None else per_cent(union_count(previous), previous["total"])


def _change(row):
    """In percentage points, from the printed rates, so that 11 = 7 − 10 holds on paper."""
    now, before = _union_rate(row), _previous_rate(row)
    return None if now is None or before is None else now - before


def _figure(name):
    return lambda row: row.line.figures[name]


def form_columns(with_previous):
    """甲 and 乙, then columns 1–9 (and 10–11 when there is a campaign to compare with)."""
    items = [
        Column(_("Name of unit"), _row_label, align="left", width=14, fit=True),
        Column(_("Code"), lambda row: row.line.code, align="center", width=8, fit=True),
        Group(
            _("Enterprises"),
            (
                count_column(_("Total"), _figure("total")),
                Group(_("Of which:"), tuple(count_column(str(FIGURE_LABELS[name]), _figure(name)) for name in FIGURES)),
            ),
        ),
        Group(
            _("Union"),
            (
                count_column(_("Enterprises with a union"), lambda row: row.line.union_count),
                rate_column(_("Union coverage"), _union_rate),
            ),
        ),
        Group(
            _("Party organisation"),
            (
                count_column(_("Enterprises with a party organisation"), lambda row: row.line.party_count),
                rate_column(_("Party organisation coverage"), _party_rate),
            ),
        ),
    ]
    if with_previous:
        comparison = (
            rate_column(_("Union coverage, previous campaign"), _previous_rate),
            Column(_("Change (percentage points)"), _change, number_format=CHANGE_FORMAT, width=10),
        )
        items.append(Group(_("Compared with the previous campaign"), comparison))
    return items


def _row_label(row):
    return _("Total") if row.level == 0 else row.line.name


def _column_numbers(count):
    """The 栏次 row: 甲 and 乙 for the name and the code, then 1, 2, 3 … for the figures."""
    return [_("Col. A"), _("Col. B"), *range(1, count - 1)]


def form_notes(dashboard, with_previous):
    notes = [_("Check: 1 = 2 + 3 + 4 + 5; 6 = 2 + 4; 7 = 6 ÷ 1 × 100; 8 = 2 + 3; 9 = 8 ÷ 1 × 100.")]
    if with_previous:
        notes.append(
            _("Columns 10 and 11 compare with the approved survey reports of %(campaign)s; 11 = 7 − 10.")
            % {"campaign": dashboard.previous}
        )
    if dashboard.is_live:
        notes.append(
            _("Source: the enterprise registry, live, as of %(date)s.") % {"date": long_date(timezone.localdate())}
        )
    else:
        notes.append(
            _("Source: the survey figures of %(campaign)s as the organisation department approved them.")
            % {"campaign": dashboard.source}
        )
    notes.append(
        _(
            "Live figures count enterprises by where they are located; a campaign's figures count them by the unit "
            "that reported them, as it reported them. The two can differ."
        )
    )
    notes.append(_("Rates are in per cent, rounded to one decimal place."))
    return notes


def footer(dashboard):
    return signature_footer(dashboard.as_of)


def write_form(sheet, dashboard, unit):
    rows = [FormRow(level, line) for level, line in dashboard.total.walk()]
    with_previous = any(row.line.previous is not None for row in rows)
    items = form_columns(with_previous)
    columns = list(leaves(items))
    width = len(columns)
    header_top = 5
    header_bottom = write_header(sheet, header_top, items)
    numbers_row = header_bottom + 1
    for index, number in enumerate(_column_numbers(width), 1):
        write_span(sheet, numbers_row, index, index, number, **HEADER_STYLE)
    first = numbers_row + 1
    end = write_rows(sheet, first, columns, rows)
    _mark_levels(sheet, first, rows)
    set_widths(sheet, columns, first, end - 1)
    _form_top(sheet, dashboard, unit, width)
    fit_heights(sheet, header_top, header_bottom, minimum=2 * LINE_HEIGHT)
    fit_heights(sheet, first, end - 1)
    notes = [_("Notes:")]
    notes += [f"{number}. {note}" for number, note in enumerate(form_notes(dashboard, with_previous), 1)]
    for offset, note in enumerate(notes, 1):
        text_line(sheet, end + offset, 1, width, note)
    text_line(sheet, end + len(notes) + 2, 1, width, footer(dashboard), height=2 * LINE_HEIGHT)
    sheet.freeze_panes = sheet.cell(first, 3)
    print_setup(sheet, f"{header_top}:{numbers_row}")


def _mark_levels(sheet, first, rows):
    """The total and the prefectures in bold; each level further in, so that counties sit under their prefecture."""
    for offset, row in enumerate(rows):
        name = sheet.cell(first + offset, 1)
        name.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=row.level)
        if row.level == 0 or row.line.children:
            for cell in sheet[first + offset]:
                cell.font = BOLD_BODY_FONT


def _form_top(sheet, dashboard, unit, width):
    """The title; 表号 and 制表机关 at the right; 填报单位 at the left and 计量单位 at the right above the table."""
    text_line(sheet, 1, 1, width, title(dashboard), font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    block = width - RIGHT_BLOCK + 1
    text_line(sheet, 2, block, width, _("Form number: %(number)s") % {"number": FORM_NUMBER})
    authority = _("Organisation Department of the TAR Federation of Trade Unions")
    text_line(sheet, 3, block, width, _("Issued by: %(authority)s") % {"authority": authority})
    text_line(sheet, 4, 1, block - 1, _("Reporting unit: %(unit)s") % {"unit": unit})
    text_line(sheet, 4, block, width, _("Unit of measure: enterprises, per cent"))
