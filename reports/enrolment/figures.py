"""A members campaign's figures for every union organisation in an area at once, live.

Each source is read in one grouped query for the whole area, by the union that holds the members, the unit
responsible for the enterprises, or the township union; every row is then added to that union and each
organisation above it, up to the area's root. So any line of any level (region, prefecture, county, township,
grassroots union) is a lookup, and the number of queries does not grow with the number of units.

The member rolls and the registry are the large sources (a million members, a hundred thousand enterprises): they
are counted for the whole region at once and the counts are kept, in this process, for as long as the tallies'
stamps (enterprises.tallies.stamps) and the union tree stay the same. Every write to the registry or the rolls
recounts its tallies and so changes the stamps: the next page counts afresh, and a page never shows figures that
a committed write has overtaken. The township unions, the baselines and the targets are small and read each time.

The figures are those of campaigns.services.members, counted with the same conditions, so a line of the dashboard
and a unit's report give the same numbers.
"""

import hashlib
import logging
import pickle
import threading
from collections import defaultdict

from django.core.cache import caches
from django.db.models import Count, Max, Q, Sum

from campaigns.models import MemberBaseline, MemberTarget
from campaigns.services.members import SMALL_BELOW, gap_to_eighty
from enterprises import tallies as registry_tallies
from enterprises.models import Enterprise, UnionStatus
from members.models import MemberTally
from unions.models import PATH_SEPARATOR, UnionOrg
from unions.selectors import townships_with_eight_haves
from unions.standards import EIGHT_HAVE_CODES

logger = logging.getLogger(__name__)

COUNTED = (
    "migrant_members",
    "new_migrant_members",
    "four_criteria",
    "four_criteria_with_union",
    "eighty_employing",
    "eighty_met",
    "eighty_migrant_workers",
    "eighty_migrant_members",
    "eighty_gap",
    "small",
    "small_joint",
    "townships",
    "townships_meeting",
)


def _ancestors_within(path, root_path):
    """The paths of the organisation at `path` and of each organisation above it, up to `root_path`."""
    codes = path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)
    root_depth = len(root_path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR))
    for depth in range(len(codes), root_depth - 1, -1):
        yield PATH_SEPARATOR + PATH_SEPARATOR.join(codes[:depth]) + PATH_SEPARATOR


def _zeros():
    return dict.fromkeys(COUNTED, 0)


class Counts:
    """Counts added to an organisation and to each organisation above it, up to `root_path`; and what each
    organisation holds itself."""

    def __init__(self, root_path):
        self.root_path = root_path
        self.totals = defaultdict(_zeros)
        self.direct = defaultdict(_zeros)

    # Kept in the cache the workers share (pickled).
    def __getstate__(self):
        return {"root_path": self.root_path, "totals": dict(self.totals), "direct": dict(self.direct)}

    def __setstate__(self, state):
        self.root_path = state["root_path"]
        self.totals = defaultdict(_zeros, state["totals"])
        self.direct = defaultdict(_zeros, state["direct"])

    def add(self, path, **counts):
        for ancestor in _ancestors_within(path, self.root_path):
            line = self.totals[ancestor]
            for name, value in counts.items():
                line[name] += value
        line = self.direct[path]
        for name, value in counts.items():
            line[name] += value


def _count_members(counts, year):
    rows = (
        MemberTally.objects.filter(union__path__startswith=counts.root_path, migrant_worker=True, joined_year__lte=year)
        .order_by()
        .values("union__path")
        .annotate(
            members=Sum("count"),
            new=Sum("count", filter=Q(joined_year=year), default=0),
        )
    )
    for row in rows:
        counts.add(row["union__path"], migrant_members=row["members"], new_migrant_members=row["new"])


def _count_enterprises(counts, year):
    enterprises = Enterprise.objects.filter(responsible_unit__path__startswith=counts.root_path)
    has_union = ~Q(union_status=UnionStatus.NONE)
    rows = (
        enterprises.order_by()
        .values("responsible_unit__path")
        .annotate(
            small=Count("pk", filter=Q(headcount__lt=SMALL_BELOW)),
            small_joint=Count("pk", filter=Q(headcount__lt=SMALL_BELOW, union_status=UnionStatus.JOINT)),
        )
    )
    for row in rows:
        counts.add(row["responsible_unit__path"], small=row["small"], small_joint=row["small_joint"])
    criteria = enterprises.meeting_four_criteria()
    rows = (
        criteria.order_by()
        .values("responsible_unit__path")
        .annotate(total=Count("pk"), with_union=Count("pk", filter=has_union))
    )
    for row in rows:
        counts.add(
            row["responsible_unit__path"], four_criteria=row["total"], four_criteria_with_union=row["with_union"]
        )
    employing = criteria.filter(migrant_workers__gt=0)
    members = dict(
        MemberTally.objects.filter(employer__in=employing, migrant_worker=True, joined_year__lte=year)
        .order_by()
        .values("employer_id")
        .annotate(members=Sum("count"))
        .values_list("employer_id", "members")
    )
    for pk, path, employed in employing.order_by().values_list("pk", "responsible_unit__path", "migrant_workers"):
        enrolled = members.get(pk, 0)
        gap = gap_to_eighty(employed, enrolled)
        counts.add(
            path,
            eighty_employing=1,
            eighty_met=int(gap == 0),
            # Members still needed: each enterprise's own gap, so one above 80 per cent makes up for none below.
            eighty_gap=gap,
            eighty_migrant_workers=employed,
            eighty_migrant_members=enrolled,
        )


# (year, stamps, union tree) → the counts of the rolls and the registry for the whole region; the last few kept.
_KEPT = {}
SHARED_CACHE = "downloads"
SHARED_SECONDS = 24 * 60 * 60
_KEEP = 4
_KEPT_LOCK = threading.Lock()


def _version():
    """What the kept counts depend on: the tallies' stamps and the union tree (its size and last change).

    None until the first recount: then nothing marks a change, and nothing is kept."""
    # One read: the tree's size and last change, with the stamps' sum beside them.
    tree = UnionOrg.objects.aggregate(
        count=Count("pk"), changed=Max("updated_at"), stamps=Max(registry_tallies.stamps_subquery())
    )
    if tree["stamps"] is None:
        return None
    return tree["stamps"], tree["count"], tree["changed"]


def forget_kept_counts():
    """Drop every kept count (a test that rolls its writes back would otherwise leave its counts behind)."""
    with _KEPT_LOCK:
        _KEPT.clear()


def rolls_and_registry(year, region_path):
    """The counts of the member rolls and the registry for the whole region, by the campaign's year: kept while
    the data stays the same, counted afresh (and kept) otherwise. Read only; never change what this returns.

    Kept in the process, and in the cache the workers share (the downloads' files), so that after a change one
    worker counts and the others read its counts."""
    version = _version()
    key = (year, region_path, version)
    if version is not None and (kept := _KEPT.get(key)) is not None:
        return kept
    shared_key = f"enrolment-counts:{hashlib.sha256(repr(key).encode()).hexdigest()}"
    counts = _shared_get(shared_key) if version is not None else None
    if counts is None:
        counts = Counts(region_path)
        _count_members(counts, year)
        _count_enterprises(counts, year)
        if version is not None:
            _shared_set(shared_key, counts)
    if version is not None:
        with _KEPT_LOCK:
            while len(_KEPT) >= _KEEP:
                _KEPT.pop(next(iter(_KEPT)))
            _KEPT[key] = counts
    return counts


def _shared_get(key):
    try:
        return caches[SHARED_CACHE].get(key)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError):  # a damaged file is counted again
        return None


def _shared_set(key, counts):
    try:
        caches[SHARED_CACHE].set(key, counts, SHARED_SECONDS)
    except OSError:  # a full or read-only disk costs the other workers a count, not this page
        logger.warning("could not share the members counts")


def _top_of(path):
    """The path of the tree's top (the region federation) from any path below it."""
    return PATH_SEPARATOR + path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[0] + PATH_SEPARATOR


def _sum(*lines):
    return {name: sum(line.get(name, 0) for line in lines) for name in COUNTED}


class AreaFigures:
    """The figures of every organisation in `root`'s subtree for one members campaign, read once."""

    def __init__(self, campaign, root):
        self.campaign, self.root, self.year = campaign, root, campaign.year
        self.shared = rolls_and_registry(self.year, _top_of(root.path))
        self.own = Counts(root.path)
        self.missing_items = defaultdict(lambda: defaultdict(int))
        self._townships()
        self.baselines = dict(
            MemberBaseline.objects.filter(campaign=campaign).values_list("unit__path", "migrant_members")
        )
        self.targets = {
            target.unit.path: target for target in MemberTarget.objects.filter(campaign=campaign).select_related("unit")
        }

    def _townships(self):
        townships = UnionOrg.objects.filter(path__startswith=self.root.path, kind=UnionOrg.Kind.TOWNSHIP_UNION)
        for _pk, path, items in townships_with_eight_haves(townships):
            missing = self.missing_of(items)
            self.own.add(path, townships=1, townships_meeting=int(not missing))
            if missing:
                for ancestor in _ancestors_within(path, self.root.path):
                    line = self.missing_items[ancestor]
                    for item in missing:
                        line[item] += 1

    @staticmethod
    def missing_of(items):
        return [item for item in EIGHT_HAVE_CODES if item not in items]

    def counted(self, path):
        """The counts of the organisation at `path` and everything below it (within the root)."""
        return _sum(self.shared.totals.get(path, {}), self.own.totals.get(path, {}))

    def of(self, org):
        """The figures of `org` and everything below it, with the baseline and the targets it was given."""
        figures = self.counted(org.path)
        baseline = self.baselines.get(org.path)
        figures["baseline"] = baseline
        figures["against_baseline"] = None if baseline is None else figures["migrant_members"] - baseline
        figures["four_criteria_without_union"] = figures["four_criteria"] - figures["four_criteria_with_union"]
        figures["eighty_below"] = figures["eighty_employing"] - figures["eighty_met"]
        figures["eight_haves_missing"] = dict(self.missing_items.get(org.path, {}))
        return figures

    def held_directly(self, org):
        """What `org` holds itself: members of its own union, enterprises it is itself responsible for."""
        return _sum(self.shared.direct.get(org.path, {}), self.own.direct.get(org.path, {}))

    def target(self, org):
        return self.targets.get(org.path)
