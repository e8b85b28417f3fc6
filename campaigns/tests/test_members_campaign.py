"""A members campaign (the 2015 plan) measured from the registry and the member rolls: 拉萨 staff see their figures
live, hand a progress report in and find its figures frozen; the 组织部 enters the 2014 baselines and the member
targets, every change kept."""

import datetime
import re

import pytest
from django.urls import reverse

from campaigns.models import SHANGHAI, MemberBaseline, MemberFigureChange, MemberTarget
from campaigns.services import (
    WorkflowError,
    baselines_set,
    campaign_copy,
    member_figures,
    member_targets_set,
    report_save,
    report_submit,
)
from conftest import make_enterprise
from members.tests.helpers import enrol_many, grassroots_union
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

MAY = datetime.datetime(2026, 5, 20, 10, tzinfo=SHANGHAI)


def four_criteria(county="540102", **fields):
    """An enterprise meeting 四要素: non-public, 25+ staff, a party organisation, operating, profitable."""
    values = {"headcount": 60, "party_org": "own", "operating": True, "profitable": True, "union_status": "none"}
    values.update(fields)
    return make_enterprise(county, **values)


@pytest.fixture
def lhasa():
    return UnionOrg.objects.get(code="540100")


@pytest.fixture
def hotel_union(db):
    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


def test_migrant_members_count_those_joined_by_the_campaigns_year_and_this_years_new_ones(
    members_campaign, lhasa, chengguan_staff, hotel_union
):
    employer = four_criteria(migrant_workers=10)
    enrol_many(chengguan_staff, hotel_union, employer, 3, joined_on=datetime.date(2025, 3, 1))
    enrol_many(chengguan_staff, hotel_union, employer, 2, first_serial=10)
    enrol_many(chengguan_staff, hotel_union, employer, 1, first_serial=20, migrant=False)
    enrol_many(chengguan_staff, hotel_union, employer, 4, first_serial=30, joined_on=datetime.date(2027, 1, 5))

    figures = member_figures(members_campaign, lhasa)

    assert figures["migrant_members"] == 5
    assert figures["new_migrant_members"] == 2
    assert figures["baseline"] is None
    assert figures["against_baseline"] is None


def test_the_change_against_2014_is_measured_from_the_baseline_the_organisation_department_entered(
    members_campaign, lhasa, reviewer, chengguan_staff, hotel_union
):
    enrol_many(chengguan_staff, hotel_union, four_criteria(), 4)
    baselines_set(members_campaign, {lhasa.pk: (1, "2014年工会统计年报", 0)}, user=reviewer)

    figures = member_figures(members_campaign, lhasa)

    assert (figures["baseline"], figures["against_baseline"]) == (1, 3)


def test_four_criteria_count_an_enterprise_of_exactly_25_and_list_those_without_a_union(members_campaign, lhasa):
    exactly = four_criteria(headcount=25, name="二十五人公司")
    four_criteria(headcount=200, union_status="own")
    four_criteria(headcount=24)  # small, not 四要素
    four_criteria(headcount=80, profitable=False)  # making a loss: not 四要素
    four_criteria(headcount=80, party_org="none")  # no party organisation: not 四要素

    figures, lists = member_figures(members_campaign, lhasa, with_lists=True)

    assert (figures["four_criteria"], figures["four_criteria_with_union"]) == (2, 1)
    assert figures["four_criteria_without_union"] == 1
    assert [row[0] for row in lists["without_union"]] == [exactly.pk]


def test_the_80_percent_rule_names_each_enterprise_below_it_with_its_gap_in_people(
    members_campaign, lhasa, chengguan_staff, hotel_union
):
    below = four_criteria(migrant_workers=10, name="差两人公司")
    met = four_criteria(migrant_workers=5, name="达标公司")
    four_criteria(migrant_workers=0, name="无农牧民工公司")
    enrol_many(chengguan_staff, hotel_union, below, 6)
    enrol_many(chengguan_staff, hotel_union, met, 4, first_serial=10)

    figures, lists = member_figures(members_campaign, lhasa, with_lists=True)

    assert figures["eighty_employing"] == 2
    assert (figures["eighty_met"], figures["eighty_below"]) == (1, 1)
    assert (figures["eighty_migrant_workers"], figures["eighty_migrant_members"]) == (15, 10)
    assert lists["below_eighty"] == [[below.pk, below.credit_code, "差两人公司", 10, 6, 2]]


def test_small_enterprises_are_those_under_25_and_those_a_joint_grassroots_union_covers(members_campaign, lhasa):
    make_enterprise("540102", headcount=24, union_status="joint")
    make_enterprise("540102", headcount=3)
    make_enterprise("540102", headcount=25, union_status="joint")

    figures = member_figures(members_campaign, lhasa)

    assert (figures["small"], figures["small_joint"]) == (2, 1)


def test_key_sectors_count_unions_founded_this_year_and_migrant_members(
    members_campaign, lhasa, chengguan_staff, hotel_union
):
    site = make_enterprise(
        "540102", key_sector="construction", union_status="own", union_founded_on=datetime.date(2026, 4, 2)
    )
    make_enterprise("540102", key_sector="construction", union_status="own", union_founded_on=datetime.date(2020, 1, 1))
    make_enterprise("540102", key_sector="logistics")
    enrol_many(chengguan_staff, hotel_union, site, 3)

    sectors = member_figures(members_campaign, lhasa)["sectors"]

    assert sectors["construction"] == {"enterprises": 2, "unions": 2, "founded": 1, "migrant_members": 3}
    assert sectors["logistics"] == {"enterprises": 1, "unions": 0, "founded": 0, "migrant_members": 0}
    assert sectors["above_scale"]["enterprises"] == 3  # 120 staff each


def test_a_handed_in_progress_report_freezes_its_figures_while_the_rolls_move_on(
    members_progress_deadline, lhasa, lhasa_staff, chengguan_staff, hotel_union
):
    employer = four_criteria(migrant_workers=10)
    enrol_many(chengguan_staff, hotel_union, employer, 2)
    report_save(members_progress_deadline, lhasa, user=lhasa_staff, content={"results": "入会进展顺利"})
    submission = report_submit(members_progress_deadline, lhasa, user=lhasa_staff, now=MAY)
    enrol_many(chengguan_staff, hotel_union, employer, 3, first_serial=40)

    assert submission.snapshot["measure"] == "members"
    assert submission.figures["migrant_members"] == 2
    assert submission.snapshot["below_eighty"][0][4] == 2
    assert member_figures(members_progress_deadline.stage.campaign, lhasa)["migrant_members"] == 5


def test_lhasa_staff_see_the_live_figures_linked_to_the_rows_they_count(
    client, members_progress_deadline, lhasa_staff, chengguan_staff, hotel_union
):
    employer = four_criteria(migrant_workers=10)
    enrol_many(chengguan_staff, hotel_union, employer, 3)
    enrol_many(chengguan_staff, hotel_union, employer, 2, first_serial=10, joined_on=datetime.date(2025, 6, 1))
    client.force_login(lhasa_staff)

    page = client.get(reverse("campaigns:report", args=[members_progress_deadline.pk, "540100"]))

    assert page.status_code == 200
    html = page.content.decode()
    for name, expected in (("migrant_members", 5), ("new_migrant_members", 3), ("four_criteria_without_union", 1)):
        cell = re.search(rf'data-testid="figure-{name}"><a href="([^"]+)">(\d+)</a>', html)
        assert cell, name
        assert int(cell.group(2)) == expected, name
        listed = client.get(cell.group(1).replace("&amp;", "&"))
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == expected, name


def test_after_submission_the_report_shows_the_frozen_figures_and_what_changed_since(
    client, members_progress_deadline, lhasa, lhasa_staff, chengguan_staff, hotel_union
):
    employer = four_criteria(migrant_workers=10)
    enrol_many(chengguan_staff, hotel_union, employer, 2)
    report_save(members_progress_deadline, lhasa, user=lhasa_staff, content={"results": "入会进展顺利"})
    report_submit(members_progress_deadline, lhasa, user=lhasa_staff, now=MAY)
    enrol_many(chengguan_staff, hotel_union, employer, 1, first_serial=50)
    client.force_login(lhasa_staff)

    page = client.get(reverse("campaigns:report", args=[members_progress_deadline.pk, "540100"]))

    html = page.content.decode()
    assert re.search(r'data-testid="snapshot-migrant_members">2<', html)
    assert 'data-testid="member-drift"' in html
    assert "2 → 3" in html


def test_the_eighty_page_lists_enterprises_below_80_percent_with_links_to_their_members(
    client, members_campaign, lhasa_staff, chengguan_staff, hotel_union
):
    below = four_criteria(migrant_workers=10)
    enrol_many(chengguan_staff, hotel_union, below, 7)
    met = four_criteria(migrant_workers=1)
    enrol_many(chengguan_staff, hotel_union, met, 1, first_serial=60)
    client.force_login(lhasa_staff)

    page = client.get(reverse("campaigns:member_eighty", args=[members_campaign.pk, "540100"]), {"show": "below"})

    rows = list(page.context["page"])
    assert [row[0] for row in rows] == [below.pk]
    assert rows[0][5] == 1
    members = client.get(reverse("members:list"), {"enterprise": below.pk, "migrant": "yes", "joined_until": 2026})
    assert members.context["page"].paginator.count == 7


def test_an_out_of_range_filter_on_the_eighty_page_is_ignored(client, members_campaign, lhasa_staff):
    client.force_login(lhasa_staff)
    url = reverse("campaigns:member_eighty", args=[members_campaign.pk, "540100"])

    assert client.get(url, {"show": "everything", "page": "999999"}).status_code == 200


def test_the_organisation_department_enters_a_baseline_with_its_source_and_every_change_is_kept(
    client, members_campaign, lhasa, reviewer
):
    client.force_login(reviewer)
    url = reverse("campaigns:member_baselines", args=[members_campaign.pk])

    refused = client.post(url, {f"number_{lhasa.pk}": "1200", f"version_{lhasa.pk}": "0"})
    assert refused.status_code == 200
    assert not MemberBaseline.objects.exists()
    client.post(url, {f"number_{lhasa.pk}": "1200", f"source_{lhasa.pk}": "2014年统计年报", f"version_{lhasa.pk}": "0"})
    client.post(url, {f"number_{lhasa.pk}": "1250", f"source_{lhasa.pk}": "2014年统计年报", f"version_{lhasa.pk}": "1"})

    baseline = MemberBaseline.objects.get()
    assert (baseline.migrant_members, baseline.version, baseline.set_by) == (1250, 2, reviewer)
    changes = list(MemberFigureChange.objects.order_by("pk").values_list("before", "after"))
    assert changes == [
        (None, {"migrant_members": 1200, "source": "2014年统计年报"}),
        ({"migrant_members": 1200, "source": "2014年统计年报"}, {"migrant_members": 1250, "source": "2014年统计年报"}),
    ]


def test_a_baseline_changed_since_the_form_was_opened_is_refused(members_campaign, lhasa, reviewer):
    baselines_set(members_campaign, {lhasa.pk: (1200, "年报", 0)}, user=reviewer)

    with pytest.raises(WorkflowError):
        baselines_set(members_campaign, {lhasa.pk: (1300, "年报", 0)}, user=reviewer)
    assert MemberBaseline.objects.get().migrant_members == 1200


def test_unit_staff_cannot_enter_baselines_or_member_targets(members_campaign, lhasa, lhasa_staff):
    with pytest.raises(WorkflowError):
        baselines_set(members_campaign, {lhasa.pk: (1, "年报", 0)}, user=lhasa_staff)
    with pytest.raises(WorkflowError):
        member_targets_set(members_campaign, {lhasa.pk: ({"new_migrant_members": 5}, 0)}, user=lhasa_staff)


def test_member_targets_are_set_beside_the_union_targets_and_every_change_is_kept(
    client, members_campaign, lhasa, reviewer
):
    client.force_login(reviewer)
    url = reverse("campaigns:campaign_targets", args=[members_campaign.pk])
    data = {
        "which": "members",
        f"new_migrant_members_{lhasa.pk}": "300",
        f"eighty_rate_{lhasa.pk}": "80",
        f"member_version_{lhasa.pk}": "0",
    }

    assert client.post(url, data).status_code == 302
    data[f"eight_haves_rate_{lhasa.pk}"] = "60"
    data[f"member_version_{lhasa.pk}"] = "1"
    client.post(url, data)

    target = MemberTarget.objects.get()
    assert (target.new_migrant_members, str(target.eighty_rate), str(target.eight_haves_rate)) == (300, "80.0", "60.0")
    assert MemberFigureChange.objects.filter(subject="target").count() == 2
    page = client.get(url)
    assert 'data-testid="member-target-form"' in page.content.decode()


def test_a_rate_target_over_100_percent_is_refused_with_its_field(client, members_campaign, lhasa, reviewer):
    client.force_login(reviewer)
    url = reverse("campaigns:campaign_targets", args=[members_campaign.pk])

    page = client.post(url, {"which": "members", f"eighty_rate_{lhasa.pk}": "180", f"member_version_{lhasa.pk}": "0"})

    assert page.status_code == 200
    assert not MemberTarget.objects.exists()
    assert page.context["member_form"].errors


def test_a_copy_of_a_members_campaign_counts_members_too(members_campaign, reviewer):
    assert campaign_copy(members_campaign, year=2027, user=reviewer).counts_members


def test_township_unions_meet_the_eight_haves_only_with_all_eight_items_and_link_to_the_overview(
    client, members_progress_deadline, lhasa, lhasa_staff
):
    from unions.models import EightHave
    from unions.services import eight_haves_assess

    barkhor, jiri = UnionOrg.objects.get(code="540102002"), UnionOrg.objects.get(code="540102003")
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
    eight_haves_assess(
        jiri, user=lhasa_staff, item="seal", met=True, note="已核实", assessed_on=datetime.date(2026, 5, 2), version=0
    )

    figures = member_figures(members_progress_deadline.stage.campaign, lhasa)

    assert figures["townships"] == UnionOrg.objects.filter(path__startswith=lhasa.path, kind="township_union").count()
    assert figures["townships_meeting"] == 1
    assert figures["eight_haves_missing"]["seal"] == figures["townships"] - 2
    client.force_login(lhasa_staff)
    page = client.get(reverse("campaigns:report", args=[members_progress_deadline.pk, "540100"])).content.decode()
    link = re.search(r'data-testid="figure-townships_meeting"><a href="([^"]+)">1</a>', page)
    assert link
    assert client.get(link.group(1).replace("&amp;", "&")).context["page"].paginator.count == 1
