"""Every URL of the portal, visited as every role: the status says who may see and do what.

Another unit's object is a 404 (its existence is not revealed); the right unit with a
role that may not act is a 403; an anonymous visitor is sent to the login page.
Add a row here for every new URL: test_every_url_is_in_the_matrix fails until you do.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONA_NAMES = [
    "anonymous",
    "reviewer",
    "lhasa_staff",
    "shigatse_staff",
    "chengguan_staff",
    "lhasa_viewer",
    "administrator",
    "ngari_staff",
]

ALL_200 = dict.fromkeys(PERSONA_NAMES[1:], 200)


def expect(anonymous=302, **statuses):
    return {"anonymous": anonymous, **ALL_200, **statuses}


def everyone(status, anonymous=302, **exceptions):
    return expect(anonymous, **{**dict.fromkeys(PERSONA_NAMES[1:], status), **exceptions})


LHASA_ONLY = {"shigatse_staff": 404, "ngari_staff": 404}
STAFF_WRITE = {"reviewer": 403, "lhasa_viewer": 403}

# (url name, kwargs, method, expected status per persona)
MATRIX = [
    ("home", {}, "get", expect()),
    ("login", {}, "get", everyone(302, anonymous=200)),
    ("logout", {}, "post", everyone(302)),
    ("password_change", {}, "get", expect()),
    ("password_change_done", {}, "get", expect()),
    ("unions:directory", {}, "get", expect()),
    # The units above one's own show their contact card, so a breadcrumb up the tree never ends in a 404.
    ("unions:detail", {"code": "540000"}, "get", expect()),
    ("unions:detail", {"code": "540100"}, "get", expect(**LHASA_ONLY)),
    ("unions:detail", {"code": "540102"}, "get", expect(**LHASA_ONLY)),
    (
        "unions:detail",
        {"code": "540200"},
        "get",
        expect(lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    ("unions:detail", {"code": "no-such-unit"}, "get", everyone(404)),
    ("unions:edit", {"code": "540100"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE, chengguan_staff=404)),
    ("unions:edit", {"code": "540102"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    (
        "unions:edit",
        {"code": "540200"},
        "get",
        expect(reviewer=403, lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    (
        "unions:edit",
        {"code": "540000"},
        "get",
        expect(
            reviewer=403, lhasa_staff=404, shigatse_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404
        ),
    ),
]

LHASA_ENTERPRISE = {"pk": "lhasa_enterprise"}
SHIGATSE_ENTERPRISE = {"pk": "shigatse_enterprise"}
MATRIX += [
    ("enterprises:list", {}, "get", expect()),
    ("members:list", {}, "get", expect()),
    # Without a number the search answers with the form and its error.
    ("members:search", {}, "post", expect()),
    ("members:create", {}, "get", expect(**STAFF_WRITE)),
    ("members:detail", {"pk": "chengguan_member"}, "get", expect(**LHASA_ONLY)),
    ("members:edit", {"pk": "chengguan_member"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    # Full numbers: the data-entry staff of the member's union and the units above it, nobody else.
    (
        "members:reveal",
        {"pk": "chengguan_member"},
        "post",
        expect(**LHASA_ONLY, **STAFF_WRITE, administrator=403),
    ),
    ("members:membership_edit", {"pk": "chengguan_membership"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:membership_status", {"pk": "chengguan_membership"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:union", {"code": "chengguan_union"}, "get", expect(**LHASA_ONLY)),
    ("members:union", {"code": "540102"}, "get", everyone(404)),
    ("members:enterprise", LHASA_ENTERPRISE, "get", expect(**LHASA_ONLY)),
    ("members:applications", {}, "get", expect()),
    ("members:application", {"pk": "chengguan_application"}, "get", expect(**LHASA_ONLY)),
    ("members:application_accept", {"pk": "chengguan_application"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:application_return", {"pk": "chengguan_application"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:application_reject", {"pk": "chengguan_application"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    # Full numbers only to the data-entry staff of the unit or above: not the 组织部, nor the administrator.
    (
        "members:application_reveal",
        {"pk": "chengguan_application"},
        "get",
        expect(**LHASA_ONLY, **STAFF_WRITE, administrator=403),
    ),
    # Everyone who sees the list may export what they see.
    ("enterprises:export", {}, "get", expect()),
    ("enterprises:create", {}, "get", expect(**STAFF_WRITE)),
    ("enterprises:import", {}, "get", expect(**STAFF_WRITE)),
    ("enterprises:import_template", {}, "get", expect(**STAFF_WRITE)),
    (
        "enterprises:import_preview",
        {"pk": "lhasa_import"},
        "get",
        expect(**STAFF_WRITE, shigatse_staff=404, chengguan_staff=404, administrator=404, ngari_staff=404),
    ),
    ("enterprises:detail", LHASA_ENTERPRISE, "get", expect(**LHASA_ONLY)),
    (
        "enterprises:detail",
        SHIGATSE_ENTERPRISE,
        "get",
        expect(lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    ("enterprises:edit", LHASA_ENTERPRISE, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    (
        "enterprises:edit",
        SHIGATSE_ENTERPRISE,
        "get",
        expect(reviewer=403, lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    (
        "enterprises:delete",
        LHASA_ENTERPRISE,
        "get",
        expect(**LHASA_ONLY, lhasa_staff=403, chengguan_staff=403, lhasa_viewer=403),
    ),
    (
        "enterprises:delete",
        SHIGATSE_ENTERPRISE,
        "get",
        expect(lhasa_staff=404, shigatse_staff=403, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
]

# A grassroots union of 八廓街道 in 城关区, and its coverage of an enterprise there.
LHASA_GRASSROOTS = {"code": "lhasa_grassroots_union"}
MATRIX += [
    ("unions:grassroots_create", {"code": "540102002"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    (
        "unions:grassroots_create",
        {"code": "540202"},
        "get",
        expect(reviewer=403, lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    ("unions:detail", LHASA_GRASSROOTS, "get", expect(**LHASA_ONLY)),
    ("unions:edit", LHASA_GRASSROOTS, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("enterprises:union_coverage", LHASA_GRASSROOTS, "get", expect(**LHASA_ONLY)),
    ("enterprises:coverage_end", {"pk": "lhasa_coverage"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("enterprises:grassroots_import", {}, "get", expect(**STAFF_WRITE)),
    ("enterprises:grassroots_import_template", {}, "get", expect(**STAFF_WRITE)),
    ("enterprises:unit_consistency", {"code": "540100"}, "get", expect(**LHASA_ONLY, chengguan_staff=404)),
    ("enterprises:unit_consistency", {"code": "540102002"}, "get", expect(**LHASA_ONLY)),
]

# The member rolls' files: everyone who sees the list exports it masked; full numbers and imports are for the
# data-entry staff of a unit (administrators import, as they correct anything, but never export full numbers).
MATRIX += [
    ("members:export", {}, "get", expect()),
    ("members:export_full", {}, "get", expect(reviewer=403, lhasa_viewer=403, administrator=403)),
    ("members:import", {}, "get", expect(**STAFF_WRITE)),
    ("members:import_template", {}, "get", expect(**STAFF_WRITE)),
    (
        "members:import_preview",
        {"pk": "lhasa_member_import"},
        "get",
        expect(**STAFF_WRITE, shigatse_staff=404, chengguan_staff=404, administrator=404, ngari_staff=404),
    ),
]

# Transfer certificates: lists for everyone (each sees their own area's); a certificate is seen in the area of the
# union that issued it, was addressed to or received it; its paper and its cancelling are the issuing union's staff's.
CHENGGUAN_CERTIFICATE = {"pk": "chengguan_certificate"}
MATRIX += [
    ("members:transfers_out", {}, "get", expect()),
    ("members:transfers_in", {}, "get", expect()),
    ("members:transfer_receive", {}, "get", expect(**STAFF_WRITE)),
    ("members:transfer_issue", {"pk": "chengguan_membership"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:transfer_detail", CHENGGUAN_CERTIFICATE, "get", expect(**LHASA_ONLY)),
    ("members:transfer_document", CHENGGUAN_CERTIFICATE, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("members:transfer_cancel", CHENGGUAN_CERTIFICATE, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
]

REVIEWER_ONLY = {
    "lhasa_staff": 403,
    "shigatse_staff": 403,
    "chengguan_staff": 403,
    "lhasa_viewer": 403,
    "administrator": 403,
    "ngari_staff": 403,
}
OUTSIDE_LHASA = {"shigatse_staff": 404, "chengguan_staff": 404, "ngari_staff": 404}
LHASA_SURVEY = {"deadline": "survey_deadline", "unit": "540100"}
MATRIX += [
    ("campaigns:tasks", {}, "get", expect()),
    ("campaigns:campaigns", {}, "get", expect()),
    ("reports:dashboard", {}, "get", expect()),
    ("reports:members_dashboard", {}, "get", expect()),
    # The members form without a campaign in its query string is the latest members campaign's; there is none here
    # (tests/test_members_form.py tries each role with one).
    ("reports:members_form", {}, "get", everyone(404)),
    ("reports:dashboard_summary", {}, "get", expect()),
    ("reports:briefing", {}, "get", expect()),
    ("reports:briefing_docx", {}, "get", expect()),
    ("campaigns:campaign_targets", {"pk": "survey_campaign"}, "get", expect(**REVIEWER_ONLY)),
    ("campaigns:campaign_targets", {"pk": "members_campaign"}, "get", expect(**REVIEWER_ONLY)),
    ("campaigns:member_baselines", {"pk": "members_campaign"}, "get", expect(**REVIEWER_ONLY)),
    # Only a members campaign has baselines.
    ("campaigns:member_baselines", {"pk": "survey_campaign"}, "get", expect(**REVIEWER_ONLY, reviewer=404)),
    ("campaigns:member_eighty", {"pk": "members_campaign", "unit": "540100"}, "get", expect(**OUTSIDE_LHASA)),
    (
        "campaigns:member_eighty",
        {"pk": "members_campaign", "unit": "540102"},
        "get",
        expect(shigatse_staff=404, ngari_staff=404),
    ),
    (
        "campaigns:member_eighty",
        {"pk": "members_campaign", "unit": "540200"},
        "get",
        expect(lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    ("campaigns:member_eighty", {"pk": "survey_campaign", "unit": "540100"}, "get", everyone(404)),
    # 考核验收: everyone reads their own units' records; only the 组织部 writes and approves them.
    ("campaigns:acceptances", {"pk": "members_campaign"}, "get", expect()),
    ("campaigns:acceptances", {"pk": "survey_campaign"}, "get", everyone(404)),
    ("campaigns:acceptance", {"pk": "members_campaign", "unit": "540100"}, "get", expect(**OUTSIDE_LHASA)),
    ("campaigns:acceptance", {"pk": "members_campaign", "unit": "540102"}, "get", everyone(404)),
    (
        "campaigns:acceptance_approve",
        {"pk": "members_acceptance_campaign", "unit": "540100"},
        "get",
        expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA}),
    ),
    (
        "campaigns:acceptance_approve",
        {"pk": "members_campaign", "unit": "540100"},
        "get",
        expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA}, reviewer=404),
    ),
    (
        "campaigns:report",
        {"deadline": "members_progress_deadline", "unit": "540100"},
        "get",
        expect(**OUTSIDE_LHASA),
    ),
    ("campaigns:board", {"pk": "survey_campaign"}, "get", expect(**{**REVIEWER_ONLY, "administrator": 200})),
    ("campaigns:campaign_copy", {"pk": "survey_campaign"}, "get", expect(**REVIEWER_ONLY)),
    ("campaigns:campaign_units", {"pk": "survey_campaign"}, "get", expect(**{**REVIEWER_ONLY, "administrator": 200})),
    ("campaigns:report", LHASA_SURVEY, "get", expect(**OUTSIDE_LHASA)),
    (
        "campaigns:report",
        {"deadline": "survey_deadline", "unit": "540200"},
        "get",
        expect(lhasa_staff=404, chengguan_staff=404, lhasa_viewer=404, ngari_staff=404),
    ),
    ("campaigns:report", {"deadline": "survey_deadline", "unit": "540102"}, "get", everyone(404)),
    (
        "campaigns:submit",
        LHASA_SURVEY,
        "get",
        expect(**OUTSIDE_LHASA, reviewer=403, lhasa_viewer=403, administrator=403),
    ),
    ("campaigns:extension", LHASA_SURVEY, "get", expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA})),
    (
        "campaigns:extension_request",
        LHASA_SURVEY,
        "get",
        expect(**OUTSIDE_LHASA, reviewer=403, lhasa_viewer=403, administrator=403),
    ),
    (
        "campaigns:extension_decide",
        {"pk": "lhasa_extension_request"},
        "get",
        expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA}),
    ),
    ("campaigns:approve", {"pk": "lhasa_submission"}, "get", expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA})),
    ("campaigns:return", {"pk": "lhasa_submission"}, "get", expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA})),
]

ADMIN_ONLY = everyone(302, administrator=200)
ADMIN_PAGES = [
    "admin:index",
    "admin:unions_unionorg_changelist",
    "admin:unions_user_changelist",
    "admin:unions_division_changelist",
]
MATRIX += [(name, {}, "get", ADMIN_ONLY) for name in ADMIN_PAGES]

# Everyone has a bell; a notification is its recipient's alone.
MATRIX += [
    ("campaigns:notifications", {}, "get", expect()),
    ("campaigns:notification_open", {"pk": "lhasa_notification"}, "post", everyone(404, lhasa_staff=302)),
    ("campaigns:notifications_read_all", {}, "post", everyone(302)),
]

# Files of 拉萨's draft progress report: seen by whoever sees the report, changed by its unit's staff only.
LHASA_ATTACHMENT = {"pk": "lhasa_attachment"}
ATTACHMENT_WRITE = {**LHASA_ONLY, **STAFF_WRITE, "chengguan_staff": 404, "administrator": 403}
MATRIX += [
    # Without a file the upload goes back to the page with an error: a redirect for the unit's staff.
    (
        "campaigns:attachment_add",
        {"deadline": "lhasa_progress_deadline", "unit": "540100"},
        "post",
        expect(**ATTACHMENT_WRITE, lhasa_staff=302),
    ),
    ("campaigns:attachment_download", LHASA_ATTACHMENT, "get", expect(**LHASA_ONLY, chengguan_staff=404)),
    ("campaigns:attachment_delete", LHASA_ATTACHMENT, "get", expect(**ATTACHMENT_WRITE)),
]

# The tallies are recounted by those who oversee every unit.
MATRIX += [("enterprises:tallies_recount", {}, "get", everyone(403, reviewer=200, administrator=200))]

# A background job is its starter's, and seen by those who oversee every unit; only its starter starts it again.
LHASA_JOB = {"pk": "lhasa_job"}
NOT_LHASA_STAFFS = {"shigatse_staff": 404, "chengguan_staff": 404, "lhasa_viewer": 404, "ngari_staff": 404}
MATRIX += [
    ("jobs:list", {}, "get", expect()),
    ("jobs:detail", LHASA_JOB, "get", expect(**NOT_LHASA_STAFFS)),
    ("jobs:file", LHASA_JOB, "get", expect(**NOT_LHASA_STAFFS)),
    ("jobs:rerun", LHASA_JOB, "post", expect(**NOT_LHASA_STAFFS, lhasa_staff=302, reviewer=403, administrator=403)),
]


# The 八有 checklist of township unions: seen by whoever sees the union, assessed by staff of its county or above.
BARKHOR = {"code": "540102002"}
SHIGATSE_STREET = {"code": "540202001"}
OUTSIDE_SHIGATSE = {"lhasa_staff": 404, "chengguan_staff": 404, "lhasa_viewer": 404, "ngari_staff": 404}
MATRIX += [
    ("unions:eight_haves_overview", {}, "get", expect()),
    ("unions:eight_haves", BARKHOR, "get", expect(**LHASA_ONLY)),
    ("unions:eight_haves", SHIGATSE_STREET, "get", expect(**OUTSIDE_SHIGATSE)),
    ("unions:eight_haves", {"code": "540102"}, "get", everyone(404)),
    ("unions:eight_haves_assess", {**BARKHOR, "item": "seal"}, "get", expect(**LHASA_ONLY, **STAFF_WRITE)),
    ("unions:eight_haves_assess", {**SHIGATSE_STREET, "item": "seal"}, "get", expect(**OUTSIDE_SHIGATSE, reviewer=403)),
    ("unions:eight_haves_file", {"code": "barkhor_evidence_union", "item": "sign"}, "get", expect(**LHASA_ONLY)),
]


# Model practices: everyone looks through those of their own units; the 组织部 marks them 示范. The booklet needs a
# campaign in its query string, so without one it is a 404 for everyone (tests/test_booklet.py tries each role).
MATRIX += [
    ("campaigns:practices", {}, "get", expect()),
    (
        "campaigns:practice_mark",
        {"pk": "lhasa_practice_submission"},
        "get",
        expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA}),
    ),
    (
        "campaigns:practice_unmark",
        {"pk": "lhasa_model_practice_submission"},
        "get",
        expect(**{**REVIEWER_ONLY, **OUTSIDE_LHASA}),
    ),
    # A draft's practices are in no catalogue.
    ("campaigns:practice_mark", {"pk": "lhasa_progress_submission"}, "get", everyone(404)),
    ("reports:practices_booklet", {}, "get", everyone(404)),
]

# The headquarters report is everyone's, within their own scope; the veto list is the 组织部's and the administrators'.
OVERSIGHT_ONLY = dict.fromkeys(("lhasa_staff", "shigatse_staff", "chengguan_staff", "lhasa_viewer", "ngari_staff"), 403)
MATRIX += [
    ("reports:headquarters", {}, "get", expect()),
    ("reports:headquarters_xlsx", {}, "get", expect()),
    ("reports:veto_list", {}, "get", expect(**OVERSIGHT_ONLY)),
    ("reports:veto_list_xlsx", {}, "get", expect(**OVERSIGHT_ONLY)),
]


# The 一函两书 letters of a key enterprise in 城关区: issued by those who record on its case (the 组织部, and staff who
# see the enterprise), downloaded by whoever sees the case.
MATRIX += [
    (
        "campaigns:letter_issue",
        {"pk": "lhasa_case"},
        "get",
        expect(**LHASA_ONLY, lhasa_viewer=403, administrator=403),
    ),
    ("campaigns:letter_download", {"pk": "lhasa_letter"}, "get", expect(**LHASA_ONLY)),
]


# The public join pages need no account: everyone, logged in or not, sees them. The receipt and the correction
# form without an application of this browser send back to the form and the status page; the captcha picture of
# an unknown (or used) key is not found.
PUBLIC = dict.fromkeys(PERSONA_NAMES, 200)
MATRIX += [
    ("join:apply", {}, "get", PUBLIC),
    ("join:status", {}, "get", PUBLIC),
    ("join:employers", {}, "get", PUBLIC),
    ("join:townships", {}, "get", PUBLIC),
    ("join:captcha-refresh", {}, "get", PUBLIC),
    ("join:receipt", {}, "get", dict.fromkeys(PERSONA_NAMES, 302)),
    ("join:correct", {}, "get", dict.fromkeys(PERSONA_NAMES, 302)),
    ("join:language", {"code": "bo"}, "get", dict.fromkeys(PERSONA_NAMES, 302)),
    ("join:language", {"code": "en"}, "get", dict.fromkeys(PERSONA_NAMES, 404)),
    ("captcha-image", {"key": "0" * 40}, "get", dict.fromkeys(PERSONA_NAMES, 404)),
    ("captcha-image-2x", {"key": "0" * 40}, "get", dict.fromkeys(PERSONA_NAMES, 404)),
]


# The push phase: the 组织部 and the prefectures designate; whoever sees the enterprise sees its case; the
# 组织部 and staff who see the enterprise record on it.
LHASA_CASE = {"pk": "lhasa_case"}
CASE_WRITE = {**LHASA_ONLY, "lhasa_viewer": 403, "administrator": 403}
DESIGNATE = {"chengguan_staff": 403, "lhasa_viewer": 403, "administrator": 403}
MATRIX += [
    ("campaigns:push", {}, "get", expect()),
    ("campaigns:push_cases", {"pk": "survey_campaign"}, "get", expect()),
    ("campaigns:push_cases", {"pk": "members_campaign"}, "get", everyone(404)),
    ("campaigns:push_suggestions", {"pk": "survey_campaign"}, "get", expect(**DESIGNATE)),
    (
        "campaigns:push_designate",
        {"pk": "survey_campaign", "enterprise": "lhasa_enterprise"},
        "get",
        expect(**DESIGNATE, **LHASA_ONLY),
    ),
    ("campaigns:push_headcount", {"pk": "survey_campaign"}, "get", expect(**REVIEWER_ONLY)),
    ("campaigns:case", LHASA_CASE, "get", expect(**LHASA_ONLY)),
    ("campaigns:case_measure", LHASA_CASE, "get", everyone(302, **CASE_WRITE)),
    ("campaigns:case_founding", LHASA_CASE, "get", everyone(302, **CASE_WRITE)),
    ("campaigns:case_found", LHASA_CASE, "get", expect(**CASE_WRITE)),
    ("campaigns:case_withdraw", LHASA_CASE, "get", expect(**CASE_WRITE)),
    ("campaigns:case_attachment", {"pk": "lhasa_step_attachment"}, "get", expect(**LHASA_ONLY)),
]


FIXTURE_SUFFIXES = (
    "_enterprise",
    "_import",
    "_campaign",
    "_deadline",
    "_submission",
    "_notification",
    "_attachment",
    "_request",
    "_coverage",
    "_member",
    "_membership",
    "_job",
    "_application",
    "_certificate",
    "_case",
    "_letter",
)


def resolve(request, kwargs):
    """A kwarg naming a fixture (an object of some unit) stands for that object's primary key."""
    resolved = {}
    for key, value in kwargs.items():
        if value.endswith("_union"):  # a union fixture stands for its code
            value = request.getfixturevalue(value).code
        elif value.endswith(FIXTURE_SUFFIXES):
            value = request.getfixturevalue(value).pk
        resolved[key] = value
    return resolved


def _cases():
    for name, kwargs, method, statuses in MATRIX:
        for persona in PERSONA_NAMES:
            label = f"{name}{kwargs or ''}-{persona}"
            yield pytest.param(name, kwargs, method, persona, statuses[persona], id=label)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "status"), list(_cases()))
def test_each_role_gets_the_right_status_on_every_url(client, request, name, kwargs, method, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(reverse(name, kwargs=resolve(request, kwargs)))
    assert response.status_code == status


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    project_urls = {name for name in _named_urls(get_resolver().url_patterns) if not name.startswith("admin:")}
    covered = {name for name, *_ in MATRIX}
    assert project_urls - covered == set(), "add these URLs to MATRIX"
