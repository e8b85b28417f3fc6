"""The dashboard of a members campaign: one organisation's figures and a line for each organisation below it, each
figure linked to the rows it counts, each line to the next level down.

The levels follow the union tree: region → prefecture (and the reporting units) → county → township or street →
grassroots union → its members. Departments of a federation hold no members and are left out.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from campaigns.figure_links import figure_links
from campaigns.models import Campaign, Measure
from reports.enrolment.figures import AreaFigures
from unions.models import EightHave, UnionOrg
from unions.selectors import display_order

# The columns of a line, in the order the dashboard and the official form show them.
COLUMNS = (
    "migrant_members",
    "new_migrant_members",
    "baseline",
    "against_baseline",
    "four_criteria",
    "four_criteria_with_union",
    "four_criteria_without_union",
    "eighty_met",
    "eighty_below",
    "small",
    "small_joint",
    "townships",
    "townships_meeting",
)


def _link(name, **query):
    return f"{reverse(name)}?{urlencode(query)}"


@dataclass
class EnrolmentLine:
    org: UnionOrg
    figures: dict
    links: dict
    target: object = None
    drill: str = ""  # the next level down: this dashboard for the organisation, or its member rows

    @property
    def cells(self):
        return [(name, self.figures.get(name), self.links.get(name)) for name in COLUMNS]

    @property
    def new_members_progress(self):
        """Share of the target of new migrant-worker members reached (1.0 = met), or None without a target."""
        if self.target is None or not self.target.new_migrant_members:
            return None
        return self.figures["new_migrant_members"] / self.target.new_migrant_members


@dataclass
class EnrolmentDashboard:
    campaign: Campaign
    org: UnionOrg
    total: EnrolmentLine
    lines: list = field(default_factory=list)
    direct: dict | None = None  # what the organisation holds itself, when it holds anything

    @property
    def missing_items(self):
        """[(label, township unions still missing it)] for each 八有 item some union misses."""
        missing = self.total.figures["eight_haves_missing"]
        return [(label, missing[item]) for item, label in EightHave.choices if missing.get(item)]


def members_campaigns():
    return Campaign.objects.filter(measure=Measure.MEMBERS).order_by("-year", "-pk")


def root_of(user):
    """Where a person's drill-down starts: the region for those who see everything, else their own unit."""
    if user.sees_everything:
        return UnionOrg.objects.get(kind=UnionOrg.Kind.REGION_FEDERATION)
    return user.organisation


def children_of(org):
    return sorted(
        UnionOrg.objects.filter(parent=org).exclude(kind=UnionOrg.Kind.DEPARTMENT).select_related("division"),
        key=display_order,
    )


def _drill(campaign, org):
    if org.is_grassroots:
        return _link("members:list", union=org.code, migrant="yes", joined_until=campaign.year)
    return f"{reverse('reports:members_dashboard')}?{urlencode({'campaign': campaign.pk, 'org': org.code})}"


def _line(figures, campaign, org):
    return EnrolmentLine(
        org=org,
        figures=figures.of(org),
        links=figure_links(campaign, org),
        target=figures.target(org),
        drill=_drill(campaign, org),
    )


def build(campaign, org, children=None):
    """The organisation's total and a line per organisation directly below it (or `children`, a page of them)."""
    figures = AreaFigures(campaign, org)
    children = children_of(org) if children is None else children
    direct = figures.held_directly(org)
    return EnrolmentDashboard(
        campaign=campaign,
        org=org,
        total=_line(figures, campaign, org),
        lines=[_line(figures, campaign, child) for child in children],
        direct=direct if any(direct.values()) else None,
    ), figures


def breadcrumb(user, org):
    """The organisations from the person's own starting point down to this one."""
    root = root_of(user)
    chain = [ancestor for ancestor in org.ancestors() if ancestor.is_within(root)]
    return [*chain, org] if org.pk != root.pk else [org]
