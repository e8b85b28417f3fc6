"""The further sheets that list enterprises: the headquarters-type hard cases and the key enterprises without
a union."""

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import KEY_HEADCOUNT, MANUFACTURING
from reports.dashboards import KEY_UNUNIONISED, key_headcount_of
from reports.statform.layout import (
    CENTRED,
    CHECK_MARK,
    COUNT_FORMAT,
    LINE_HEIGHT,
    RIGHT,
    RIGHT_BLOCK,
    TITLE_FONT,
    TITLE_HEIGHT,
    Column,
    Group,
    Numbered,
    field_label,
    fit_heights,
    leaves,
    long_date,
    print_setup,
    set_widths,
    text_line,
    write_table,
)
from reports.statform.names import (
    form_year,
    scope_text,
)

# Further sheets: lists of enterprises


def _flag(name):
    return lambda row: CHECK_MARK if getattr(row.item, name) else None


def identity_columns():
    """序号 and what identifies an enterprise and who answers for it."""
    return [
        Column(_("Serial no."), lambda row: row.number, align="center", width=6),
        Column(field_label("credit_code"), lambda row: row.item.credit_code, align="left", width=20),
        Column(field_label("name"), lambda row: row.item.name, align="left", width=24, fit=True),
        Column(field_label("county"), lambda row: row.item.county.name, align="left", width=10, fit=True),
        Column(field_label("responsible_unit"), lambda row: row.item.responsible_unit.name, align="left", fit=True),
    ]


def _enterprise_columns():
    """What identifies an enterprise, its size and its party organisation."""
    return [
        *identity_columns(),
        Column(field_label("headcount"), lambda row: row.item.headcount, number_format=COUNT_FORMAT, width=9),
        Column(field_label("party_org"), lambda row: row.item.get_party_org_display(), align="center", width=10),
    ]


def hard_case_columns(reasons=None):
    """`reasons` maps an enterprise's pk to the reason its unit gave in the campaign's survey report."""
    reasons = reasons or {}
    return [
        *_enterprise_columns(),
        Column(field_label("operates_across_prefectures"), _flag("operates_across_prefectures"), align="center"),
        Column(field_label("long_without_union"), _flag("long_without_union"), align="center"),
        Column(
            _("Reason given by the unit"), lambda row: reasons.get(row.item.pk, ""), align="left", width=30, fit=True
        ),
    ]


def key_reasons(headcount=KEY_HEADCOUNT):
    """Why an enterprise without a union is a key one (the 2019 plan, section 三（二）); large is `headcount` staff
    or more."""
    large = _("Large (%(count)s or more staff)") % {"count": headcount}
    return [
        Column(large, lambda row: CHECK_MARK if row.item.headcount >= headcount else None, align="center"),
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


def key_columns(headcount=KEY_HEADCOUNT):
    return [*_enterprise_columns(), Group(_("Why it is a key enterprise"), tuple(key_reasons(headcount)))]


def write_list(sheet, heading, unit, items, enterprises, notes=(), source=None):
    """A titled list of enterprises (or of other items), numbered, with the date of the data it comes from."""
    columns = list(leaves(items))
    width = len(columns)
    header_top = 3
    records = [Numbered(number, enterprise) for number, enterprise in enumerate(enterprises, 1)]
    header_bottom, end = write_table(sheet, header_top, items, records)
    set_widths(sheet, columns, header_bottom + 1, end - 1)
    text_line(sheet, 1, 1, width, heading, font=TITLE_FONT, alignment=CENTRED, height=TITLE_HEIGHT)
    text_line(sheet, 2, 1, width - RIGHT_BLOCK, _("Reporting unit: %(unit)s") % {"unit": unit})
    registry = source or _("From the enterprise registry as of %(date)s.") % {"date": long_date(timezone.localdate())}
    text_line(sheet, 2, width - RIGHT_BLOCK + 1, width, registry, alignment=RIGHT)
    fit_heights(sheet, header_top, header_bottom, minimum=2 * LINE_HEIGHT)
    fit_heights(sheet, header_bottom + 1, end - 1)
    for offset, note in enumerate(notes, 1):
        text_line(sheet, end + offset, 1, width, note)
    sheet.freeze_panes = sheet.cell(header_bottom + 1, 1)
    print_setup(sheet, f"{header_top}:{header_bottom}")


def _list_heading(text, dashboard):
    return text % {"area": dashboard.area.name, "year": form_year(dashboard), "scope": scope_text(dashboard.threshold)}


def write_hard_cases(sheet, dashboard, unit, hard_cases, reasons=None):
    text = _("Headquarters-type hard cases in %(area)s in %(year)s, enterprises with %(scope)s")
    notes = []
    if dashboard.campaign is not None:
        notes.append(
            _("The reasons are those the units gave in their survey reports of %(campaign)s.")
            % {"campaign": dashboard.campaign}
        )
    write_list(sheet, _list_heading(text, dashboard), unit, hard_case_columns(reasons), hard_cases, notes)


def write_key_enterprises(sheet, dashboard, unit, key_enterprises):
    """The list is cut at the largest KEY_UNUNIONISED; a full list says so."""
    enterprises = list(key_enterprises)
    notes = [_("Largest first.")]
    if len(enterprises) >= KEY_UNUNIONISED:
        notes.append(_("Only the largest %(limit)s are listed.") % {"limit": KEY_UNUNIONISED})
    text = _("Key enterprises without a union in %(area)s in %(year)s, enterprises with %(scope)s")
    columns = key_columns(key_headcount_of(dashboard.campaign))
    write_list(sheet, _list_heading(text, dashboard), unit, columns, enterprises, notes)
