"""A members campaign (the 2015 plan) in the reports: its figures for every organisation of an area (`figures`),
the drill-down dashboard (`dashboard`), and the official form and briefing built from them."""

from reports.enrolment.dashboard import (
    COLUMNS,
    EnrolmentDashboard,
    EnrolmentLine,
    breadcrumb,
    build,
    children_of,
    figure_links,
    members_campaigns,
    root_of,
)
from reports.enrolment.form import MEMBERS_FORM_NUMBER, members_form_filename, members_form_title, write_members_form
from reports.enrolment.labels import COLUMN_LABELS

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "MEMBERS_FORM_NUMBER",
    "EnrolmentDashboard",
    "EnrolmentLine",
    "breadcrumb",
    "build",
    "children_of",
    "figure_links",
    "members_campaigns",
    "members_form_filename",
    "members_form_title",
    "root_of",
    "write_members_form",
]
