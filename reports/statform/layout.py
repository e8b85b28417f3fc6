"""The form's look and the tools every sheet is built with: fonts, borders, columns, headers that span
columns, rows, widths and heights, and printing on A4 landscape."""

import math
import unicodedata
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from enterprises.exports import is_formula_like
from enterprises.models import Enterprise

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
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # 2026年12月20日, as the rest of the portal writes dates
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


def long_date(day):
    return date_format(day, "DATE_FORMAT")


def _text_width(text):
    """Characters as a spreadsheet counts them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def per_cent_header(label):
    return _("%(label)s (%%)") % {"label": label}


def field_label(name):
    return str(capfirst(Enterprise._meta.get_field(name).verbose_name))


def signature_footer(day):
    """单位负责人 … 报出日期: the people who answer for a form, and the day it is made out for."""
    parts = [_("Head of unit:"), _("Head of statistics:"), _("Filled in by:"), _("Contact phone:")]
    reported = _("Date reported: %(date)s") % {"date": long_date(day)}
    return "".join(part + FOOTER_GAP for part in parts) + reported


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


def style(cell, *, font=BODY_FONT, alignment=LEFT, border=None, number_format=None):
    cell.font = font
    cell.alignment = alignment
    if border is not None:
        cell.border = border
    if number_format is not None:
        cell.number_format = number_format


def write_span(sheet, row, first, last, text, *, font=BODY_FONT, alignment=LEFT, border=None, last_row=None):
    """A piece of text across columns `first`..`last` (and rows down to `last_row`), merged when it spans more."""
    last_row = last_row or row
    if (first, row) != (last, last_row):
        sheet.merge_cells(start_row=row, start_column=first, end_row=last_row, end_column=last)
    put(sheet.cell(row, first), text)
    for cells in sheet.iter_rows(min_row=row, max_row=last_row, min_col=first, max_col=last):
        for cell in cells:
            style(cell, font=font, alignment=alignment, border=border)


def text_line(sheet, row, first, last, text, *, font=BODY_FONT, alignment=LEFT, height=LINE_HEIGHT):
    """A line of text outside the table; merged cells never grow to fit, so the row's height is set here."""
    write_span(sheet, row, first, last, text, font=font, alignment=alignment)
    room = sum(sheet.column_dimensions[get_column_letter(index)].width for index in range(first, last + 1))
    sheet.row_dimensions[row].height = max(height, _lines(text, room - 1) * LINE_HEIGHT + 4)


# Tables


def leaves(items):
    for item in items:
        if isinstance(item, Group):
            yield from leaves(item.columns)
        else:
            yield item


def _depth(items):
    return max(1 + _depth(item.columns) if isinstance(item, Group) else 1 for item in items)


def write_header(sheet, row, items, column=1, bottom=None):
    """Each group spans its columns; each column's header reaches down to the last header row. Returns that row."""
    bottom = bottom or row + _depth(items) - 1
    for item in items:
        if isinstance(item, Group):
            width = len(list(leaves(item.columns)))
            write_span(sheet, row, column, column + width - 1, item.header, **HEADER_STYLE)
            write_header(sheet, row + 1, item.columns, column, bottom)
            column += width
        else:
            write_span(sheet, row, column, column, item.header, last_row=bottom, **HEADER_STYLE)
            column += 1
    return bottom


def write_rows(sheet, row, columns, records):
    """One bordered row per record, starting at `row`; returns the next free row.

    Each column's cells share one style: the first row's cell is styled, the others take a copy of its style
    record, which costs a fraction of setting font, alignment, border and format on each of thousands of cells."""
    styled = {}
    for record in records:
        for index, column in enumerate(columns, 1):
            cell = sheet.cell(row, index)
            put(cell, column.value(record))
            if index in styled:
                cell._style = copy(styled[index])
            else:
                style(cell, alignment=ALIGNMENTS[column.align], border=BORDER, number_format=column.number_format)
                styled[index] = cell._style
        row += 1
    return row


def write_table(sheet, row, items, records):
    """Header and rows from `row` on; returns (last header row, next free row).

    An empty table says so, rather than leaving the reader to wonder whether it was filled in.
    """
    columns = list(leaves(items))
    header_bottom = write_header(sheet, row, items)
    if records:
        return header_bottom, write_rows(sheet, header_bottom + 1, columns, records)
    write_span(sheet, header_bottom + 1, 1, len(columns), _("None"), alignment=CENTRED, border=BORDER)
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
    widths = {}
    # The rows read in one pass: sheet[row] would measure the whole sheet's width again for each row.
    for row, cells in enumerate(sheet.iter_rows(min_row=first_row, max_row=last_row), first_row):
        lines = 1
        for cell in cells:
            if not isinstance(cell.value, str) or cell.coordinate in merged:
                continue
            letter = cell.column_letter
            if letter not in widths:
                widths[letter] = sheet.column_dimensions[letter].width
            lines = max(lines, _lines(cell.value, widths[letter]))
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


def sheet_name(text):
    return text.translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LENGTH]


def per_cent(part, whole):
    """A rate in per cent as the form prints it: one decimal, rounded half up as statisticians round."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def count_column(header, value):
    return Column(header, value, number_format=COUNT_FORMAT, width=9)


def rate_column(header, value):
    return Column(per_cent_header(header), value, number_format=RATE_FORMAT, width=9)


# The statistical form itself

# Rows 1–4 hold the title, 表号, 制表机关, 填报单位 and 计量单位; the table's headers start below them.
FORM_HEADER_TOP = 5


class FormTop(NamedTuple):
    """What stands above a statistical form's table."""

    title: str
    number: str  # 表号
    unit: str  # 填报单位
    measure: str  # 计量单位


def column_numbers(count):
    """The 栏次 row: 甲 and 乙 for the name and the code, then 1, 2, 3 … for the figures."""
    return [_("Col. A"), _("Col. B"), *range(1, count - 1)]


def write_form_top(sheet, top, width):
    """The title; 表号 and 制表机关 at the right; 填报单位 at the left and 计量单位 at the right above the table."""
    text_line(sheet, 1, 1, width, top.title, font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    block = width - RIGHT_BLOCK + 1
    text_line(sheet, 2, block, width, _("Form number: %(number)s") % {"number": top.number})
    authority = _("Organisation Department of the TAR Federation of Trade Unions")
    text_line(sheet, 3, block, width, _("Issued by: %(authority)s") % {"authority": authority})
    text_line(sheet, 4, 1, block - 1, _("Reporting unit: %(unit)s") % {"unit": top.unit})
    text_line(sheet, 4, block, width, top.measure)


def write_statistical_form(sheet, items, rows, *, top, notes, footer, bold):
    """A statistical form: its top, grouped headers, the 栏次 row, one row per record (each with a `level`: 0 for
    合计, further in below it, in bold where `bold(row)`), the numbered notes and the signature footer; frozen at
    the first figure, printed on A4 landscape with the header rows on every page."""
    columns = list(leaves(items))
    width = len(columns)
    header_bottom = write_header(sheet, FORM_HEADER_TOP, items)
    numbers_row = header_bottom + 1
    for index, number in enumerate(column_numbers(width), 1):
        write_span(sheet, numbers_row, index, index, number, **HEADER_STYLE)
    first = numbers_row + 1
    end = write_rows(sheet, first, columns, rows)
    for offset, row in enumerate(rows):
        name = sheet.cell(first + offset, 1)
        name.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=row.level)
        if bold(row):
            for cell in sheet[first + offset]:
                cell.font = BOLD_BODY_FONT
    set_widths(sheet, columns, first, end - 1)
    write_form_top(sheet, top, width)
    fit_heights(sheet, FORM_HEADER_TOP, header_bottom, minimum=2 * LINE_HEIGHT)
    fit_heights(sheet, first, end - 1)
    lines = [_("Notes:"), *(f"{number}. {note}" for number, note in enumerate(notes, 1))]
    for offset, line in enumerate(lines, 1):
        text_line(sheet, end + offset, 1, width, line)
    text_line(sheet, end + len(lines) + 2, 1, width, footer, height=2 * LINE_HEIGHT)
    sheet.freeze_panes = sheet.cell(first, 3)
    print_setup(sheet, f"{FORM_HEADER_TOP}:{numbers_row}")
