"""The member rolls in the browser's terms: 城关区 staff enrol, find, edit and reveal; others see only their own."""

import pytest
from django.urls import reverse

from members.models import Membership, PersonalDataAccess
from members.tests.helpers import grassroots_union, id_number


def enrol_form(union, **overrides):
    data = {
        "union": union.pk,
        "name": "卓玛",
        "id_number": id_number(serial=5, sex_digit=2),
        "sex": "F",
        "ethnicity": "04",
        "phone": "139 0891 2345",
        "rural_household": "on",
        "migrant_worker": "on",
        "employer_code": "",
        "joined_on": "2026-06-01",
        "card_number": "",
    }
    data.update(overrides)
    return data


def test_the_list_shows_masked_numbers_only(client, chengguan_staff, chengguan_member):
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:list")).content.decode()
    assert chengguan_member.id_masked in page
    assert chengguan_member.id_number not in page
    assert "13812345678" not in page


def test_another_prefecture_sees_no_member_and_gets_404s(client, shigatse_staff, chengguan_member):
    client.force_login(shigatse_staff)
    assert "次仁" not in client.get(reverse("members:list")).content.decode()
    assert client.get(reverse("members:detail", args=[chengguan_member.pk])).status_code == 404
    response = client.post(reverse("members:search"), {"id_number": chengguan_member.id_number})
    assert "次仁" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [("migrant=yes", True), ("migrant=no", False), ("county=540102", True), ("county=540103", False),
     ("county=540202", True), ("union=540102.G001", True), ("township=540102002", False),
     ("status=withdrawn", False), ("status=all", True),
     ("q=次", True), ("q=卓玛", False), ("enterprise=99999999", False), ("status=junk&migrant=yes", True)],
)  # fmt: skip
def test_the_list_filters(client, lhasa_staff, chengguan_member, query, found):
    client.force_login(lhasa_staff)
    response = client.get(reverse("members:list") + "?" + query)
    assert response.status_code == 200
    assert ("次仁" in response.content.decode()) is found


def test_an_exact_id_search_is_posted_and_answered_without_the_number_in_any_url(
    client, chengguan_staff, chengguan_member
):
    client.force_login(chengguan_staff)
    typed = chengguan_member.id_number.lower()
    response = client.post(reverse("members:search"), {"id_number": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("members:detail", args=[chengguan_member.pk]) in page
    assert chengguan_member.id_number not in page
    assert "no-store" in response["Cache-Control"]
    assert client.get(reverse("members:search") + "?id_number=" + typed).status_code == 405


def test_a_malformed_id_in_the_search_gets_a_clear_error(client, chengguan_staff):
    client.force_login(chengguan_staff)
    response = client.post(reverse("members:search"), {"id_number": "540102199902300010"})
    assert "出生日期" in response.content.decode()


def test_staff_enrol_a_member_from_the_form(client, chengguan_staff, chengguan_union):
    client.force_login(chengguan_staff)
    response = client.post(reverse("members:create"), enrol_form(chengguan_union))
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[membership.person_id])
    assert membership.person.phone == "13908912345"


def test_a_second_enrolment_is_refused_naming_the_union(client, chengguan_staff, chengguan_member):
    other = grassroots_union("540102", "540102.G002", "城关区某物流公司工会")
    client.force_login(chengguan_staff)
    response = client.post(reverse("members:create"), enrol_form(other, id_number=chengguan_member.id_number))
    assert response.status_code == 200
    assert "拉萨某酒店工会" in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_bad_id_number_is_a_field_error_and_nothing_is_saved(client, chengguan_staff, chengguan_union):
    client.force_login(chengguan_staff)
    bad = id_number(serial=5)[:17] + "0" if not id_number(serial=5).endswith("0") else id_number(serial=5)[:17] + "1"
    response = client.post(reverse("members:create"), enrol_form(chengguan_union, id_number=bad))
    assert "校验码" in response.content.decode()
    assert not Membership.objects.exists()


def test_another_units_union_cannot_be_chosen(client, shigatse_staff, chengguan_union):
    client.force_login(shigatse_staff)
    response = client.post(reverse("members:create"), enrol_form(chengguan_union))
    assert response.status_code == 200
    assert not Membership.objects.exists()


def test_the_member_page_shows_history_and_reveals_for_a_logged_reason(client, chengguan_staff, chengguan_member):
    client.force_login(chengguan_staff)
    page = client.get(reverse("members:detail", args=[chengguan_member.pk])).content.decode()
    assert chengguan_member.id_masked in page
    assert chengguan_member.id_number not in page
    assert "入会" in page
    url = reverse("members:reveal", args=[chengguan_member.pk])
    refused = client.post(url, {"reason": ""}, headers={"HX-Request": "true"})
    assert chengguan_member.id_number not in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()
    shown = client.post(url, {"reason": "核对会员证信息"}, headers={"HX-Request": "true"})
    assert chengguan_member.id_number in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert PersonalDataAccess.objects.get().reason == "核对会员证信息"


def test_a_viewer_sees_the_member_but_no_reveal_button(client, lhasa_viewer, chengguan_member):
    client.force_login(lhasa_viewer)
    page = client.get(reverse("members:detail", args=[chengguan_member.pk])).content.decode()
    assert chengguan_member.id_masked in page
    assert reverse("members:reveal", args=[chengguan_member.pk]) not in page


def test_editing_a_person_keeps_the_numbers_unless_typed_and_refuses_a_stale_form(
    client, chengguan_staff, chengguan_member
):
    client.force_login(chengguan_staff)
    url = reverse("members:edit", args=[chengguan_member.pk])
    form = client.get(url).content.decode()
    assert chengguan_member.id_number not in form
    data = {"name": "次仁多吉", "sex": "M", "ethnicity": "04", "rural_household": "on", "migrant_worker": "on"}
    data["version"] = chengguan_member.version
    assert client.post(url, data).status_code == 302
    chengguan_member.refresh_from_db()
    assert chengguan_member.name == "次仁多吉"
    assert chengguan_member.id_number == id_number()
    stale = client.post(url, {**data, "name": "别的名字"})
    assert "其他人已修改" in stale.content.decode()


def test_ending_a_membership_from_its_page(client, chengguan_staff, chengguan_membership):
    client.force_login(chengguan_staff)
    url = reverse("members:membership_status", args=[chengguan_membership.pk])
    data = {"version": chengguan_membership.version, "status": "withdrawn", "ended_on": "", "reason": ""}
    assert "请填写会籍终止日期" in client.post(url, data).content.decode()
    data.update(ended_on="2026-09-01", reason="本人申请退会")
    assert client.post(url, data).status_code == 302
    chengguan_membership.refresh_from_db()
    assert chengguan_membership.status == "withdrawn"


def test_the_enterprise_page_shows_its_migrant_membership_rate(client, lhasa_staff, chengguan_membership):
    enterprise = chengguan_membership.employer
    enterprise.migrant_workers = 4
    enterprise.save(update_fields=["migrant_workers"])
    client.force_login(lhasa_staff)
    page = client.get(reverse("members:enterprise", args=[enterprise.pk])).content.decode()
    assert "25.0%" in page


def test_the_union_page_counts_its_members(client, chengguan_staff, chengguan_membership):
    client.force_login(chengguan_staff)
    response = client.get(reverse("members:union", args=[chengguan_membership.union.code]))
    counts = response.context["counts"]
    assert (counts["members"], counts["migrant_members"]) == (1, 1)


def test_the_unfiltered_list_takes_its_count_from_the_tallies(client, lhasa_staff, chengguan_member):
    client.force_login(lhasa_staff)
    page = client.get(reverse("members:list")).context["page"]
    assert page.paginator.count == 1
    narrowed = client.get(reverse("members:list") + "?migrant=no").context["page"]
    assert narrowed.paginator.count == 0


def test_a_grassroots_unions_page_lists_the_enterprises_it_covers(client, chengguan_staff, chengguan_membership):
    import datetime

    from enterprises.services import coverage_start

    union, enterprise = chengguan_membership.union, chengguan_membership.employer
    coverage_start(user=chengguan_staff, enterprise=enterprise, union=union, valid_from=datetime.date(2025, 1, 1))
    client.force_login(chengguan_staff)
    response = client.get(reverse("members:union", args=[union.code]))
    assert response.context["covered_count"] == 1
    assert enterprise.name in response.content.decode()
