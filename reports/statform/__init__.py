"""The Excel summary laid out as the official statistical form (统计表), with its further sheets.

The first sheet is what the organisation department hands its leaders: a titled and numbered form whose columns
check against each other (the relations are printed under the table), with the lines signed off in its footer. The
further sheets list the enterprises behind the work still to do and how punctually the units reported. Every sheet
prints on A4 landscape, one page wide, with its header rows repeated on each page.

Rates are written as numbers in per cent, rounded to one decimal as the form prints them, so that a reader who checks
7 = 6 ÷ 1 × 100 on paper finds the same figure as the cell holds.

`layout` holds the look and the building tools, `names` the title and numbers, and each sheet has its module:
`form`, `enterprise_lists`, `timeliness`.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from reports.statform.enterprise_lists import write_hard_cases, write_key_enterprises
from reports.statform.form import write_form
from reports.statform.layout import sheet_name
from reports.statform.names import FORM_NUMBER, filename, reporting_unit, title
from reports.statform.timeliness import write_timeliness

__all__ = ["FORM_NUMBER", "filename", "reporting_unit", "title", "write_summary"]


def write_summary(file, dashboard, *, hard_cases, key_enterprises, hard_case_reasons=None):
    """The form, then the hard cases, the key enterprises and the timeliness of reports, into `file` (binary)."""
    unit = reporting_unit(dashboard.area)
    book = Workbook()
    form = book.active
    form.title = sheet_name(_("Statistical form"))
    write_form(form, dashboard, unit)
    hard = book.create_sheet(sheet_name(_("Headquarters-type hard cases")))
    write_hard_cases(hard, dashboard, unit, hard_cases, hard_case_reasons or {})
    keys = book.create_sheet(sheet_name(_("Key enterprises without a union")))
    write_key_enterprises(keys, dashboard, unit, key_enterprises)
    write_timeliness(book.create_sheet(sheet_name(_("Timeliness of reports"))), dashboard)
    book.save(file)
