"""What the dashboards, the Excel summary and the briefing show: roll-ups, completeness, timeliness, targets.

Live figures roll the registry up county → prefecture → region in one grouped query; every figure is counted with
the same conditions as the survey (enterprises.models.FIGURES) and links to the enterprise list filtered the same
way, so a figure and the rows behind it are always the same number. A campaign's figures are those its units'
approved survey reports froze; they are counted by reporting unit, as the units reported them.

`build` puts one dashboard together from the parts: `areas` (whose place), `rollups` (the figures), `progress`
(completeness and timeliness), `targets` (targets beside results), with `lines` the shape they share.
"""

from reports.dashboards.areas import area_of, breadcrumb
from reports.dashboards.build import (
    KEY_UNUNIONISED,
    Dashboard,
    build,
    dashboard_campaigns,
    hard_case_reasons,
    hard_cases,
    key_headcount_of,
    key_ununionised,
    latest_campaign,
)
from reports.dashboards.lines import FIGURE_NAMES, Line, party_count, union_count, zero_figures
from reports.dashboards.rollups import previous_campaign, rollup

__all__ = [
    "FIGURE_NAMES",
    "KEY_UNUNIONISED",
    "Dashboard",
    "Line",
    "area_of",
    "breadcrumb",
    "build",
    "dashboard_campaigns",
    "hard_case_reasons",
    "hard_cases",
    "key_headcount_of",
    "key_ununionised",
    "latest_campaign",
    "party_count",
    "previous_campaign",
    "rollup",
    "union_count",
    "zero_figures",
]
