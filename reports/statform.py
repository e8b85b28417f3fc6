"""The Excel summary laid out as the official statistical form (统计表), with its further sheets.

The first sheet is what the organisation department hands its leaders: a titled and numbered form whose columns
check against each other (the relations are printed under the table), with the lines signed off in its footer. The
further sheets list the enterprises behind the work still to do and how punctually the units reported. Every sheet
prints on A4 landscape, one page wide, with its header rows repeated on each page.

Rates are written as numbers in per cent, rounded to one decimal as the form prints them, so that a reader who checks
7 = 6 ÷ 1 × 100 on paper finds the same figure as the cell holds.
"""

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from enterprises.exports import is_formula_like
from enterprises.models import FIGURE_LABELS, FIGURES, KEY_HEADCOUNT, MANUFACTURING, Enterprise
from reports.dashboards import KEY_UNUNIONISED, union_count
from unions.models import UnionOrg

# 表号: the organisation department assigns the form's number when it registers the form; change it here then.
FORM_NUMBER = "ZZB-TJ-01"

FONT_NAME = "宋体"  # the typeface of printed government forms
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_BODY_FONT = Font(name=FONT_NAME, size=10, bold=True)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
ALIGNMENTS = {"left": LEFT, "center": CENTRED, "right": RIGHT}
HEADER_STYLE = {"font": HEADER_FONT, "alignment": CENTRED, "border": BORDER}

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.0"
CHANGE_FORMAT = "+0.0;-0.0;0.0"
DATE_FORMAT = "yyyy-mm-dd"
ONE_DECIMAL = Decimal("0.1")
CHECK_MARK = "√"
# Room after each footer label to sign or write by hand.
FOOTER_GAP = "\u3000" * 5

# Column widths in characters (a Chinese character counts two); text columns grow to their longest value.
MIN_WIDTH = 6
MAX_WIDTH = 40
LINE_HEIGHT = 14  # points per line of 10-point text
TITLE_HEIGHT = 36
# Columns at the right of the form that hold 表号, 制表机关 and 计量单位.
RIGHT_BLOCK = 4
# Characters Excel refuses in a sheet's name, and its length limit.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
SHEET_NAME_LENGTH = 31
FILENAME_FORBIDDEN = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, its value for a row, and how the value is shown."""

    header: str
    value: Callable[[Any], Any]
    number_format: str = "General"
    width: float = 10
    align: str = "right"
    # Text columns are widened to their longest value (up to MAX_WIDTH).
    fit: bool = False


@dataclass(frozen=True)
class Group:
    """A header spanning the columns below it, as 企业数 spans 合计 and 其中."""

    header: str
    columns: tuple


class Numbered(NamedTuple):
    """A listed item with its 序号."""

    number: int
    item: Any


class FormRow(NamedTuple):
    level: int
    line: Any


# Names and text


def scope_text(threshold):
    """百人以上 as the plan names its scope, else 50人以上 or 25人以上."""
    if threshold == 100:
        return _("a hundred or more staff")
    return _("%(value)s or more staff") % {"value": threshold}


def form_year(dashboard):
    """The campaign's year for its approved figures, else the year of the date the form is made out for."""
    return dashboard.source.year if dashboard.source is not None else dashboard.as_of.year


def title(dashboard):
    return _("Union coverage of enterprises with %(scope)s in %(area)s in %(year)s") % {
        "scope": scope_text(dashboard.threshold),
        "area": dashboard.area.name,
        "year": form_year(dashboard),
    }


def filename(dashboard):
    """The form's title, so that a saved copy says what it is."""
    return f"{title(dashboard)}.xlsx".translate(FILENAME_FORBIDDEN)


def reporting_unit(area):
    """填报单位: the union federation of the area."""
    federation = (
        UnionOrg.objects.filter(
            division=area,
            kind__in=[
                UnionOrg.Kind.REGION_FEDERATION,
                UnionOrg.Kind.PREFECTURE_FEDERATION,
                UnionOrg.Kind.COUNTY_FEDERATION,
            ],
        )
        .order_by("path")
        .first()
    )
    if federation is not None:
        return federation.name
    return _("%(area)s Federation of Trade Unions") % {"area": area.name}


def _long_date(day):
    return date_format(day, "DATE_FORMAT")


def _text_width(text):
    """Characters as a spreadsheet counts them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _per_cent_header(label):
    return _("%(label)s (%%)") % {"label": label}


def _field_label(name):
    return str(capfirst(Enterprise._meta.get_field(name).verbose_name))


# Cells


def put(cell, value):
    """Write a value; registry text is always stored as text, so a name such as "=HYPERLINK(…)" never runs."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


def _style(cell, *, font=BODY_FONT, alignment=LEFT, border=None, number_format=None):
    cell.font = font
    cell.alignment = alignment
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format


def _span(sheet, row, first, last, text, *, font=BODY_FONT, alignment=LEFT, border=None, last_row=None):
    """A piece of text across columns `first`..`last` (and rows down to `last_row`), merged when it spans more."""
    last_row = last_row or row
    if (first, row) != (last, last_row):
        sheet.merge_cells(start_row=row, start_column=first, end_row=last_row, end_column=last)
    put(sheet.cell(row, first), text)
    for cells in sheet.iter_rows(min_row=row, max_row=last_row, min_col=first, max_col=last):
        for cell in cells:
            _style(cell, font=font, alignment=alignment, border=border)


def _line(sheet, row, first, last, text, *, font=BODY_FONT, alignment=LEFT, height=LINE_HEIGHT):
    """A line of text outside the table; merged cells never grow to fit, so the row's height is set here."""
    _span(sheet, row, first, last, text, font=font, alignment=alignment)
    room = sum(sheet.column_dimensions[get_column_letter(index)].width for index in range(first, last + 1))
    sheet.row_dimensions[row].height = max(height, _lines(text, room - 1) * LINE_HEIGHT + 4)


# Tables


def _leaves(items):
    for item in items:
        if isinstance(item, Group):
            yield from _leaves(item.columns)
        else:
            yield item


def _depth(items):
    return max(1 + _depth(item.columns) if isinstance(item, Group) else 1 for item in items)


def write_header(sheet, row, items, column=1, bottom=None):
    """Each group spans its columns; each column's header reaches down to the last header row. Returns that row."""
    bottom = bottom or row + _depth(items) - 1
    for item in items:
        if isinstance(item, Group):
            span = len(list(_leaves(item.columns)))
            _span(sheet, row, column, column + span - 1, item.header, **HEADER_STYLE)
            write_header(sheet, row + 1, item.columns, column, bottom)
            column += span
        else:
            _span(sheet, row, column, column, item.header, last_row=bottom, **HEADER_STYLE)
            column += 1
    return bottom


def write_rows(sheet, row, columns, records):
    """One bordered row per record, starting at `row`; returns the next free row."""
    for record in records:
        for index, column in enumerate(columns, 1):
            cell = sheet.cell(row, index)
            put(cell, column.value(record))
            _style(cell, alignment=ALIGNMENTS[column.align], border=BORDER, number_format=column.number_format)
        row += 1
    return row


def write_table(sheet, row, items, records):
    """Header and rows from `row` on; returns (last header row, next free row).

    An empty table says so, rather than leaving the reader to wonder whether it was filled in.
    """
    columns = list(_leaves(items))
    header_bottom = write_header(sheet, row, items)
    if records:
        return header_bottom, write_rows(sheet, header_bottom + 1, columns, records)
    _span(sheet, header_bottom + 1, 1, len(columns), _("None"), alignment=CENTRED, border=BORDER)
    return header_bottom, header_bottom + 2


def set_widths(sheet, columns, first_row, last_row):
    """Numbers keep their column's width; text columns grow to their longest value, within bounds."""
    for index, column in enumerate(columns, 1):
        width = column.width
        if column.fit:
            for (cell,) in sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=index, max_col=index):
                if isinstance(cell.value, str):
                    indent = cell.alignment.indent or 0
                    longest = max(_text_width(part) for part in cell.value.splitlines() or [""])
                    width = max(width, longest + 2 * indent + 2)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, MIN_WIDTH), MAX_WIDTH)


def fit_heights(sheet, first_row, last_row, minimum=None):
    """Wrapped text needs taller rows; spreadsheets do not always grow them on opening, so estimate them here."""
    merged = {cell for area in sheet.merged_cells.ranges for cell in _coordinates(area)}
    for row in range(first_row, last_row + 1):
        lines = 1
        for cell in sheet[row]:
            if not isinstance(cell.value, str) or cell.coordinate in merged:
                continue
            lines = max(lines, _lines(cell.value, sheet.column_dimensions[cell.column_letter].width))
        height = lines * LINE_HEIGHT + 4
        if minimum or lines > 1:
            sheet.row_dimensions[row].height = max(height, minimum or 0)


def _lines(text, width):
    """How many lines `text` takes in a column `width` characters wide."""
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(_text_width(part) / room)) for part in text.splitlines() or [""])


def _coordinates(area):
    for row in range(area.min_row, area.max_row + 1):
        for column in range(area.min_col, area.max_col + 1):
            yield f"{get_column_letter(column)}{row}"


def print_setup(sheet, title_rows):
    """A4 landscape, one page wide and as many long as needed, with the header rows on every page."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = title_rows
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = _("Page %(number)s of %(total)s") % {"number": "&P", "total": "&N"}


def _sheet_name(text):
    return text.translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LENGTH]


# Sheet 1: the form


def _per_cent(part, whole):
    """A rate in per cent as the form prints it: one decimal, rounded half up as statisticians round."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _union_rate(row):
    return _per_cent(row.line.union_count, row.line.figures["total"])


def _party_rate(row):
    return _per_cent(row.line.party_count, row.line.figures["total"])


def _previous_rate(row):
    previous = row.line.previous
    return None if previous is None else _per_cent(union_count(previous), previous["total"])


def _change(row):
    """In percentage points, from the printed rates, so that 11 = 7 − 10 holds on paper."""
    now, before = _union_rate(row), _previous_rate(row)
    return None if now is None or before is None else now - before


def _figure(name):
    return lambda row: row.line.figures[name]


def _count(header, value):
    return Column(header, value, number_format=COUNT_FORMAT, width=9)


def _rate(header, value):
    return Column(_per_cent_header(header), value, number_format=RATE_FORMAT, width=9)


def form_columns(with_previous):
    """甲 and 乙, then columns 1–9 (and 10–11 when there is a campaign to compare with)."""
    items = [
        Column(_("Name of unit"), _row_label, align="left", width=14, fit=True),
        Column(_("Code"), lambda row: row.line.code, align="center", width=8, fit=True),
        Group(
            _("Enterprises"),
            (
                _count(_("Total"), _figure("total")),
                Group(_("Of which:"), tuple(_count(str(FIGURE_LABELS[name]), _figure(name)) for name in FIGURES)),
            ),
        ),
        Group(
            _("Union"),
            (
                _count(_("Enterprises with a union"), lambda row: row.line.union_count),
                _rate(_("Union coverage"), _union_rate),
            ),
        ),
        Group(
            _("Party organisation"),
            (
                _count(_("Enterprises with a party organisation"), lambda row: row.line.party_count),
                _rate(_("Party organisation coverage"), _party_rate),
            ),
        ),
    ]
    if with_previous:
        comparison = (
            _rate(_("Union coverage, previous campaign"), _previous_rate),
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
            _("Source: the enterprise registry, live, as of %(date)s.") % {"date": _long_date(timezone.localdate())}
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
    """单位负责人 … 报出日期: the people who answer for the form, and the day it is made out for."""
    parts = [_("Head of unit:"), _("Head of statistics:"), _("Filled in by:"), _("Contact phone:")]
    reported = _("Date reported: %(date)s") % {"date": _long_date(dashboard.as_of)}
    return "".join(part + FOOTER_GAP for part in parts) + reported


def write_form(sheet, dashboard, unit):
    rows = [FormRow(level, line) for level, line in dashboard.total.walk()]
    with_previous = any(row.line.previous is not None for row in rows)
    items = form_columns(with_previous)
    columns = list(_leaves(items))
    width = len(columns)
    header_top = 5
    header_bottom = write_header(sheet, header_top, items)
    numbers_row = header_bottom + 1
    for index, number in enumerate(_column_numbers(width), 1):
        _span(sheet, numbers_row, index, index, number, **HEADER_STYLE)
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
        _line(sheet, end + offset, 1, width, note)
    _line(sheet, end + len(notes) + 2, 1, width, footer(dashboard), height=2 * LINE_HEIGHT)
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
    _line(sheet, 1, 1, width, title(dashboard), font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    block = width - RIGHT_BLOCK + 1
    _line(sheet, 2, block, width, _("Form number: %(number)s") % {"number": FORM_NUMBER})
    authority = _("Organisation Department of the TAR Federation of Trade Unions")
    _line(sheet, 3, block, width, _("Issued by: %(authority)s") % {"authority": authority})
    _line(sheet, 4, 1, block - 1, _("Reporting unit: %(unit)s") % {"unit": unit})
    _line(sheet, 4, block, width, _("Unit of measure: enterprises, per cent"))


# Further sheets: lists of enterprises


def _flag(name):
    return lambda row: CHECK_MARK if getattr(row.item, name) else None


def _enterprise_columns():
    """序号 and what identifies an enterprise and who answers for it."""
    return [
        Column(_("Serial no."), lambda row: row.number, align="center", width=6),
        Column(_field_label("credit_code"), lambda row: row.item.credit_code, align="left", width=20),
        Column(_field_label("name"), lambda row: row.item.name, align="left", width=24, fit=True),
        Column(_field_label("county"), lambda row: row.item.county.name, align="left", width=10, fit=True),
        Column(_field_label("responsible_unit"), lambda row: row.item.responsible_unit.name, align="left", fit=True),
        Column(_field_label("headcount"), lambda row: row.item.headcount, number_format=COUNT_FORMAT, width=9),
        Column(_field_label("party_org"), lambda row: row.item.get_party_org_display(), align="center", width=10),
    ]


def hard_case_columns():
    return [
        *_enterprise_columns(),
        Column(_field_label("operates_across_prefectures"), _flag("operates_across_prefectures"), align="center"),
        Column(_field_label("long_without_union"), _flag("long_without_union"), align="center"),
    ]


def key_reasons():
    """Why an enterprise without a union is a key one (the 2019 plan, section 三（二）)."""
    large = _("Large (%(count)s or more staff)") % {"count": KEY_HEADCOUNT}
    return [
        Column(large, lambda row: CHECK_MARK if row.item.headcount >= KEY_HEADCOUNT else None, align="center"),
        Column(_("Long without a union"), _flag("long_without_union"), align="center"),
        Column(_("Well known"), _flag("well_known"), align="center"),
        Column(_("Operator holds a political post"), _flag("operator_political_post"), align="center"),
        Column(_("Internet industry"), _flag("internet_industry"), align="center"),
        Column(
            _("Manufacturing"),
            lambda row: CHECK_MARK if row.item.industry == MANUFACTURING else None,
            align="center",
        ),
    ]


def key_columns():
    return [*_enterprise_columns(), Group(_("Why it is a key enterprise"), tuple(key_reasons()))]


def write_list(sheet, heading, unit, items, enterprises, notes=()):
    """A titled list of enterprises, numbered, with the registry's date."""
    columns = list(_leaves(items))
    width = len(columns)
    header_top = 3
    records = [Numbered(number, enterprise) for number, enterprise in enumerate(enterprises, 1)]
    header_bottom, end = write_table(sheet, header_top, items, records)
    set_widths(sheet, columns, header_bottom + 1, end - 1)
    _line(sheet, 1, 1, width, heading, font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    _line(sheet, 2, 1, width - RIGHT_BLOCK, _("Reporting unit: %(unit)s") % {"unit": unit})
    registry = _("From the enterprise registry as of %(date)s.") % {"date": _long_date(timezone.localdate())}
    _line(sheet, 2, width - RIGHT_BLOCK + 1, width, registry, alignment=RIGHT)
    fit_heights(sheet, header_top, header_bottom, minimum=2 * LINE_HEIGHT)
    fit_heights(sheet, header_bottom + 1, end - 1)
    for offset, note in enumerate(notes, 1):
        _line(sheet, end + offset, 1, width, note)
    sheet.freeze_panes = sheet.cell(header_bottom + 1, 1)
    print_setup(sheet, f"{header_top}:{header_bottom}")


def _list_heading(text, dashboard):
    return text % {"area": dashboard.area.name, "year": form_year(dashboard), "scope": scope_text(dashboard.threshold)}


def write_hard_cases(sheet, dashboard, unit, hard_cases):
    text = _("Headquarters-type hard cases in %(area)s in %(year)s, enterprises with %(scope)s")
    write_list(sheet, _list_heading(text, dashboard), unit, hard_case_columns(), hard_cases)


def write_key_enterprises(sheet, dashboard, unit, key_enterprises):
    """The list is cut at the largest KEY_UNUNIONISED; a full list says so."""
    enterprises = list(key_enterprises)
    notes = [_("Largest first.")]
    if len(enterprises) >= KEY_UNUNIONISED:
        notes.append(_("Only the largest %(limit)s are listed.") % {"limit": KEY_UNUNIONISED})
    text = _("Key enterprises without a union in %(area)s in %(year)s, enterprises with %(scope)s")
    write_list(sheet, _list_heading(text, dashboard), unit, key_columns(), enterprises, notes)


# Further sheets: timeliness


def stage_columns():
    return [
        Column(_("Report due"), lambda stage: stage.deadline.title, align="left", width=24, fit=True),
        Column(_("Due"), lambda stage: stage.deadline.due_on, number_format=DATE_FORMAT, align="center", width=12),
        _count(_("Expected"), lambda stage: stage.expected),
        _count(_("Handed in"), lambda stage: stage.submitted),
        _count(_("On time"), lambda stage: stage.on_time),
        _count(_("Submitted late"), lambda stage: stage.late),
        _count(_("Missing"), lambda stage: stage.missing),
        _count(_("Approved"), lambda stage: stage.approved),
    ]


def unit_columns():
    return [
        Column(_("Unit"), lambda record: record.unit.name, align="left", width=24, fit=True),
        _count(_("Reports due"), lambda record: record.due),
        _count(_("On time"), lambda record: record.on_time),
        _count(_("Late"), lambda record: record.late),
        _count(_("Missing"), lambda record: record.missing),
        _rate(_("On-time rate"), lambda record: _per_cent(record.on_time, record.due)),
        Column(_("Missing reports"), lambda record: "\n".join(record.missing_titles), align="left", fit=True),
    ]


def write_timeliness(sheet, dashboard):
    """Per deadline, then per unit. The two tables differ, so the sheet's title rows are the ones repeated."""
    stages, units = stage_columns(), unit_columns()
    width = max(len(stages), len(units))
    first = 3
    if dashboard.campaign is None:
        heading = _("Timeliness of reports")
        _line(sheet, first, 1, width, _("No campaign to report on."))
    else:
        heading = _("%(campaign)s: timeliness of reports from %(area)s") % {
            "campaign": dashboard.campaign,
            "area": dashboard.area.name,
        }
        _header_bottom, end = write_table(sheet, first, stages, dashboard.stages)
        _header_bottom, end = write_table(sheet, end + 1, units, dashboard.units)
        _set_shared_widths(sheet, stages, units, first, end - 1)
        fit_heights(sheet, first, end - 1)
    _line(sheet, 1, 1, width, heading, font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    _line(sheet, 2, 1, width, _("Counted up to %(date)s.") % {"date": _long_date(dashboard.as_of)}, alignment=RIGHT)
    print_setup(sheet, "1:2")


def _set_shared_widths(sheet, stages, units, first, last):
    """The two tables share columns: each column is as wide as the wider of them needs."""
    widths = {}
    for columns in (stages, units):
        set_widths(sheet, columns, first, last)
        for index in range(1, len(columns) + 1):
            letter = get_column_letter(index)
            widths[letter] = max(widths.get(letter, 0), sheet.column_dimensions[letter].width)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


# The workbook


def write_summary(file, dashboard, *, hard_cases, key_enterprises):
    """The form, then the hard cases, the key enterprises and the timeliness of reports, into `file` (binary)."""
    unit = reporting_unit(dashboard.area)
    book = Workbook()
    form = book.active
    form.title = _sheet_name(_("Statistical form"))
    write_form(form, dashboard, unit)
    hard = book.create_sheet(_sheet_name(_("Headquarters-type hard cases")))
    write_hard_cases(hard, dashboard, unit, hard_cases)
    keys = book.create_sheet(_sheet_name(_("Key enterprises without a union")))
    write_key_enterprises(keys, dashboard, unit, key_enterprises)
    write_timeliness(book.create_sheet(_sheet_name(_("Timeliness of reports"))), dashboard)
    book.save(file)
