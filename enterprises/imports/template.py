"""The import template: Chinese headers, an example row that passes its own checks, and drop-down lists.

The example row is made for the person who downloads it (a county of their area, a credit code registered
there with the right check character), so that uploading the template unchanged is a valid import of one
enterprise. Each choice column offers its choices as an Excel drop-down (data validation); a list too long
for the validation's own formula (Excel allows 255 characters) is kept on a hidden sheet and referenced by
range. The drop-downs only warn: the import also takes codes and other spellings (a county's code, an
industry's letter, Y/N), and pasted cells bypass them anyway.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.credit_code import with_check_character
from enterprises.forms import counties_for, reporting_units_for
from enterprises.imports.preview import MAX_ROWS
from enterprises.models import IndustrySection, KeySector, PartyOrg, UnionStatus
from enterprises.resources import COLUMNS, YesNoWidget, headers

SHEET_TITLE = "企业名录"
MAX_INLINE_LIST = 255  # characters of a list validation's formula, Excel's limit
CHOICE_LABELS = {
    "industry": IndustrySection,
    "key_sector": KeySector,
    "party_org": PartyOrg,
    "union_status": UnionStatus,
}


def _choices(user):
    """Each choice column's list of accepted entries, as the user would pick them."""
    counties = list(counties_for(user).order_by("code"))
    names = [county.name for county in counties]
    if len(set(names)) < len(names):  # the same county name in two prefectures: say which
        names = [f"{county.parent.name}{county.name}" for county in counties]
    choices = {
        "county": names,
        "responsible_unit": [unit.name for unit in reporting_units_for(user)],
    }
    for field, enumeration in CHOICE_LABELS.items():
        choices[field] = [str(label) for _code, label in enumeration.choices]
    yes, no = _("Yes"), _("No")
    for name, widget, _example in COLUMNS:
        if isinstance(widget, YesNoWidget):
            choices[name] = [yes, no]
    return {field: entries for field, entries in choices.items() if entries}


def _example_row(user):
    """The template's example, valid for this user: a county of their area and a code registered there."""
    county = counties_for(user).order_by("code").first()
    example = {name: value for name, _widget, value in COLUMNS}
    example["industry"] = str(IndustrySection.C.label)
    if county is not None:
        example["county"] = county.name
        example["credit_code"] = with_check_character(f"91{county.code}MA6T00001")
        example["address"] = f"{county.parent.name}{county.name}雪域路1号"
        example["development_zone"] = ""
    return [example[name] for name, _widget, _value in COLUMNS]


def _add_drop_downs(workbook, sheet, choices):
    lists, used = None, 0
    for index, (name, _widget, _example) in enumerate(COLUMNS, start=1):
        entries = choices.get(name)
        if not entries:
            continue
        inline = '"' + ",".join(entries) + '"'
        if len(inline) <= MAX_INLINE_LIST and not any("," in entry for entry in entries):
            formula = inline
        else:
            if lists is None:
                lists = workbook.create_sheet(_("Choices"))
                lists.sheet_state = "hidden"
            used += 1
            column = get_column_letter(used)
            for row, entry in enumerate(entries, start=1):
                lists[f"{column}{row}"] = entry
            formula = f"{quote_sheetname(lists.title)}!${column}$1:${column}${len(entries)}"
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


def import_template_file(user):
    """The import template for this user, as an in-memory xlsx."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    titles = headers()
    sheet.append(titles)
    sheet.append(_example_row(user))
    for index, title in enumerate(titles, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(title) * 2 + 2)
    sheet.freeze_panes = "A2"
    _add_drop_downs(workbook, sheet, _choices(user))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
