"""The further sheet on how punctually the units reported: per deadline, then per unit."""

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from campaigns.models import Timeliness
from reports.statform.layout import (
    CENTRED,
    DATE_FORMAT,
    RIGHT,
    TITLE_FONT,
    TITLE_HEIGHT,
    Column,
    count_column,
    fit_heights,
    long_date,
    per_cent,
    print_setup,
    rate_column,
    set_widths,
    text_line,
    write_table,
)

# Further sheets: timeliness


def _words(value):
    """One count column per word of campaigns.models.Timeliness, headed by the word itself."""
    return [count_column(str(word.label), value(word.value)) for word in Timeliness]


def stage_columns():
    return [
        Column(_("Report due"), lambda stage: stage.deadline.title, align="left", width=24, fit=True),
        Column(_("Due"), lambda stage: stage.deadline.due_on, number_format=DATE_FORMAT, align="center", width=16),
        count_column(_("Expected"), lambda stage: stage.expected),
        count_column(_("Handed in"), lambda stage: stage.submitted),
        *_words(lambda name: lambda stage: getattr(stage, name)),
        count_column(_("Not yet due"), lambda stage: stage.pending),
        count_column(_("Approved"), lambda stage: stage.approved),
    ]


def unit_columns():
    return [
        Column(_("Unit"), lambda record: record.unit.name, align="left", width=24, fit=True),
        count_column(_("Reports due"), lambda record: record.due),
        *_words(lambda name: lambda record: getattr(record, name)),
        rate_column(_("On-time rate"), lambda record: per_cent(record.on_time, record.due)),
        Column(_("Missing reports"), lambda record: "\n".join(record.missing_titles), align="left", fit=True),
    ]


def write_timeliness(sheet, dashboard):
    """Per deadline, then per unit. The two tables differ, so the sheet's title rows are the ones repeated."""
    stages, units = stage_columns(), unit_columns()
    width = max(len(stages), len(units))
    first = 3
    if dashboard.campaign is None:
        heading = _("Timeliness of reports")
        text_line(sheet, first, 1, width, _("No campaign to report on."))
    else:
        heading = _("%(campaign)s: timeliness of reports from %(area)s") % {
            "campaign": dashboard.campaign,
            "area": dashboard.area.name,
        }
        _header_bottom, end = write_table(sheet, first, stages, dashboard.stages)
        _header_bottom, end = write_table(sheet, end + 1, units, dashboard.units)
        _set_shared_widths(sheet, stages, units, first, end - 1)
        fit_heights(sheet, first, end - 1)
    text_line(sheet, 1, 1, width, heading, font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    text_line(sheet, 2, 1, width, _("Counted up to %(date)s.") % {"date": long_date(dashboard.as_of)}, alignment=RIGHT)
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
