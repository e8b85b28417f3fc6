"""The campaign pages people open most, on deadline days: each stays within fifteen queries, however many
extensions, deadlines, transitions or suggested enterprises lie behind it."""

import datetime

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import SHANGHAI, Deadline
from campaigns.services.push import criteria_met, key_suggestions
from conftest import make_enterprise
from members.services import enrol
from members.tests.helpers import enrol_values, grassroots_union, id_number
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def at(month, day, hour=12):
    return datetime.datetime(2019, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def busy_survey(survey_deadline, lhasa_staff, reviewer):
    """拉萨's survey: granted two extensions, handed in, returned for correction, with enterprises and a hard case
    that have moved since it was frozen."""
    unit = lhasa_staff.organisation
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")
    hard_case = make_enterprise("540102", headcount=300, beyond_local_reach=True)
    for day in (15, 18):
        services.extension_grant(
            survey_deadline, unit, due_on=datetime.date(2019, 8, day), reason="下乡摸排", user=reviewer, now=at(8, 12)
        )
    services.report_save(survey_deadline, unit, user=lhasa_staff, hard_case_reasons={hard_case.pk: "跨地经营"})
    submission = services.report_submit(survey_deadline, unit, user=lhasa_staff, now=at(8, 14))
    submission = services.submission_return(
        submission, user=reviewer, version=submission.version, reason="请核对城关区数据", now=at(8, 16)
    )
    make_enterprise("540102", headcount=500, beyond_local_reach=True)
    return submission


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff", "lhasa_viewer"])
def test_report_page_stays_within_fifteen_queries(request, login, busy_survey, persona, django_assert_max_num_queries):
    client = login(request.getfixturevalue(persona))
    url = reverse("campaigns:report", args=[busy_survey.deadline_id, "540100"])
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url).content.decode()
    assert "请核对城关区数据" in page
    assert 'data-testid="drift-hard-cases-added"' in page


def test_a_summary_report_page_stays_within_fifteen_queries(
    login, survey_campaign, lhasa_staff, reviewer, django_assert_max_num_queries
):
    deadline = survey_campaign.stages.get(report_kind="summary").deadlines.get()
    for day in (5, 10):
        services.extension_grant(
            deadline,
            lhasa_staff.organisation,
            due_on=datetime.date(2019, 12, day),
            reason="年底",
            user=reviewer,
            now=at(11, 20),
        )
    client = login(reviewer)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("campaigns:report", args=[deadline.pk, "540100"]))
    assert response.status_code == 200


def test_another_units_report_stays_a_404(login, busy_survey, shigatse_staff):
    url = reverse("campaigns:report", args=[busy_survey.deadline_id, "540100"])
    assert login(shigatse_staff).get(url).status_code == 404


@pytest.fixture
def lhasa_acceptance(members_campaign, reviewer, chengguan_staff):
    """拉萨's acceptance record in the members campaign, with members, a 四要素 enterprise and extensions of
    several of its reports behind the figures."""
    lhasa = UnionOrg.objects.get(code="540100")
    union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    employer = make_enterprise(
        "540102", headcount=40, party_org="own", profitable=True, union_status="own", migrant_workers=3
    )
    for serial in range(1, 3):
        enrol(chengguan_staff, union=union, employer=employer, **enrol_values(id_number=id_number(serial=serial)))
    for deadline in Deadline.objects.filter(stage__campaign=members_campaign)[:3]:
        services.extension_grant(
            deadline,
            lhasa,
            due_on=datetime.date(2026, 12, 31),
            reason="年底",
            user=reviewer,
        )
    services.acceptance_save(members_campaign, lhasa, user=reviewer, conclusion="met", comment="", version=0)
    return lhasa


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff", "lhasa_viewer"])
def test_acceptance_page_stays_within_fifteen_queries(
    request, login, members_campaign, lhasa_acceptance, persona, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    url = reverse("campaigns:acceptance", args=[members_campaign.pk, "540100"])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_the_acceptance_reads_the_same_figures_as_the_report(members_campaign, lhasa_acceptance):
    judged = services.members.acceptance_figures(members_campaign, lhasa_acceptance)
    reported = services.member_figures(members_campaign, lhasa_acceptance)
    assert judged == {name: reported[name] for name in judged}
    assert judged["new_migrant_members"] == 2


@pytest.fixture
def many_suggestions(survey_campaign):
    """More enterprises to suggest than a page shows, some of them heads of a group."""
    for serial in range(30):
        head = make_enterprise("540102", name=f"集团总部{serial}", headcount=400 - serial, industry="G")
        if serial % 3 == 0:
            make_enterprise("540102", headcount=10, industry="G", parent_group=head, union_status="own")
    return survey_campaign


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff"])
def test_push_suggestions_page_stays_within_fifteen_queries(
    request, login, many_suggestions, persona, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    url = reverse("campaigns:push_suggestions", args=[many_suggestions.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        page = client.get(url).content.decode()
    assert "集团总部0" in page


def test_a_suggested_group_head_meets_the_headquarters_criterion(many_suggestions, lhasa_staff):
    suggested = {enterprise.name: enterprise for enterprise in key_suggestions(many_suggestions, lhasa_staff)}
    head, single = suggested["集团总部0"], suggested["集团总部1"]
    assert criteria_met(head, many_suggestions) == ["large", "headquarters"]
    assert criteria_met(single, many_suggestions) == ["large"]
    assert criteria_met(head.__class__.objects.get(pk=head.pk), many_suggestions) == ["large", "headquarters"]
