"""The briefing of a members campaign (the 2015 plan): migrant-worker members against the year before the campaign,
the targets, the 80 per cent rule, 八有, the reports handed in and what remains to be done.

The figures are the members dashboard's own (reports.enrolment.build), for the area and each unit directly below
it, so the briefing and the dashboard always give the same numbers. The context has the shape of the enterprise
briefing's (title, opening, numbered sections), so the same page and the same Word writer print it. The tables
and their rankings are made in `member_rankings`; this module writes the words around them.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Participation
from reports import enrolment
from reports.briefing.content import reports_section, title
from reports.briefing.handed_in import handed_in, latest_due
from reports.briefing.member_rankings import (
    baseline_ranking,
    eight_haves_ranking,
    eight_haves_rate,
    eighty_ranking,
    eighty_rate,
    gap_rows,
    target_rows,
)
from reports.briefing.rows import Section, Table, long_date
from reports.dashboards.lines import rate
from reports.dashboards.progress import progress
from reports.templatetags.reports import percent
from unions.models import UnionOrg
from unions.selectors import display_order


def _label(name):
    """A column heading of the dashboard, as text in the language of the request."""
    return str(enrolment.COLUMN_LABELS[name])


@dataclass
class MembersBriefing:
    """What the reports part of the briefing and the Word writer need: the area, the date, the deadlines."""

    campaign: Campaign
    area: UnionOrg
    as_of: object
    stages: list = field(default_factory=list)


def members_context(campaign, org, as_of=None):
    """Everything a members campaign's briefing says about `org` and the units directly below it."""
    as_of = as_of or timezone.localdate()
    dashboard, _figures = enrolment.build(campaign, org)
    lines = dashboard.lines
    briefing = MembersBriefing(campaign, org, as_of, _stages(campaign, org, as_of))
    latest = latest_due(briefing)
    submitted, missing = handed_in(briefing, latest) if latest else ([], [])
    baseline_rows, unranked = baseline_ranking(lines)
    targets = target_rows(dashboard)
    eighty_rows = eighty_ranking(lines)
    eight_haves_rows = eight_haves_ranking(lines)
    remaining = gap_rows(lines)
    base_year = campaign.year - 1
    sections = [
        _baseline_section(baseline_rows, unranked, base_year),
        _targets_section(targets, dashboard),
        _eighty_section(eighty_rows, dashboard.total.figures),
        _eight_haves_section(eight_haves_rows, dashboard.total.figures),
        reports_section(briefing, latest, submitted, missing, _("5. Reports handed in and not handed in")),
        _remaining_section(remaining, dashboard, dashboard.total.figures["eighty_gap"]),
    ]
    return {
        "title": title(campaign),
        "date": as_of,
        "date_line": _("(as of %(date)s)") % {"date": long_date(as_of)},
        "opening": _opening(dashboard, as_of, base_year),
        "sections": sections,
        "members_briefing": briefing,
        "baseline_ranking": baseline_rows,
        "targets": targets,
        "eighty_ranking": eighty_rows,
        "eight_haves_ranking": eight_haves_rows,
        "gaps": remaining,
        "deadline": latest.deadline if latest else None,
        "submitted": submitted,
        "missing": missing,
    }


def _stages(campaign, org, as_of):
    """Completeness and timeliness of the reports of the units taking part within `org`'s area."""
    participations = sorted(
        Participation.objects.filter(campaign=campaign, unit__path__startswith=org.path).select_related(
            "unit", "campaign"
        ),
        key=lambda participation: display_order(participation.unit),
    )
    stages, _units = progress(campaign, participations, as_of)
    return stages


def _names(rows):
    return _(", ").join(row.name for row in rows)


def _difference(change, baseline):
    growth = rate(abs(change), baseline)
    values = {"change": abs(change), "rate": percent(growth)}
    if change > 0:
        return (_("%(change)s more, a growth of %(rate)s") if growth is not None else _("%(change)s more")) % values
    if change < 0:
        return _("%(change)s fewer, a fall of %(rate)s") % values
    return _("no change")


def _opening(dashboard, as_of, base_year):
    figures = dashboard.total.figures
    first = _(
        "As of %(date)s, %(area)s has %(members)s migrant-worker members, %(new)s of whom joined in %(year)s."
    ) % {
        "date": long_date(as_of),
        "area": dashboard.org.name,
        "members": figures["migrant_members"],
        "new": figures["new_migrant_members"],
        "year": dashboard.campaign.year,
    }
    return [_("%(first)s %(second)s") % {"first": first, "second": _against_baseline(dashboard, base_year)}]


def _against_baseline(dashboard, base_year):
    """The area against the year before: its own baseline if it has one, else the units below it that have."""
    figures = dashboard.total.figures
    if figures["baseline"] is not None:
        return _("In %(base_year)s there were %(baseline)s: %(difference)s.") % {
            "base_year": base_year,
            "baseline": figures["baseline"],
            "difference": _difference(figures["against_baseline"], figures["baseline"]),
        }
    with_baseline = [line for line in dashboard.lines if line.figures["baseline"] is not None]
    if not with_baseline:
        return _("No %(base_year)s baseline has been entered yet, so the change against it cannot be given.") % {
            "base_year": base_year
        }
    members = sum(line.figures["migrant_members"] for line in with_baseline)
    baseline = sum(line.figures["baseline"] for line in with_baseline)
    text = _(
        "The %(count)s units with a %(base_year)s baseline have %(members)s now and had %(baseline)s in "
        "%(base_year)s: %(difference)s."
    ) % {
        "count": len(with_baseline),
        "base_year": base_year,
        "members": members,
        "baseline": baseline,
        "difference": _difference(members - baseline, baseline),
    }
    without = sum(line.figures["baseline"] is None for line in dashboard.lines)
    if without:
        # The units are named in the first section; the opening only says how many.
        more = _("Units without a %(base_year)s baseline: %(count)s.") % {"base_year": base_year, "count": without}
        text = _("%(first)s %(second)s") % {"first": text, "second": more}
    return text


def _baseline_section(rows, unranked, base_year):
    heading = _("1. Migrant-worker members against %(base_year)s") % {"base_year": base_year}
    source = _("Figures from: %(source)s.") % {"source": _("the member rolls and the registry, live")}
    if not rows:
        return Section("baseline", heading, [source])
    paragraphs = [source, _("Ranked by the growth against %(base_year)s.") % {"base_year": base_year}]
    if unranked:
        paragraphs.append(
            _("No %(base_year)s baseline has been entered for %(units)s: listed last, not ranked.")
            % {"base_year": base_year, "units": _names(unranked)}
        )
    columns = [_("Rank"), _("Unit"), _label("migrant_members"), _label("new_migrant_members")]
    columns += [_("Baseline (%(base_year)s)") % {"base_year": base_year}, _("Change"), _("Growth rate")]
    return Section("baseline", heading, paragraphs, Table(columns, rows))


def _who_met(rows, key, what):
    judged = [row for row in rows if row.values[key] is not None]
    if not judged:
        return None
    met = [row for row in judged if row.values[key]]
    values = {"what": what, "count": len(judged), "met": len(met), "units": _names(met)}
    if not met:
        return _("%(what)s: reached by none of the %(count)s units given this target.") % values
    return _("%(what)s: reached by %(met)s of the %(count)s units given this target (%(units)s).") % values


def _targets_section(rows, dashboard):
    heading = _("2. Against the targets")
    if not rows:
        return Section("targets", heading, [_("No targets have been set.")])
    paragraphs = [_("Ranked by the share of the target of new members reached.")]
    for key, what in (
        ("new_met", _("The target of new members")),
        ("eighty_met", _("The target for the 80 per cent rule")),
        ("eight_haves_met", _("The target for 八有")),
    ):
        sentence = _who_met(rows, key, what)
        if sentence:
            paragraphs.append(sentence)
    without = [line.org for line in dashboard.lines if line.target is None]
    if without:
        paragraphs.append(_("No targets were set for %(units)s.") % {"units": _names(without)})
    columns = [_("Rank"), _("Unit"), _("Target: new members"), _label("new_migrant_members"), _("Share reached")]
    columns += [_("Target: 80 per cent rate"), _("80 per cent rate")]
    columns += [_("Target: 八有 rate"), _("八有 rate")]
    return Section("targets", heading, paragraphs, Table(columns, rows))


def _eighty_section(rows, total):
    heading = _("3. The 80 per cent rule in 四要素 enterprises")
    summary = _(
        "Of the %(employing)s 四要素 enterprises employing migrant workers, %(met)s have at least 80 per cent of "
        "them as members: %(rate)s."
    ) % {
        "employing": total["eighty_employing"],
        "met": total["eighty_met"],
        "rate": percent(eighty_rate(total)),
    }
    if not rows:
        return Section("eighty", heading, [summary])
    columns = [_("Rank"), _("Unit"), _label("four_criteria"), _label("four_criteria_with_union")]
    columns += [_("employing migrant workers"), _label("eighty_met"), _label("eighty_below"), _("80 per cent rate")]
    return Section("eighty", heading, [summary, _("Ranked by the 80 per cent rate.")], Table(columns, rows))


def _eight_haves_section(rows, total):
    heading = _("4. Township unions meeting 八有")
    summary = _("Of the %(townships)s township unions, %(meeting)s meet the 八有 standard: %(rate)s.") % {
        "townships": total["townships"],
        "meeting": total["townships_meeting"],
        "rate": percent(eight_haves_rate(total)),
    }
    if not rows:
        return Section("eight_haves", heading, [summary])
    columns = [_("Rank"), _("Unit"), _label("townships"), _label("townships_meeting"), _("八有 rate")]
    return Section("eight_haves", heading, [summary, _("Ranked by the 八有 rate.")], Table(columns, rows))


def _missing_items(dashboard, limit=3):
    """The 八有 items township unions in the area miss most often, with how many miss each."""
    items = sorted(dashboard.missing_items, key=lambda item: -item[1])[:limit]
    return _(", ").join(_("%(item)s (%(count)s)") % {"item": label, "count": count} for label, count in items)


def _remaining_section(rows, dashboard, people_short):
    heading = _("6. What remains to be done")
    total = dashboard.total.figures
    paragraphs = [
        _(
            "%(without)s 四要素 enterprises still have no union; %(below)s are below 80 per cent, %(people)s "
            "migrant-worker members short of it; %(townships)s township unions do not yet meet 八有."
        )
        % {
            "without": total["four_criteria_without_union"],
            "below": total["eighty_below"],
            "people": people_short,
            "townships": total["townships"] - total["townships_meeting"],
        }
    ]
    if dashboard.missing_items:
        paragraphs.append(_("The 八有 items most often missing: %(items)s.") % {"items": _missing_items(dashboard)})
    if not rows:
        return Section("remaining", heading, paragraphs)
    columns = [_("Unit"), _label("four_criteria_without_union"), _label("eighty_below")]
    columns += [_("Members short of 80 per cent"), _("Township unions not meeting 八有")]
    return Section("remaining", heading, paragraphs, Table(columns, rows))
