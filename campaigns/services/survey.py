"""A unit's survey figures from the registry, frozen at submission, and how the registry has drifted since."""

from django.db.models import BooleanField, Count, ExpressionWrapper
from django.utils import timezone

from enterprises.models import FIGURES, HARD_CASE, Enterprise

FIGURE_NAMES = ("total", *FIGURES)


def survey_queryset(unit, threshold):
    return Enterprise.objects.reported_by(unit).in_scope(threshold)


def survey_figures(unit, threshold):
    """The four survey figures and the remainder, in one query; the parts always add up to the total."""
    counts = survey_queryset(unit, threshold).aggregate(
        total=Count("pk"), **{name: Count("pk", filter=condition) for name, condition in FIGURES.items()}
    )
    assert counts["total"] == sum(counts[name] for name in FIGURES), counts
    return counts


def take_snapshot(unit, threshold, reasons):
    queryset = survey_queryset(unit, threshold)
    enterprises = list(
        queryset.order_by("credit_code").values_list(
            "pk", "credit_code", "name", "party_org", "union_status", "headcount"
        )
    )
    hard_cases = [
        {"pk": pk, "code": code, "name": name, "reason": reasons.get(str(pk), "")}
        for pk, code, name in queryset.hard_cases().order_by("credit_code").values_list("pk", "credit_code", "name")
    ]
    return {
        "threshold": threshold,
        "taken_at": timezone.now().isoformat(),
        "figures": survey_figures(unit, threshold),
        "enterprises": [list(row) for row in enterprises],
        "hard_cases": hard_cases,
    }


def snapshot_drift(submission, live=None):
    """How the live registry now differs from a submitted survey: figures, enterprises added, gone or changed, and
    headquarters-type hard cases flagged or cleared since (they are part of what the unit reported).

    `live` may bring the unit's figures at the snapshot's threshold, when the page has already counted them."""
    snapshot = submission.snapshot
    if not snapshot or snapshot.get("measure") == "members":
        return None
    if live is None:
        live = survey_figures(submission.unit, snapshot["threshold"])
    then = {row[0]: row for row in snapshot["enterprises"]}
    # Unordered: the rows go into dicts, and sorting thousands of names by pinyin costs more than reading them.
    rows = (
        survey_queryset(submission.unit, snapshot["threshold"])
        .annotate(hard_case=ExpressionWrapper(HARD_CASE, output_field=BooleanField()))
        .order_by()
    )
    now, cases_now = {}, {}
    for *row, hard_case in rows.values_list(
        "pk", "credit_code", "name", "party_org", "union_status", "headcount", "hard_case"
    ):
        now[row[0]] = tuple(row)
        if hard_case:
            cases_now[row[0]] = row[2]
    cases_then = {case["pk"]: case["name"] for case in snapshot.get("hard_cases", [])}
    drift = {
        "figures": {
            name: (snapshot["figures"][name], live[name])
            for name in FIGURE_NAMES
            if snapshot["figures"][name] != live[name]
        },
        "added": [now[pk] for pk in now.keys() - then.keys()],
        "removed": [then[pk] for pk in then.keys() - now.keys()],
        "changed": [
            (then[pk], now[pk]) for pk in now.keys() & then.keys() if list(now[pk][3:5]) != list(then[pk][3:5])
        ],
        "hard_cases_added": sorted(cases_now[pk] for pk in cases_now.keys() - cases_then.keys()),
        "hard_cases_removed": sorted(cases_then[pk] for pk in cases_then.keys() - cases_now.keys()),
    }
    drift["any"] = any(drift.values())
    return drift
