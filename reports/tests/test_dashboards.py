import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_enterprise
from reports.dashboards import rollup
from unions.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")
    make_enterprise("540102", headcount=120, party_org="own")
    make_enterprise("540122", headcount=300, union_status="joint")
    make_enterprise("540122", headcount=60)  # in scope only from 50
    make_enterprise("540202", headcount=500, party_org="joint", union_status="area")
    make_enterprise("542521", headcount=100)


def test_the_region_rolls_up_counties_into_prefectures(reviewer, registry):
    total = rollup(reviewer, 100)
    assert total.figures == {"total": 5, "both": 2, "party_only": 1, "union_only": 1, "neither": 1}
    lhasa = next(line for line in total.children if line.division.code == "540100")
    assert lhasa.figures == {"total": 3, "both": 1, "party_only": 1, "union_only": 1, "neither": 0}
    assert [county.figures["total"] for county in lhasa.children if county.figures["total"]] == [2, 1]
    assert len(total.children) == 7
    assert lhasa.union_rate == pytest.approx(2 / 3)
    assert lhasa.party_rate == pytest.approx(2 / 3)


def test_a_wider_scope_counts_smaller_enterprises(reviewer, registry):
    assert rollup(reviewer, 50).figures["total"] == 6


def test_the_roll_up_is_one_query_whatever_the_number_of_units(reviewer, registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rollup(reviewer, 100)


def test_prefecture_staff_see_their_counties_only(lhasa_staff, registry):
    total = rollup(lhasa_staff, 100)
    assert total.division.code == "540100"
    assert total.figures["total"] == 3
    assert {line.division.parent_id for line in total.children} == {"540100"}


def count_behind(client, url):
    page = client.get(url.replace("&amp;", "&")).content.decode()
    return int(re.search(r"共 (\d+) 家企业", page).group(1))


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff", "chengguan_staff"])
def test_every_dashboard_figure_equals_the_rows_it_links_to(login, request, registry, persona):
    client = login(request.getfixturevalue(persona))
    page = client.get(reverse("reports:dashboard")).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-figure="\w+">(\d+)</a>', page)
    assert links
    for url, shown in links:
        assert count_behind(client, url) == int(shown), url


def test_the_dashboard_page_shows_rates_and_the_chosen_threshold(login, reviewer, registry):
    page = login(reviewer).get(reverse("reports:dashboard"), {"threshold": 50}).content.decode()
    assert "50人以上" in page
    # From 50 staff the region has 6 in scope, 3 of them with a union and 3 with a party organisation.
    assert re.search(r'data-testid="line-540000">.*?50\.0%</td>\s*<td class="text-end">50\.0%</td>', page, re.S)


def test_the_region_dashboard_takes_as_many_queries_with_every_county_as_with_a_few(login, reviewer, registry):
    client = login(reviewer)
    client.get(reverse("reports:dashboard"))  # reads the division table once for the process
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:dashboard"))
    counties = Division.objects.filter(level=Division.Level.COUNTY)
    for county in counties:
        make_enterprise(county.code, headcount=200, party_org="own")
    with CaptureQueriesContext(connection) as every:
        client.get(reverse("reports:dashboard"))
    assert len(every) == len(few)
    assert rollup(reviewer, 100).figures["total"] == 5 + counties.count()


def test_the_dashboard_prints_without_its_menu_and_controls(client, reviewer):
    from django.urls import reverse

    client.force_login(reviewer)
    page = client.get(reverse("reports:dashboard")).content.decode()
    options = page.split('data-testid="dashboard-options"', 1)[0].rsplit("<form", 1)[1]
    assert "d-print-none" in options
    assert "data-print" in page
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("portal/portal.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    assert ".portal-navbar" in css.split("@media print", 1)[1]
