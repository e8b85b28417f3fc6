"""The registry list at any size: counts from the tallies or capped, the door as a range for a place's staff,
and a page within the query budget."""

import re

import pytest
from django.urls import reverse

from conftest import make_enterprise
from enterprises import selectors
from enterprises.models import Enterprise
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'data-testid="enterprise-count">([^<]+)<')
FILTERS = (
    {},
    {"band": "100"},
    {"band": "25", "union_status": "none"},
    {"small": "on"},
    {"party_org": "none", "county": "540102"},
    {"prefecture": "540100", "band": "50"},
    {"unit": "540100"},
    {"unit": "540200"},
)


@pytest.fixture
def registry(db):
    for county, headcount, status in (
        ("540102", 10, "none"),
        ("540102", 30, "own"),
        ("540102", 60, "none"),
        ("540102", 150, "none"),
        ("540122", 120, "joint"),
        ("540202", 20, "none"),
        ("540202", 300, "own"),
    ):
        make_enterprise(county, headcount=headcount, union_status=status)


def shown_count(client, params):
    page = client.get(reverse("enterprises:list"), params).content.decode()
    return COUNT.search(page).group(1)


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff", "chengguan_staff", "shigatse_staff"])
def test_the_list_count_read_from_the_tallies_equals_the_rows_behind_it(request, login, registry, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    for params in FILTERS:
        filters, enterprises = selectors.filtered_enterprises(user, _query(params))
        count, capped = selectors.list_count(user, filters, enterprises)
        assert (count, capped) == (enterprises.count(), False), params
        assert shown_count(client, params) == f"共 {count} 家企业", params


def test_a_search_past_the_cap_says_more_than_and_pages_through_the_cap(login, reviewer, registry, monkeypatch):
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr("enterprises.views.PER_PAGE", 2)
    client = login(reviewer)
    page = client.get(reverse("enterprises:list"), {"q": "有限公司"}).content.decode()
    assert "超过 3 家企业" in page
    assert 'data-testid="enterprise-count-capped"' in page
    assert "共 2 页以上" in page
    # Below the cap the count is exact, with no note.
    narrow = client.get(reverse("enterprises:list"), {"q": "有限公司", "county": "540122"}).content.decode()
    assert "共 1 家企业" in narrow
    assert "enterprise-count-capped" not in narrow


def test_a_place_sees_what_its_units_answer_for_elsewhere(login, lhasa_staff, registry):
    lhasa = UnionOrg.objects.get(code="540100")
    elsewhere = make_enterprise("540202", name="拉萨负责的日喀则企业", responsible_unit=lhasa)
    seen = Enterprise.objects.visible_to(lhasa_staff)
    assert elsewhere in seen
    assert seen.count() == Enterprise.objects.filter(county__code__startswith="5401").count() + 1
    assert elsewhere.name in login(lhasa_staff).get(reverse("enterprises:list")).content.decode()


def test_a_place_whose_units_answer_for_nothing_elsewhere_is_read_as_a_range_of_counties(lhasa_staff, registry):
    query = str(Enterprise.objects.visible_to(lhasa_staff).query)
    assert 'county_id" >= 5401' in query.replace("'", "") or '"county_id" >= 5401' in query
    assert set(Enterprise.objects.visible_to(lhasa_staff)) == set(
        Enterprise.objects.filter(county__code__startswith="5401")
    )


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_staff", "chengguan_staff"])
@pytest.mark.parametrize("params", [{"page": "2"}, {"q": "有限公司"}, {"band": "100", "sort": "-headcount"}])
def test_the_list_stays_within_fifteen_queries(
    request, login, registry, persona, params, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(persona))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("enterprises:list"), params).status_code == 200


def _query(params):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return query
