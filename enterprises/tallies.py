"""Keeping the figure tallies (FigureTally) equal to a fresh count of the registry.

Every write to the registry recounts the counties it touched, in its own transaction and after its rows are
written: a recount is exact whatever the write was (a new band, a new status, a move to another county or unit).
The counties' rows in the division table are locked first, so two writers in one county recount one after the
other, and the later one sees the earlier one's rows.
"""

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Subquery, Sum, Value, When

from enterprises.models import HEADCOUNT_BANDS, Enterprise, FigureTally, TallyStamp, figure_of
from unions.models import Division

TALLY_COLUMNS = ("county_id", "responsible_unit_id", "band", "party_org", "union_status")


def band_of_headcount():
    """The highest of HEADCOUNT_BANDS a headcount reaches, else 0, as an SQL expression."""
    return Case(
        *(When(headcount__gte=band, then=Value(band)) for band in sorted(HEADCOUNT_BANDS, reverse=True)),
        default=Value(0),
        output_field=IntegerField(),
    )


def fresh_counts(counties=None):
    """{(county, unit, band, party_org, union_status): count} counted from the registry now, every enterprise."""
    enterprises = Enterprise.objects.all()
    if counties is not None:
        enterprises = enterprises.filter(county_id__in=counties)
    rows = enterprises.order_by().annotate(band=band_of_headcount()).values(*TALLY_COLUMNS).annotate(count=Count("pk"))
    return {tuple(row[column] for column in TALLY_COLUMNS): row["count"] for row in rows}


def recount(counties=None):
    """Make the tallies of these counties (every county when None) equal a fresh count of the registry."""
    with transaction.atomic():
        locked = Division.objects.filter(level=Division.Level.COUNTY)
        if counties is not None:
            counties = sorted({str(code) for code in counties})
            locked = locked.filter(code__in=counties)
        list(locked.select_for_update().order_by("code").values_list("code", flat=True))
        counts = fresh_counts(counties)
        stale = FigureTally.objects.all() if counties is None else FigureTally.objects.filter(county_id__in=counties)
        stale.delete()
        FigureTally.objects.bulk_create(
            [FigureTally(**dict(zip(TALLY_COLUMNS, key, strict=True)), count=count) for key, count in counts.items()],
            batch_size=1000,
        )
        stamp(["registry"] if counties is None else [f"county:{code}" for code in counties])


def stamp(scopes):
    """Leave a new mark for each scope just recounted (inside the recount's transaction, under its locks)."""
    scopes = sorted(set(scopes))
    TallyStamp.objects.filter(scope__in=scopes).delete()
    TallyStamp.objects.bulk_create([TallyStamp(scope=scope) for scope in scopes], batch_size=1000)


def stamps():
    """The sum of the marks' ids: it changes whenever a recount of the registry or of the rolls commits; None
    before the first one."""
    return TallyStamp.objects.aggregate(total=Sum("pk"))["total"]


def stamps_subquery():
    """stamps() as an expression, to read beside other figures in one query."""
    marks = TallyStamp.objects.order_by().annotate(whole=Value(1)).values("whole").annotate(total=Sum("pk"))
    return Subquery(marks.values("total")[:1])


def stored_counts():
    return {
        tuple(row[column] for column in TALLY_COLUMNS): row["count"]
        for row in FigureTally.objects.values(*TALLY_COLUMNS, "count")
    }


def drift():
    """Where the stored tallies differ from a fresh count: [(county, unit, band, figure, stored, counted)], in order.

    The statuses are folded into the survey figure they count towards, as the dashboards show them.
    """
    stored, counted = _by_figure(stored_counts()), _by_figure(fresh_counts())
    return [
        (*key, stored.get(key, 0), counted.get(key, 0))
        for key in sorted(stored.keys() | counted.keys())
        if stored.get(key, 0) != counted.get(key, 0)
    ]


def _by_figure(counts):
    totals = {}
    for (county, unit, band, party_org, union_status), count in counts.items():
        key = (county, unit, band, figure_of(party_org, union_status))
        totals[key] = totals.get(key, 0) + count
    return totals
