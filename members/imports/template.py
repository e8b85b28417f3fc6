"""The member import template: Chinese headers, an example row that passes its own checks, drop-down lists.

The ID number column is formatted as text, so that a number typed into it keeps all 18 characters (Excel keeps
only 15 significant digits of a number). The drop-downs only warn: the import also takes other spellings (codes,
Y/N), and pasted cells bypass them anyway.
"""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from members.ethnicity import ETHNICITIES
from members.idnumbers import check_character
from members.imports.check import MAX_ROWS
from members.imports.columns import COLUMNS, SEXES, status_labels, yes_no

SHEET_TITLE = "会员名册"
TEXT = "@"
MAX_INLINE_LIST = 255  # characters of a list validation's formula, Excel's limit


def example_id_number():
    """A valid number of a Lhasa resident born on 7 March 1990 (a made-up serial)."""
    first = "540102" + "19900307" + "123"
    return first + check_character(first)


def _example_row():
    values = {column.field: column.example for column in COLUMNS}
    values["id_number"] = example_id_number()
    values["joined_on"] = timezone.localdate() - datetime.timedelta(days=1)
    return [values[column.field] for column in COLUMNS]


def _choices():
    sexes = [label for label in SEXES if len(label) == 1 and not label.isascii()]
    return {
        "sex": sexes,
        "ethnicity": [name for _code, name in ETHNICITIES],
        "rural_household": yes_no(),
        "migrant_worker": yes_no(),
        "status": [label for label in status_labels() if not label.isascii()],
    }


def _add_drop_downs(workbook, sheet):
    lists, used = None, 0
    choices = _choices()
    for index, column in enumerate(COLUMNS, start=1):
        entries = choices.get(column.field)
        if not entries:
            continue
        inline = '"' + ",".join(entries) + '"'
        if len(inline) <= MAX_INLINE_LIST:
            formula = inline
        else:
            if lists is None:
                lists = workbook.create_sheet("选项")
                lists.sheet_state = "hidden"
            used += 1
            letter = get_column_letter(used)
            for row, entry in enumerate(entries, start=1):
                lists[f"{letter}{row}"] = entry
            formula = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(entries)}"
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose from the list, or check that the import accepts what you typed."),
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def member_import_template():
    """The template as an in-memory xlsx."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    sheet.append(_example_row())
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        if column.field in {"id_number", "phone", "employer", "card_number"}:
            # Text, so that Excel keeps every digit of what is typed (and no leading zero goes).
            sheet.column_dimensions[letter].number_format = TEXT
            sheet.cell(row=2, column=index).number_format = TEXT
        if column.field == "joined_on":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    sheet.column_dimensions[get_column_letter(4)].width = 22
    sheet.freeze_panes = "A2"
    _add_drop_downs(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
