"""Everything the briefing says, as one context for the page and the Word document: the title, the opening
paragraph and the numbered sections with their sentences."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.models import Threshold, Timeliness
from reports.briefing.handed_in import (
    handed_in,
    latest_due,
)
from reports.briefing.rankings import (
    coverage_ranking,
    stage_row,
    target_row,
    timeliness_ranking,
)
from reports.briefing.rows import (
    EntryList,
    Section,
    Table,
    long_date,
)
from reports.templatetags.reports import percent


def context(dashboard):
    """Everything the briefing says, for the page and the .docx alike."""
    stages = [stage_row(stage, dashboard.as_of) for stage in dashboard.stages]
    latest = latest_due(dashboard)
    submitted, missing = handed_in(dashboard, latest) if latest else ([], [])
    coverage = coverage_ranking(dashboard)
    timeliness = timeliness_ranking(dashboard)
    targets = [target_row(line) for line in dashboard.targets if line.target is not None]
    sections = [
        _overall_section(dashboard, stages),
        _coverage_section(dashboard, coverage),
        _timeliness_section(dashboard, timeliness),
        reports_section(dashboard, latest, submitted, missing),
    ]
    if targets:
        sections.append(_targets_section(targets))
    if dashboard.push and dashboard.push["designated"]:
        sections.append(_push_section(dashboard.push, number=len(sections) + 1))
    return {
        "title": title(dashboard.campaign),
        "date": dashboard.as_of,
        "date_line": _("(as of %(date)s)") % {"date": long_date(dashboard.as_of)},
        "opening": _opening(dashboard),
        "sections": sections,
        "stages": stages,
        "coverage_ranking": coverage,
        "timeliness_ranking": timeliness,
        "deadline": latest.deadline if latest else None,
        "submitted": submitted,
        "missing": missing,
        "targets": targets,
    }


def title(campaign):
    if campaign is None:
        return _("Briefing on the union coverage of enterprises")
    return _("Briefing on the progress of the %(year)s %(campaign)s") % {
        "year": str(campaign.year),
        "campaign": campaign.name,
    }


def filename(dashboard):
    return _("Briefing_%(date)s.docx") % {"date": dashboard.as_of.isoformat()}


def _opening(dashboard):
    """The opening paragraph: enterprises in scope, with a union, the coverage, and the change since last time."""
    total = dashboard.total
    values = {
        "area": dashboard.area.name,
        "scope": Threshold(dashboard.threshold).label,
        "total": total.figures["total"],
        "union": total.union_count,
        "rate": percent(total.union_rate),
    }
    if dashboard.is_live:
        text = _(
            "%(area)s has %(total)s enterprises of %(scope)s in scope, %(union)s of them with a union: "
            "a union coverage of %(rate)s."
        )
    else:
        text = _(
            "The approved survey reports from %(area)s count %(total)s enterprises in scope, %(union)s of them "
            "with a union: a union coverage of %(rate)s."
        )
    opening, comparison = text % values, _comparison(dashboard)
    if comparison:
        # Chinese runs sentences on without a space; the joining is the translation's to decide.
        opening = _("%(first)s %(second)s") % {"first": opening, "second": comparison}
    return [opening]


def _comparison(dashboard):
    change = dashboard.total.union_rate_change
    if change is None or dashboard.previous is None:
        return ""
    values = {
        "campaign": str(dashboard.previous),
        "rate": percent(dashboard.total.previous_union_rate),
        "points": f"{abs(change) * 100:.1f}",
    }
    if values["points"] == "0.0":
        return _("That is the same as in %(campaign)s (%(rate)s).") % values
    if change > 0:
        return _("That is %(points)s percentage points higher than in %(campaign)s (%(rate)s).") % values
    return _("That is %(points)s percentage points lower than in %(campaign)s (%(rate)s).") % values


def _source(dashboard):
    if dashboard.is_live:
        source = _("The registry, live")
    else:
        source = _("%(campaign)s, approved reports") % {"campaign": dashboard.source}
    return _("Figures from: %(source)s.") % {"source": source}


def _overall_section(dashboard, stages):
    figures = dashboard.total.figures
    composition = _(
        "Of these, %(both)s have both a party organisation and a union, %(party_only)s a party organisation but "
        "no union, %(union_only)s a union but no party organisation, and %(neither)s neither; the party "
        "organisation coverage is %(party_rate)s."
    ) % {**figures, "party_rate": percent(dashboard.total.party_rate)}
    paragraphs = [composition, _source(dashboard)]
    table = None
    if stages:
        paragraphs.append(_("Reports handed in by the end of %(date)s:") % {"date": long_date(dashboard.as_of)})
        on_time, extended, late, missing = (word.label for word in Timeliness)
        columns = [
            _("Report"),
            _("Due"),
            _("Expected"),
            _("Handed in"),
            on_time,
            extended,
            late,
            missing,
            _("Approved"),
            _("Completeness"),
        ]
        table = Table(columns, stages)
    return Section("overall", _("1. Overall progress"), paragraphs, table)


def _coverage_section(dashboard, rows):
    heading = _("2. Union coverage by area")
    if not rows:
        return Section("coverage", heading, [_("None")])
    by_unit = any(line.unit is not None for line in dashboard.total.children)
    columns = [_("Rank"), _("Unit") if by_unit else _("Area"), _("Enterprises in scope")]
    columns += [_("Enterprises with a union"), _("Union coverage")]
    if dashboard.total.previous is not None:
        columns.append(_("Change (percentage points)"))
    return Section("coverage", heading, table=Table(columns, rows))


def _nothing_due(dashboard):
    return _("No report was due by %(date)s.") % {"date": long_date(dashboard.as_of)}


def _timeliness_section(dashboard, rows):
    heading = _("3. Timeliness of reporting")
    if not any(row.due for row in rows):
        return Section("timeliness", heading, [_nothing_due(dashboard)])
    columns = [_("Rank"), _("Unit"), _("Reports due"), *(word.label for word in Timeliness), _("On-time rate")]
    return Section("timeliness", heading, table=Table(columns, rows))


def reports_section(dashboard, latest, submitted, missing, heading=None):
    """Which units had handed the latest report due in by the date, and which had not; `dashboard` needs only
    `as_of`, so a members campaign's briefing says it in the same words under its own heading."""
    heading = heading or _("4. Reports handed in and not handed in")
    if latest is None:
        return Section("reports", heading, [_nothing_due(dashboard)])
    summary = _(
        "%(report)s was due on %(date)s. Of %(expected)s units, %(submitted)s had handed it in by the end of "
        "%(as_of)s (%(on_time)s on time, %(extended)s within an approved extension, %(late)s after the deadline "
        "had passed) and %(missing)s had not."
    ) % {
        "report": latest.deadline.title,
        "date": long_date(latest.deadline.due_on),
        "as_of": long_date(dashboard.as_of),
        "expected": len(submitted) + len(missing),
        "submitted": len(submitted),
        **{word.value: sum(entry.timeliness == word.value for entry in submitted) for word in Timeliness},
        "missing": len(missing),
    }
    lists = [
        EntryList("submitted", _("Handed in (%(count)s)") % {"count": len(submitted)}, submitted),
        EntryList("missing", _("Not handed in (%(count)s)") % {"count": len(missing)}, missing),
    ]
    return Section("reports", heading, [summary], lists=lists)


def _targets_section(rows):
    columns = [
        _("Unit"),
        _("Target: enterprises with a union"),
        _("Enterprises with a union"),
        _("Reached"),
        _("Target coverage"),
        _("Union coverage"),
        _("Coverage target met"),
    ]
    return Section("targets", _("5. Targets"), table=Table(columns, rows))


@dataclass(frozen=True)
class GradeRow:
    label: str
    count: int

    @property
    def cells(self):
        return [self.label, str(self.count)]


def _push_section(progress, number):
    """The push phase: key enterprises designated, how far their cases went, how many got a union, letters."""
    summary = (
        _(
            "%(designated)s key enterprises without a union were designated; %(with_measures)s have had measures "
            "taken, %(unionised)s have founded a union during the campaign and %(letters)s letters have been issued. "
            "%(stale)s cases have had no step for 30 days."
        )
        % progress
    )
    rows = [GradeRow(_("No measure yet"), progress["no_measure"])]
    rows += [GradeRow(f"{row['grade'].value}. {row['label']}", row["count"]) for row in progress["grades"]]
    table = Table([_("Highest measure reached"), _("Key enterprises")], rows)
    heading = _("%(number)s. Progress of the push phase") % {"number": number}
    return Section("push", heading, [summary], table)
