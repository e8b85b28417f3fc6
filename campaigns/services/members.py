"""The figures of a members campaign (the 2015 plan), computed from the registry and the member rolls.

For one reporting unit: its migrant-worker members and those who joined in the campaign's year, against the 2014
baseline; the 四要素 enterprises with and without a union; the 80% rule in them; small enterprises and the joint
grassroots unions that cover them; unions and members by the plan's key sectors; the 八有 standard of its township
unions. Members are read from the tallies (members.tallies), never from the rolls, so a figure costs the same for
ten members or a million.

Members are counted as of the campaign's year: those current today who joined by its end. While the campaign runs
that is every current member; for an earlier campaign it leaves out those who joined later.
"""

import math
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import MemberBaseline, MemberFigureChange, MemberTarget
from campaigns.services.errors import WorkflowError
from enterprises.models import Enterprise, KeySector, UnionStatus
from members.models import MemberTally
from unions.models import GrassrootsForm, UnionOrg
from unions.selectors import eight_haves_summary, meeting_eight_haves_pks

# The 80% rule: migrant-worker members over migrant workers employed, in every 四要素 enterprise.
EIGHTY = 0.8
# 25人以上 includes 25 (GLOSSARY, "the 25 boundary"): an enterprise of exactly 25 counts under 四要素; a small
# enterprise, for a joint grassroots union, has fewer than 25 staff.
SMALL_BELOW = 25
# "规模以上非公企业": the plan gives no size and the registry holds no turnover; we read it as non-public enterprises
# of 100 or more staff, the 2019 plan's scope.
ABOVE_SCALE_HEADCOUNT = 100

# The key sectors the 2015 plan names, in its order: (key, label, enterprises in it, member tallies in it).
# Members of a community, village or zone union with no employer recorded count under their union's sector.
SECTORS = (
    (
        "zone",
        gettext_lazy("Development zones and industrial parks"),
        ~Q(development_zone=""),
        Q(employer__development_zone__gt="") | Q(employer__isnull=True, union__form=GrassrootsForm.ZONE),
    ),
    *(
        (sector.value, sector.label, Q(key_sector=sector.value), Q(employer__key_sector=sector.value))
        for sector in (
            KeySector.CONSTRUCTION,
            KeySector.LOGISTICS,
            KeySector.TAXI,
            KeySector.DOMESTIC,
            KeySector.COOPERATIVE,
        )
    ),
    (
        "above_scale",
        gettext_lazy("Non-public enterprises above designated size"),
        Q(is_non_public=True, headcount__gte=ABOVE_SCALE_HEADCOUNT),
        Q(employer__is_non_public=True, employer__headcount__gte=ABOVE_SCALE_HEADCOUNT),
    ),
    (
        KeySector.COMMUNITY.value,
        gettext_lazy("Communities and villages"),
        Q(key_sector=KeySector.COMMUNITY),
        Q(employer__key_sector=KeySector.COMMUNITY)
        | Q(employer__isnull=True, union__form__in=[GrassrootsForm.COMMUNITY, GrassrootsForm.VILLAGE]),
    ),
)
SECTOR_LABELS = {key: label for key, label, _enterprises, _members in SECTORS}

# The flat figures a members campaign freezes, in the order reports show them.
MEMBER_FIGURE_NAMES = (
    "migrant_members",
    "new_migrant_members",
    "baseline",
    "against_baseline",
    "four_criteria",
    "four_criteria_with_union",
    "four_criteria_without_union",
    "eighty_employing",
    "eighty_met",
    "eighty_below",
    "eighty_migrant_workers",
    "eighty_migrant_members",
    "small",
    "small_joint",
    "townships",
    "townships_meeting",
)
MEMBER_FIGURE_LABELS = {
    "migrant_members": gettext_lazy("Migrant-worker members"),
    "new_migrant_members": gettext_lazy("Migrant-worker members who joined this year"),
    "baseline": gettext_lazy("Migrant-worker members in 2014 (baseline)"),
    "against_baseline": gettext_lazy("Change against 2014"),
    "four_criteria": gettext_lazy("四要素 enterprises"),
    "four_criteria_with_union": gettext_lazy("四要素 enterprises with a union"),
    "four_criteria_without_union": gettext_lazy("四要素 enterprises without a union"),
    "eighty_employing": gettext_lazy("四要素 enterprises employing migrant workers"),
    "eighty_met": gettext_lazy("of which 80 per cent or more are members"),
    "eighty_below": gettext_lazy("of which fewer than 80 per cent are members"),
    "eighty_migrant_workers": gettext_lazy("Migrant workers employed in 四要素 enterprises"),
    "eighty_migrant_members": gettext_lazy("of whom members"),
    "small": gettext_lazy("Enterprises of fewer than 25 staff"),
    "small_joint": gettext_lazy("of which covered by a joint grassroots union"),
    "townships": gettext_lazy("Township and street unions"),
    "townships_meeting": gettext_lazy("of which meeting the 八有 standard"),
}


def member_tallies(unit, year):
    """The tallies of the members the unit's unions hold, joined by the end of `year`."""
    return MemberTally.objects.filter(union__path__startswith=unit.path, joined_year__lte=year)


def four_criteria_enterprises(unit):
    return Enterprise.objects.reported_by(unit).meeting_four_criteria()


def migrant_members_by_employer(enterprises, year):
    """{enterprise pk: migrant-worker members it employs, joined by the end of `year`}, whichever union holds them."""
    rows = (
        MemberTally.objects.filter(employer__in=enterprises, migrant_worker=True, joined_year__lte=year)
        .order_by()
        .values("employer_id")
        .annotate(members=Sum("count"))
    )
    return {row["employer_id"]: row["members"] for row in rows}


def gap_to_eighty(employed, members):
    """How many more members the enterprise needs to reach 80% of its migrant workers (0 when it has)."""
    return max(0, math.ceil(employed * EIGHTY - 1e-9) - members)


def eighty_rule(unit, year):
    """Every 四要素 enterprise employing migrant workers: [pk, credit code, name, employed, members, gap], those
    furthest from 80% first."""
    enterprises = four_criteria_enterprises(unit).filter(migrant_workers__gt=0)
    members = migrant_members_by_employer(enterprises, year)
    rows = [
        [pk, code, name, employed, members.get(pk, 0), gap_to_eighty(employed, members.get(pk, 0))]
        for pk, code, name, employed in enterprises.order_by("credit_code").values_list(
            "pk", "credit_code", "name", "migrant_workers"
        )
    ]
    rows.sort(key=lambda row: (-row[5], row[1]))
    return rows


def _sector_figures(unit, year):
    enterprises = Enterprise.objects.reported_by(unit)
    counts = enterprises.aggregate(
        **{
            f"{key}_{name}": Count("pk", filter=condition & extra)
            for key, _label, condition, _members in SECTORS
            for name, extra in (
                ("enterprises", Q()),
                ("unions", ~Q(union_status=UnionStatus.NONE)),
                ("founded", ~Q(union_status=UnionStatus.NONE) & Q(union_founded_on__year=year)),
            )
        }
    )
    members = (
        member_tallies(unit, year)
        .filter(migrant_worker=True)
        .aggregate(**{key: Sum("count", filter=condition, default=0) for key, _label, _c, condition in SECTORS})
    )
    return {
        key: {
            "enterprises": counts[f"{key}_enterprises"],
            "unions": counts[f"{key}_unions"],
            "founded": counts[f"{key}_founded"],
            "migrant_members": members[key],
        }
        for key, _label, _c, _m in SECTORS
    }


def townships_of(unit):
    return UnionOrg.objects.filter(path__startswith=unit.path, kind=UnionOrg.Kind.TOWNSHIP_UNION)


def _eight_haves(unit):
    summary = eight_haves_summary(townships_of(unit))
    missing = {}
    for county in summary.values():
        for item, count in county["missing"].items():
            missing[item] = missing.get(item, 0) + count
    return (
        sum(county["unions"] for county in summary.values()),
        sum(county["meeting"] for county in summary.values()),
        missing,
    )


def township_counts(unit):
    """The unit's township unions and how many of them meet 八有, in one query (the same numbers as _eight_haves)."""
    counts = townships_of(unit).aggregate(
        townships=Count("pk"), townships_meeting=Count("pk", filter=Q(pk__in=meeting_eight_haves_pks()))
    )
    return counts["townships"], counts["townships_meeting"]


def _member_counts(unit, year):
    return (
        member_tallies(unit, year)
        .filter(migrant_worker=True)
        .aggregate(
            migrant_members=Sum("count", default=0),
            new_migrant_members=Sum("count", filter=Q(joined_year=year), default=0),
        )
    )


def _eighty_counts(eighty):
    return {
        "eighty_employing": len(eighty),
        "eighty_met": sum(1 for row in eighty if row[5] == 0),
        "eighty_below": sum(1 for row in eighty if row[5] > 0),
        "eighty_migrant_workers": sum(row[3] for row in eighty),
        "eighty_migrant_members": sum(row[4] for row in eighty),
    }


def acceptance_figures(campaign, unit):
    """The figures the year-end acceptance judges (members, the 80% rule, 八有), computed as member_figures does
    but without the rest a report shows."""
    townships, meeting = township_counts(unit)
    return {
        **_member_counts(unit, campaign.year),
        **_eighty_counts(eighty_rule(unit, campaign.year)),
        "townships": townships,
        "townships_meeting": meeting,
    }


def baseline_of(campaign, unit):
    return MemberBaseline.objects.filter(campaign=campaign, unit=unit).first()


def member_figures(campaign, unit, *, with_lists=False):
    """The unit's figures in a members campaign, live. With `with_lists`, also the rows behind the lists the
    figures name: 四要素 enterprises without a union and enterprises below 80%."""
    year = campaign.year
    members = _member_counts(unit, year)
    baseline = baseline_of(campaign, unit)
    criteria = four_criteria_enterprises(unit).aggregate(
        four_criteria=Count("pk"), four_criteria_with_union=Count("pk", filter=~Q(union_status=UnionStatus.NONE))
    )
    eighty = eighty_rule(unit, year)
    small = (
        Enterprise.objects.reported_by(unit)
        .filter(headcount__lt=SMALL_BELOW)
        .aggregate(small=Count("pk"), small_joint=Count("pk", filter=Q(union_status=UnionStatus.JOINT)))
    )
    townships, meeting, missing_items = _eight_haves(unit)
    figures = {
        **members,
        "baseline": baseline.migrant_members if baseline else None,
        "against_baseline": members["migrant_members"] - baseline.migrant_members if baseline else None,
        **criteria,
        "four_criteria_without_union": criteria["four_criteria"] - criteria["four_criteria_with_union"],
        **_eighty_counts(eighty),
        **small,
        "townships": townships,
        "townships_meeting": meeting,
        "eight_haves_missing": missing_items,
        "sectors": _sector_figures(unit, year),
    }
    if not with_lists:
        return figures
    without_union = list(
        four_criteria_enterprises(unit)
        .filter(union_status=UnionStatus.NONE)
        .order_by("-headcount", "credit_code")
        .values_list("pk", "credit_code", "name", "headcount")
    )
    return figures, {
        "without_union": [list(row) for row in without_union],
        "below_eighty": [row for row in eighty if row[5] > 0],
    }


def take_member_snapshot(campaign, unit):
    """What a members-campaign report freezes when it is handed in: the figures and the lists behind them."""
    figures, lists = member_figures(campaign, unit, with_lists=True)
    return {
        "measure": "members",
        "year": campaign.year,
        "taken_at": timezone.now().isoformat(),
        "figures": figures,
        **lists,
    }


def member_drift(submission):
    """How the live figures now differ from those a members-campaign report froze."""
    snapshot = submission.snapshot
    if not snapshot or snapshot.get("measure") != "members":
        return None
    live = member_figures(submission.deadline.stage.campaign, submission.unit)
    frozen = snapshot["figures"]
    changed = {name: (frozen.get(name), live[name]) for name in MEMBER_FIGURE_NAMES if frozen.get(name) != live[name]}
    return {"figures": changed, "any": bool(changed)}


# -- baselines and member targets: set by the organisation department, every change kept -------------------------


def _check_reviewer(user, message):
    if not user.is_reviewer:
        raise WorkflowError(message)


def _stale():
    return WorkflowError(
        _("Someone changed these figures after you opened the form. Nothing was saved; reload and try again.")
    )


@transaction.atomic
def baselines_set(campaign, entries, *, user):
    """Set the units' 2014 baselines from {unit pk: (migrant-worker members or None, source, version seen)}.

    A blank number removes the unit's baseline. Every change keeps a row with before and after; a baseline someone
    changed since the form was opened is refused. Returns how many changed.
    """
    _check_reviewer(user, _("Only the organisation department may enter baselines."))
    if not campaign.counts_members:
        raise WorkflowError(_("This campaign does not count members."))
    current = {row.unit_id: row for row in MemberBaseline.objects.select_for_update().filter(campaign=campaign)}
    changed = 0
    for unit_id, (number, source, version_seen) in entries.items():
        baseline = current.get(unit_id)
        if (baseline.version if baseline else 0) != version_seen:
            raise _stale()
        before = {"migrant_members": baseline.migrant_members, "source": baseline.source} if baseline else None
        after = {"migrant_members": number, "source": source.strip()} if number is not None else None
        if before == after:
            continue
        if after is not None and not after["source"]:
            raise WorkflowError(_("Name the source of each baseline (a statistical report, a year-end return…)."))
        if baseline is None:
            MemberBaseline.objects.create(
                campaign=campaign, unit_id=unit_id, migrant_members=number, source=after["source"], set_by=user
            )
        elif after is None:
            baseline.delete()
        else:
            MemberBaseline.objects.filter(pk=baseline.pk).update(
                migrant_members=number,
                source=after["source"],
                set_by=user,
                set_at=timezone.now(),
                version=F("version") + 1,
            )
        MemberFigureChange.objects.create(
            campaign=campaign,
            unit_id=unit_id,
            subject=MemberFigureChange.Subject.BASELINE,
            before=before,
            after=after,
            changed_by=user,
        )
        changed += 1
    return changed


def _rate_text(rate):
    return None if rate is None else str(Decimal(rate).quantize(Decimal("0.1")))


def _target_values(target):
    if target is None:
        return None
    return {
        "new_migrant_members": target.new_migrant_members,
        "eighty_rate": _rate_text(target.eighty_rate),
        "eight_haves_rate": _rate_text(target.eight_haves_rate),
    }


@transaction.atomic
def member_targets_set(campaign, entries, *, user):
    """Set the units' member targets from {unit pk: ({field: value or None}, version seen)}; all blank removes
    the unit's targets. Every change keeps a row; a target changed since the form was opened is refused."""
    _check_reviewer(user, _("Only the organisation department may set targets."))
    if not campaign.counts_members:
        raise WorkflowError(_("This campaign does not count members."))
    current = {row.unit_id: row for row in MemberTarget.objects.select_for_update().filter(campaign=campaign)}
    changed = 0
    for unit_id, (values, version_seen) in entries.items():
        target = current.get(unit_id)
        if (target.version if target else 0) != version_seen:
            raise _stale()
        before = _target_values(target)
        proposed = MemberTarget(campaign=campaign, unit_id=unit_id, **values)
        after = None if all(value is None for value in values.values()) else _target_values(proposed)
        if before == after:
            continue
        if target is None:
            MemberTarget.objects.create(campaign=campaign, unit_id=unit_id, set_by=user, **values)
        elif after is None:
            target.delete()
        else:
            MemberTarget.objects.filter(pk=target.pk).update(
                **values, set_by=user, set_at=timezone.now(), version=F("version") + 1
            )
        MemberFigureChange.objects.create(
            campaign=campaign,
            unit_id=unit_id,
            subject=MemberFigureChange.Subject.TARGET,
            before=before,
            after=after,
            changed_by=user,
        )
        changed += 1
    return changed
