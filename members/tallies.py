"""Keeping the member tallies (MemberTally) equal to a fresh count of the current memberships.

The figures of the 2015 plan are read per union, township, county, prefecture and region (a prefix of the union
tree's path) and per employer: members, migrant-worker members, new members of a year. A few rows per union and
employer stand for any number of members, so those figures never scan the rolls.

As with the registry's tallies: every write recounts the unions it touched, in its own transaction and after its
rows are written, with those unions' rows locked first, so two writers in one union recount one after the other.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from enterprises import tallies as registry_tallies
from members.models import CURRENT_STATUSES, Membership, MemberTally
from unions.models import UnionOrg

TALLY_COLUMNS = ("union_id", "employer_id", "migrant_worker", "joined_year")


def fresh_counts(unions=None):
    """{(union, employer, migrant worker, year joined): count} of current memberships, counted now."""
    memberships = Membership.objects.filter(status__in=CURRENT_STATUSES)
    if unions is not None:
        memberships = memberships.filter(union_id__in=unions)
    rows = (
        memberships.order_by()
        .annotate(joined_year=ExtractYear("joined_on"))
        .values("union_id", "employer_id", "person__migrant_worker", "joined_year")
        .annotate(count=Count("pk"))
    )
    return {
        (row["union_id"], row["employer_id"], row["person__migrant_worker"], row["joined_year"]): row["count"]
        for row in rows
    }


def recount(unions=None):
    """Make the tallies of these unions (ids; every union when None) equal a fresh count of the rolls."""
    with transaction.atomic():
        if unions is not None:
            unions = sorted({int(pk) for pk in unions})
            list(UnionOrg.objects.filter(pk__in=unions).select_for_update().order_by("pk").values_list("pk"))
        counts = fresh_counts(unions)
        stale = MemberTally.objects.all() if unions is None else MemberTally.objects.filter(union_id__in=unions)
        stale.delete()
        MemberTally.objects.bulk_create(
            [MemberTally(**dict(zip(TALLY_COLUMNS, key, strict=True)), count=count) for key, count in counts.items()],
            batch_size=1000,
        )
        registry_tallies.stamp(["rolls"] if unions is None else [f"union:{pk}" for pk in unions])


def stored_counts():
    return {
        tuple(row[c] for c in TALLY_COLUMNS): row["count"]
        for row in MemberTally.objects.values(*TALLY_COLUMNS, "count")
    }


def drift():
    """[(union, employer, migrant worker, year, stored, counted)] where the tallies differ from the rolls."""
    stored, counted = stored_counts(), fresh_counts()
    return [
        (*key, stored.get(key, 0), counted.get(key, 0))
        for key in sorted(stored.keys() | counted.keys(), key=str)
        if stored.get(key, 0) != counted.get(key, 0)
    ]


def _figures(rows, year):
    totals = rows.aggregate(
        members=Sum("count", default=0),
        migrant_members=Sum("count", filter=Q(migrant_worker=True), default=0),
        new_members=Sum("count", filter=Q(joined_year=year), default=0),
        new_migrant_members=Sum("count", filter=Q(joined_year=year, migrant_worker=True), default=0),
    )
    return totals


def figures_of(org, year=None):
    """Members, migrant-worker members and new members of `year` (this year by default) in `org` and below it."""
    year = year or datetime.date.today().year
    return _figures(MemberTally.objects.filter(union__path__startswith=org.path), year)


def figures_of_region(year=None):
    year = year or datetime.date.today().year
    return _figures(MemberTally.objects.all(), year)


def figures_of_employer(enterprise, year=None):
    year = year or datetime.date.today().year
    return _figures(MemberTally.objects.filter(employer=enterprise), year)
