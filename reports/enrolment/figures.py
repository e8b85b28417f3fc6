"""A members campaign's figures for every union organisation in an area at once, live.

Each source is read in one grouped query for the whole area, by the union that holds the members, the unit
responsible for the enterprises, or the township union; every row is then added to that union and each
organisation above it, up to the area's root. So any line of any level (region, prefecture, county, township,
grassroots union) is a lookup, and the number of queries does not grow with the number of units.

The figures are those of campaigns.services.members, counted with the same conditions, so a line of the dashboard
and a unit's report give the same numbers.
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from campaigns.models import MemberBaseline, MemberTarget
from campaigns.services.members import SMALL_BELOW, gap_to_eighty
from enterprises.models import Enterprise, UnionStatus
from members.models import MemberTally
from unions.models import PATH_SEPARATOR, EightHave, UnionOrg
from unions.selectors import eight_haves_of
from unions.standards import meets_eight_haves

COUNTED = (
    "migrant_members",
    "new_migrant_members",
    "four_criteria",
    "four_criteria_with_union",
    "eighty_employing",
    "eighty_met",
    "eighty_migrant_workers",
    "eighty_migrant_members",
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


class AreaFigures:
    """The figures of every organisation in `root`'s subtree for one members campaign, read once."""

    def __init__(self, campaign, root):
        self.campaign, self.root, self.year = campaign, root, campaign.year
        self.totals = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
        self.direct = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
        self.missing_items = defaultdict(lambda: defaultdict(int))
        self._members()
        self._enterprises()
        self._townships()
        self.baselines = dict(
            MemberBaseline.objects.filter(campaign=campaign).values_list("unit__path", "migrant_members")
        )
        self.targets = {
            target.unit.path: target for target in MemberTarget.objects.filter(campaign=campaign).select_related("unit")
        }

    def _add(self, path, **counts):
        for ancestor in _ancestors_within(path, self.root.path):
            line = self.totals[ancestor]
            for name, value in counts.items():
                line[name] += value
        line = self.direct[path]
        for name, value in counts.items():
            line[name] += value

    def _members(self):
        rows = (
            MemberTally.objects.filter(
                union__path__startswith=self.root.path, migrant_worker=True, joined_year__lte=self.year
            )
            .order_by()
            .values("union__path")
            .annotate(
                members=Sum("count"),
                new=Sum("count", filter=Q(joined_year=self.year), default=0),
            )
        )
        for row in rows:
            self._add(row["union__path"], migrant_members=row["members"], new_migrant_members=row["new"])

    def _enterprises(self):
        enterprises = Enterprise.objects.filter(responsible_unit__path__startswith=self.root.path)
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
            self._add(row["responsible_unit__path"], small=row["small"], small_joint=row["small_joint"])
        criteria = enterprises.meeting_four_criteria()
        rows = (
            criteria.order_by()
            .values("responsible_unit__path")
            .annotate(total=Count("pk"), with_union=Count("pk", filter=has_union))
        )
        for row in rows:
            self._add(
                row["responsible_unit__path"], four_criteria=row["total"], four_criteria_with_union=row["with_union"]
            )
        employing = criteria.filter(migrant_workers__gt=0)
        members = dict(
            MemberTally.objects.filter(employer__in=employing, migrant_worker=True, joined_year__lte=self.year)
            .order_by()
            .values("employer_id")
            .annotate(members=Sum("count"))
            .values_list("employer_id", "members")
        )
        for pk, path, employed in employing.order_by().values_list("pk", "responsible_unit__path", "migrant_workers"):
            enrolled = members.get(pk, 0)
            self._add(
                path,
                eighty_employing=1,
                eighty_met=int(gap_to_eighty(employed, enrolled) == 0),
                eighty_migrant_workers=employed,
                eighty_migrant_members=enrolled,
            )

    def _townships(self):
        townships = UnionOrg.objects.filter(path__startswith=self.root.path, kind=UnionOrg.Kind.TOWNSHIP_UNION)
        met = eight_haves_of(townships)
        for pk, path in townships.values_list("pk", "path"):
            items = met.get(pk, frozenset())
            self._add(path, townships=1, townships_meeting=int(meets_eight_haves(items)))
            for ancestor in _ancestors_within(path, self.root.path):
                for item in self.missing_of(items):
                    self.missing_items[ancestor][item] += 1

    @staticmethod
    def missing_of(items):
        return [item for item in EightHave.values if item not in items]

    def of(self, org):
        """The figures of `org` and everything below it, with the baseline and the targets it was given."""
        figures = dict(self.totals[org.path])
        baseline = self.baselines.get(org.path)
        figures["baseline"] = baseline
        figures["against_baseline"] = None if baseline is None else figures["migrant_members"] - baseline
        figures["four_criteria_without_union"] = figures["four_criteria"] - figures["four_criteria_with_union"]
        figures["eighty_below"] = figures["eighty_employing"] - figures["eighty_met"]
        figures["eight_haves_missing"] = dict(self.missing_items[org.path])
        return figures

    def held_directly(self, org):
        """What `org` holds itself: members of its own union, enterprises it is itself responsible for."""
        return dict(self.direct[org.path])

    def target(self, org):
        return self.targets.get(org.path)
