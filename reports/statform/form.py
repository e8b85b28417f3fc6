"""Sheet 1, the statistical form itself: 甲 乙 and columns 1-9 (10-11 when comparing), 合计 first, each
prefecture followed by its counties, the check relations and the signature footer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import FIGURE_LABELS, FIGURES
from reports.dashboards import union_count
from reports.statform.layout import (
    CHANGE_FORMAT,
    Column,
    FormRow,
    FormTop,
    Group,
    count_column,
    long_date,
    per_cent,
    rate_column,
    signature_footer,
    write_statistical_form,
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
    top = FormTop(title(dashboard), FORM_NUMBER, unit, _("Unit of measure: enterprises, per cent"))
    write_statistical_form(
        sheet,
        form_columns(with_previous),
        rows,
        top=top,
        notes=form_notes(dashboard, with_previous),
        footer=footer(dashboard),
        # The total and the prefectures in bold; each level further in, so that counties sit under their prefecture.
        bold=lambda row: row.level == 0 or bool(row.line.children),
    )
