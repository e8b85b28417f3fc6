"""The dashboards and briefings read a bounded number of queries for every role, whatever the registry holds."""

import pytest
from django.urls import reverse

from conftest import make_enterprise

pytestmark = pytest.mark.django_db

PERSONAS = ["reviewer", "lhasa_staff", "chengguan_staff", "lhasa_viewer"]


@pytest.fixture
def registry(db):
    for county, headcount, status in (("540102", 150, "none"), ("540122", 60, "own"), ("540202", 300, "joint")):
        make_enterprise(county, headcount=headcount, union_status=status)


def within_fifteen(client, django_assert_max_num_queries, url, params):
    client.get(url, params)  # the first read of the process: the divisions, figures kept while the data stands
    with django_assert_max_num_queries(15):
        response = client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("params", [{}, {"threshold": "50", "compare": "1"}])
def test_the_dashboard_stays_within_fifteen_queries(
    request, login, survey_campaign, registry, persona, params, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    within_fifteen(client, django_assert_max_num_queries, reverse("reports:dashboard"), params)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_briefing_stays_within_fifteen_queries(
    request, login, survey_campaign, registry, persona, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    within_fifteen(client, django_assert_max_num_queries, reverse("reports:briefing"), {"campaign": survey_campaign.pk})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("org", ["", "540102"])
def test_a_members_briefing_stays_within_fifteen_queries(
    request, login, members_campaign, registry, persona, org, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    params = {"campaign": members_campaign.pk, **({"org": org} if org else {})}
    within_fifteen(client, django_assert_max_num_queries, reverse("reports:briefing"), params)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_members_dashboard_stays_within_fifteen_queries(
    request, login, members_campaign, registry, persona, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    within_fifteen(client, django_assert_max_num_queries, reverse("reports:members_dashboard"), {})
