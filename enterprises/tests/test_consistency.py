import datetime

import pytest
from django.urls import reverse

from conftest import make_enterprise
from enterprises import tallies
from enterprises.models import Enterprise
from enterprises.selectors import coverage_mismatches
from enterprises.services import coverage_start
from unions.models import UnionOrg
from unions.services import grassroots_union_create

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def mixed_registry(chengguan_staff):
    """In 城关区: one enterprise with a union and its coverage, one with a union but no coverage, one covered
    though the registry says it has no union, and one with neither."""
    union = grassroots_union_create(
        user=chengguan_staff, parent=UnionOrg.objects.get(code="540102002"), name="八廓联合工会", form="joint"
    )
    consistent = make_enterprise("540102", name="一致企业", union_status="joint")
    uncovered = make_enterprise("540102", name="未覆盖企业", union_status="own")
    unrecorded = make_enterprise("540102", name="未登记企业", union_status="none")
    make_enterprise("540102", name="未建会企业", union_status="none")
    coverage_start(user=chengguan_staff, enterprise=consistent, union=union, valid_from=TODAY)
    # Recorded before coverages set the status (or typed into the registry since): the status says no union.
    coverage_start(user=chengguan_staff, enterprise=unrecorded, union=union, valid_from=TODAY)
    Enterprise.objects.filter(pk=unrecorded.pk).update(union_status="none")
    tallies.recount([unrecorded.county_id])
    return {"uncovered": uncovered, "unrecorded": unrecorded}


@pytest.mark.parametrize("unit_code", ["540100", "540102"])
def test_the_list_finds_each_way_the_status_and_the_coverage_disagree(lhasa_staff, mixed_registry, unit_code):
    unit = UnionOrg.objects.get(code=unit_code)
    assert [e.name for e in coverage_mismatches(lhasa_staff, unit, "uncovered")] == ["未覆盖企业"]
    assert [e.name for e in coverage_mismatches(lhasa_staff, unit, "unrecorded")] == ["未登记企业"]


def test_the_units_page_links_to_its_list_which_shows_both_ways(login, chengguan_staff, mixed_registry):
    client = login(chengguan_staff)
    url = reverse("enterprises:unit_consistency", args=["540102"])
    assert url in client.get(reverse("unions:detail", args=["540102"])).content.decode()
    uncovered = client.get(url).content.decode()
    assert "未覆盖企业" in uncovered
    assert "未登记企业" not in uncovered
    unrecorded = client.get(url, {"list": "unrecorded"}).content.decode()
    assert "未登记企业" in unrecorded
    assert "八廓联合工会" in unrecorded
    assert "一致企业" not in uncovered + unrecorded


def test_another_units_list_is_not_found_and_shows_nothing_of_theirs(login, shigatse_staff, mixed_registry):
    client = login(shigatse_staff)
    assert client.get(reverse("enterprises:unit_consistency", args=["540102"])).status_code == 404
    page = client.get(reverse("enterprises:unit_consistency", args=["540200"])).content.decode()
    assert "未覆盖企业" not in page


def test_the_list_is_paginated(login, lhasa_staff):
    for _ in range(55):
        make_enterprise("540103", union_status="own")
    client = login(lhasa_staff)
    url = reverse("enterprises:unit_consistency", args=["540100"])
    assert "page=2" in client.get(url).content.decode()
    assert client.get(url, {"page": 2}).status_code == 200
