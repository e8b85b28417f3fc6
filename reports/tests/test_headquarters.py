"""The headquarters report: scoped to what the person may see, counted over the whole group, filtered, paged and
downloaded."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from conftest import make_enterprise
from reports import headquarters

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    """A Shigatse headquarters with a union and subsidiaries in Lhasa (one covered) and Shigatse; a Ngari one
    without a union and with one subsidiary of its own prefecture."""
    shigatse_top = make_enterprise("540202", name="日喀则集团总部", union_status="own")
    make_enterprise("540102", name="拉萨子公司甲", parent_group=shigatse_top, union_status="joint")
    make_enterprise("540102", name="拉萨子公司乙", parent_group=shigatse_top)
    make_enterprise("540202", name="日喀则子公司", parent_group=shigatse_top)
    ngari_top = make_enterprise("542521", name="阿里集团总部")
    make_enterprise("542521", name="阿里子公司", parent_group=ngari_top)
    return shigatse_top, ngari_top


def names(user, **filters):
    return [row.name for row in headquarters.headquarters_rows(user, **filters)]


def test_staff_see_a_headquarters_elsewhere_when_one_of_its_subsidiaries_is_theirs(lhasa_staff, groups):
    assert names(lhasa_staff) == ["日喀则集团总部"]


def test_a_headquarters_counts_every_subsidiary_of_the_group_and_those_with_a_union(lhasa_staff, groups):
    row = headquarters.headquarters_rows(lhasa_staff).get()
    assert (row.subsidiary_count, row.covered_count) == (3, 1)


def test_the_reviewer_sees_every_headquarters_and_filters_by_union(reviewer, groups):
    assert set(names(reviewer)) == {"日喀则集团总部", "阿里集团总部"}
    assert names(reviewer, union="yes") == ["日喀则集团总部"]
    assert names(reviewer, union="no") == ["阿里集团总部"]


def test_staff_with_no_part_of_a_group_do_not_see_it(chengguan_staff, ngari_staff, groups):
    assert names(ngari_staff) == ["阿里集团总部"]
    # 城关区 staff see the Lhasa subsidiaries, which are in their county.
    assert names(chengguan_staff) == ["日喀则集团总部"]


def test_the_page_links_only_headquarters_the_person_may_open(login, lhasa_staff, shigatse_staff, groups):
    shigatse_top, _ngari_top = groups
    detail = reverse("enterprises:detail", args=[shigatse_top.pk])
    lhasa_page = login(lhasa_staff).get(reverse("reports:headquarters")).content.decode()
    assert shigatse_top.name in lhasa_page
    assert detail not in lhasa_page
    shigatse_page = login(shigatse_staff).get(reverse("reports:headquarters"), {"union": "yes"}).content.decode()
    assert detail in shigatse_page


def test_the_page_is_paged(login, reviewer):
    for number in range(55):
        top = make_enterprise("540102", name=f"集团{number:02d}")
        make_enterprise("540102", parent_group=top)
    client = login(reviewer)
    first = client.get(reverse("reports:headquarters")).context["page"]
    assert (len(first), first.paginator.count) == (50, 55)
    assert len(client.get(reverse("reports:headquarters"), {"page": 2}).context["page"]) == 5


def test_the_download_lists_the_same_headquarters_with_their_counts(login, lhasa_staff, groups):
    response = login(lhasa_staff).get(reverse("reports:headquarters_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows() if row[0].value == 1]
    assert len(rows) == 1
    assert rows[0][1] == "日喀则集团总部"
    assert rows[0][-3:] == [3, 1, 2]
    assert sheet["A1"].value == gettext("Group headquarters and the union coverage of their subsidiaries")
