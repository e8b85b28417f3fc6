"""Journeys of the member rolls in a real browser: joining online, and a transfer by certificate."""

import pytest
from playwright.sync_api import expect

from campaign_portal.tests.e2e.test_journeys import log_in, log_out
from conftest import make_persona

pytestmark = pytest.mark.e2e


WRONG_PHONE = "13900000000"
RIGHT_PHONE = "13988887777"


def look_up(page, application_number, id_number, phone):
    from campaign_portal.tests.e2e.test_public_join import solve_captcha

    page.goto("/join/status/")
    page.get_by_label("申请编号").fill(application_number)
    page.get_by_label("身份证号码后四位").fill(id_number[-4:])
    page.get_by_label("申请时填写的手机号码").fill(phone)
    solve_captcha(page)
    page.get_by_role("button", name="查询", exact=True).click()


def test_a_worker_applies_online_is_returned_for_a_wrong_phone_corrects_it_and_reads_the_card_number(page):
    from campaign_portal.tests.e2e.test_public_join import solve_captcha
    from conftest import PERSONA_PASSWORD
    from members.models import Membership
    from members.tests.helpers import id_number
    from unions.models import Role, UnionOrg
    from unions.services import staff_account_create

    staff_account_create(
        username="barkhor_staff",
        organisation=UnionOrg.objects.get(code="540102002"),
        role=Role.STAFF,
        password=PERSONA_PASSWORD,
        full_name="八廓街道工会干事",
    )
    number = id_number(serial=52, sex_digit=2)

    page.goto("/join/")
    page.get_by_label("姓名").fill("德吉")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("手机号码").fill(WRONG_PHONE)
    page.get_by_label("农牧区户籍", exact=True).check()
    page.get_by_label("户籍所在地").fill("拉萨市墨竹工卡县")
    page.get_by_label("我的工作单位没有工会，或不在列表中").check()
    page.get_by_label("工作单位名称").fill("八廓街某甜茶馆")
    page.get_by_label("工作单位所在县（区）").select_option("540102")
    page.get_by_label("工作单位所在乡镇（街道）工会").select_option(label="八廓街道工会联合会")
    page.get_by_label("我已阅读上述说明，同意处理我的敏感个人信息。").check()
    solve_captcha(page)
    page.get_by_role("button", name="提交申请").click()
    application_number = page.get_by_test_id("application-number").inner_text().strip()

    # The township union cannot reach the worker and sends the application back.
    log_in(page, "barkhor_staff")
    page.goto("/members/applications/")
    page.get_by_role("link", name=application_number).click()
    page.get_by_role("link", name="退回修改").click()
    page.get_by_label("理由（申请人可见）").fill("联系电话无法接通，请核对手机号码。")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_test_id("application-status")).to_contain_text("已退回修改")
    log_out(page)

    look_up(page, application_number, number, WRONG_PHONE)
    expect(page.get_by_test_id("status")).to_have_text("已退回修改")
    expect(page.get_by_test_id("steps")).to_contain_text("联系电话无法接通")
    page.get_by_role("link", name="修改申请").click()
    page.get_by_label("手机号码").fill(RIGHT_PHONE)
    solve_captcha(page)
    page.get_by_role("button", name="提交修改").click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")

    log_in(page, "barkhor_staff")
    page.goto("/members/applications/")
    page.get_by_role("link", name=application_number).click()
    expect(page.get_by_test_id("application-steps")).to_contain_text("申请人")
    page.get_by_role("link", name="接收入会").click()
    page.get_by_role("button", name="确认").click()
    card = page.get_by_test_id("card-number").inner_text()
    log_out(page)

    look_up(page, application_number, number, RIGHT_PHONE)
    expect(page.get_by_test_id("status")).to_have_text("已接收入会")
    expect(page.get_by_test_id("card-number")).to_have_text(card)
    membership = Membership.objects.get(card_number=card)
    assert membership.person.phone == RIGHT_PHONE
    assert membership.union.code == "540102002"
    assert page.console_errors == []


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
