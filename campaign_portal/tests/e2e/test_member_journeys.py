"""Journeys of the member rolls in a real browser: joining online, and a transfer by certificate."""

import pytest
from playwright.sync_api import expect

from campaign_portal.tests.e2e.test_journeys import log_in, log_out
from conftest import make_persona

pytestmark = pytest.mark.e2e


def county_members(page):
    """The member count of 城关区 on its staff's member list."""
    page.goto("/members/")
    return page.get_by_test_id("member-figures").locator(".fs-5").first.inner_text()


def test_a_member_moves_by_certificate_between_two_chengguan_unions_and_the_county_count_never_changes(page):
    from members.services import enrol
    from members.tests.helpers import enrol_values, grassroots_union, id_number
    from unions.models import UnionOrg

    clerk = make_persona("chengguan_staff")
    make_persona("lhasa_staff")
    hotel = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    market = grassroots_union("540102002", "540102002.001", "八廓街道商户联合工会")
    for serial in range(1, 4):
        enrol(clerk, union=hotel, **enrol_values(name=f"次仁{serial}", id_number=id_number(serial=serial)))

    log_in(page, "chengguan_staff")
    before = county_members(page)
    assert before == "3"
    page.get_by_role("link", name="次仁2").click()
    page.get_by_test_id("issue-certificate").click()
    page.get_by_label("转入工会").select_option(label="八廓街道商户联合工会")
    page.get_by_label("接转原因").fill("更换工作单位")
    page.get_by_role("button", name="开具凭证").click()
    number = page.locator("h1").inner_text().split()[1]
    code = page.get_by_test_id("verification-code").inner_text()
    with page.expect_download() as download:
        page.get_by_test_id("certificate-document").click()
    assert download.value.suggested_filename == f"{number}.docx"
    # Issued but not received: still counted once, at the old union.
    assert county_members(page) == before
    log_out(page)

    log_in(page, "lasa_staff")
    page.goto("/members/transfers/receive/")
    page.get_by_label("凭证编号").fill(number)
    page.get_by_label("验证码").fill(code)
    page.get_by_label("转入工会").select_option(str(market.pk))
    page.get_by_role("button", name="办理转入").click()
    expect(page.get_by_role("alert").first).to_contain_text("转入")
    log_out(page)

    log_in(page, "chengguan_staff")
    assert county_members(page) == before
    page.goto(f"/members/unions/{market.code}/")
    expect(page.get_by_role("link", name="次仁2")).to_be_visible()
    assert UnionOrg.objects.get(code=hotel.code).memberships.current().count() == 2
    assert page.console_errors == []
