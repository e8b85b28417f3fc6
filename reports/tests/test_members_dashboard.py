"""The dashboard of a members campaign: the 组织部 drills from the region to the members of one union, every figure
opens exactly the rows it counts, and nobody drills into another unit's area."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.services import baselines_set, member_targets_set
from conftest import make_enterprise
from members.tests.helpers import enrol_many, grassroots_union
from reports.enrolment import build
from unions.models import EightHave, UnionOrg
from unions.services import eight_haves_assess

pytestmark = pytest.mark.django_db


@pytest.fixture
def lhasa_rolls(members_campaign, reviewer, lhasa_staff, shigatse_staff):
    """Members of a grassroots union under 八廓街道 and of one in 日喀则; 四要素, small and 八有 data beside them."""
    barkhor = UnionOrg.objects.get(code="540102002")
    hotel = grassroots_union("540102002", "540102002.G001", "八廓街某酒店工会")
    site = grassroots_union("540202", "540202.G001", "桑珠孜某工地工会", form="project")
    below = make_enterprise(
        "540102", headcount=40, party_org="own", profitable=True, migrant_workers=10, name="八廓街某酒店"
    )
    make_enterprise("540102", headcount=30, party_org="own", profitable=True, union_status="own", migrant_workers=2)
    make_enterprise("540102", headcount=12, union_status="joint")
    make_enterprise("540103", headcount=8)
    builder = make_enterprise("540202", headcount=300, party_org="own", profitable=True, migrant_workers=5)
    enrol_many(lhasa_staff, hotel, below, 6)
    enrol_many(lhasa_staff, hotel, below, 2, first_serial=10, joined_on=datetime.date(2024, 1, 1))
    enrol_many(lhasa_staff, hotel, None, 1, first_serial=20, migrant=False)
    enrol_many(shigatse_staff, site, builder, 4, first_serial=30)
    for item in EightHave.values:
        eight_haves_assess(
            barkhor,
            user=lhasa_staff,
            item=item,
            met=True,
            note="已核实",
            assessed_on=datetime.date(2026, 5, 2),
            version=0,
        )
    lhasa = UnionOrg.objects.get(code="540100")
    baselines_set(members_campaign, {lhasa.pk: (3, "2014年统计年报", 0)}, user=reviewer)
    member_targets_set(members_campaign, {lhasa.pk: ({"new_migrant_members": 10}, 0)}, user=reviewer)
    return hotel


def _cells(html):
    """[(figure, value, link)] of every linked figure on the page."""
    return [
        (name, int(value), unescape(link))
        for name, link, value in re.findall(r'data-figure="(\w+)"><a href="([^"]+)">(-?\d+)</a>', html)
    ]


def _rows_behind(client, link):
    page = client.get(link)
    assert page.status_code == 200, link
    if "page" not in page.context:  # a township union's own 八有 checklist: the one union it counts
        return 1 if "townships=" not in link and "meets" not in link else None
    return page.context["page"].paginator.count


@pytest.mark.parametrize("org", ["", "540100", "540102", "540102002"])
def test_every_figure_on_each_level_opens_exactly_the_rows_it_counts(
    client, reviewer, members_campaign, lhasa_rolls, org
):
    client.force_login(reviewer)
    query = {"campaign": members_campaign.pk, **({"org": org} if org else {})}

    html = client.get(reverse("reports:members_dashboard"), query).content.decode()

    cells = [cell for cell in _cells(html) if cell[0] not in ("baseline", "against_baseline")]
    assert cells
    for name, value, link in cells:
        behind = _rows_behind(client, link)
        if behind == 1 and value == 0:  # a township union's checklist, for "meeting 八有" when it does not
            assert name == "townships_meeting"
            continue
        assert behind == value, (name, link)


def test_the_organisation_department_drills_from_the_region_to_the_members_of_one_union(
    client, reviewer, members_campaign, lhasa_rolls
):
    client.force_login(reviewer)
    url = f"{reverse('reports:members_dashboard')}?campaign={members_campaign.pk}"
    for code in ("540100", "540102", "540102002", "540102002.G001"):
        html = client.get(url).content.decode()
        found = re.search(
            rf'data-testid="drill-{re.escape(code)}"[^>]*>|href="([^"]+)" data-testid="drill-{re.escape(code)}"', html
        )
        assert found, code
        url = unescape(found.group(1))
    members = client.get(url)

    assert members.context["page"].paginator.count == 8
    assert {m.union.code for m in members.context["page"]} == {"540102002.G001"}


def test_the_region_total_adds_up_its_lines_and_shows_the_baseline_against_2014(members_campaign, lhasa_rolls):
    region = UnionOrg.objects.get(code="540000")

    dashboard, _figures = build(members_campaign, region)

    total = dashboard.total.figures
    assert total["migrant_members"] == sum(line.figures["migrant_members"] for line in dashboard.lines) == 12
    assert total["new_migrant_members"] == 10
    lhasa = next(line for line in dashboard.lines if line.org.code == "540100")
    assert (lhasa.figures["baseline"], lhasa.figures["against_baseline"]) == (3, 5)
    assert lhasa.target.new_migrant_members == 10
    assert (lhasa.figures["four_criteria"], lhasa.figures["eighty_below"], lhasa.figures["eighty_met"]) == (2, 1, 1)
    assert (lhasa.figures["small"], lhasa.figures["small_joint"]) == (2, 1)
    assert lhasa.figures["townships_meeting"] == 1


def test_the_dashboard_reads_a_constant_number_of_queries_whatever_the_number_of_units(
    client, reviewer, members_campaign, lhasa_rolls, lhasa_staff
):
    client.force_login(reviewer)
    url = reverse("reports:members_dashboard")

    with CaptureQueriesContext(connection) as before:
        client.get(url, {"campaign": members_campaign.pk})
    for number in range(2, 8):
        union = grassroots_union("540103", f"540103.G00{number}", f"堆龙某企业工会{number}")
        enrol_many(lhasa_staff, union, None, 1, first_serial=40 + number)
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"campaign": members_campaign.pk})

    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(after.captured_queries) <= 23


def test_another_prefectures_organisation_in_the_address_is_a_404(client, shigatse_staff, members_campaign):
    client.force_login(shigatse_staff)

    assert client.get(reverse("reports:members_dashboard"), {"org": "540100"}).status_code == 404
    own = client.get(reverse("reports:members_dashboard"), {"org": "540200", "campaign": "no", "page": "99"})
    assert own.status_code == 200


def test_staff_start_their_drill_down_at_their_own_unit(client, chengguan_staff, members_campaign, lhasa_rolls):
    client.force_login(chengguan_staff)

    page = client.get(reverse("reports:members_dashboard"))

    assert page.context["dashboard"].org.code == "540102"
    assert page.context["dashboard"].total.figures["migrant_members"] == 8


def _total(client, campaign):
    return client.get(reverse("reports:members_dashboard"), {"campaign": campaign.pk}).context["dashboard"].total


def test_a_second_look_without_a_write_reads_the_kept_counts_and_shows_the_same_figures(
    client, reviewer, members_campaign, lhasa_rolls
):
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as first:
        before = _total(client, members_campaign).figures
    with CaptureQueriesContext(connection) as second:
        after = _total(client, members_campaign).figures

    assert after == before
    assert len(second.captured_queries) < len(first.captured_queries)


def test_every_write_to_the_rolls_or_the_registry_shows_on_the_next_look(
    client, reviewer, members_campaign, lhasa_rolls, lhasa_staff, chengguan_staff
):
    from enterprises.models import Enterprise
    from enterprises.services import enterprise_update
    from members import services
    from members.models import Membership

    client.force_login(reviewer)
    before = _total(client, members_campaign).figures

    enrol_many(lhasa_staff, lhasa_rolls, None, 1, first_serial=60)
    assert _total(client, members_campaign).figures["migrant_members"] == before["migrant_members"] + 1

    hotel = Enterprise.objects.get(name="八廓街某酒店")
    enterprise_update(hotel, user=lhasa_staff, version=hotel.version, data={"headcount": 12})
    figures = _total(client, members_campaign).figures
    assert (figures["four_criteria"], figures["small"]) == (before["four_criteria"] - 1, before["small"] + 1)

    person = Membership.objects.filter(union=lhasa_rolls, person__migrant_worker=True).first().person
    services.update_person(chengguan_staff, person, version=person.version, migrant_worker=False)
    assert _total(client, members_campaign).figures["migrant_members"] == before["migrant_members"]


def test_a_change_to_the_union_tree_is_counted_afresh(client, reviewer, members_campaign, lhasa_rolls, lhasa_staff):
    client.force_login(reviewer)
    _total(client, members_campaign)

    union = grassroots_union("540103", "540103.G009", "堆龙某企业工会9")
    with CaptureQueriesContext(connection) as counted:
        lines = client.get(
            reverse("reports:members_dashboard"), {"campaign": members_campaign.pk, "org": "540103"}
        ).context["dashboard"]

    assert any("members_membertally" in query["sql"] for query in counted.captured_queries)
    assert lines.total.figures["migrant_members"] == 0
    assert union.path.startswith(lines.org.path)
