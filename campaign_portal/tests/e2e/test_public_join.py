"""An applicant on a 360-pixel phone: switches to Tibetan and back, applies to join, looks the application up."""

import pytest
from playwright.sync_api import expect

from members.tests.captcha import answer_to
from members.tests.helpers import id_number

pytestmark = pytest.mark.e2e

PHONE = "13912345678"


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} pixels wide"


def solve_captcha(page):
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("请计算图中的算式").fill(answer_to(key))


def test_an_applicant_on_a_phone_applies_in_chinese_after_trying_tibetan_and_finds_the_application(page):
    from conftest import make_enterprise

    make_enterprise("540102", name="拉萨雪域茶馆有限公司")
    number = id_number(serial=41, sex_digit=2)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/accounts/login/")
    page.get_by_test_id("join-link").click()
    expect(page.get_by_role("heading", name="申请加入工会")).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="བོད་ཡིག").click()
    expect(page.locator("html")).to_have_attribute("lang", "bo")
    expect(page.get_by_role("heading", name="ལས་མི་མཐུན་ཚོགས་སུ་ཞུགས་པའི་རེ་ཞུ།")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_label("姓名").fill("卓玛")
    page.get_by_label("公民身份号码").fill(number)
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("农牧区户籍", exact=True).check()
    page.get_by_label("户籍所在地").fill("日喀则市南木林县艾玛乡")
    page.get_by_label("按名称查找工作单位").fill("雪域茶馆")
    expect(page.get_by_test_id("employer-hits")).to_contain_text("拉萨雪域茶馆有限公司 · 城关区")
    page.get_by_label("我的工作单位没有工会，或不在列表中").check()
    page.get_by_label("工作单位名称").fill("八廓街某茶馆")
    page.get_by_label("工作单位所在县（区）").select_option("540102")
    township = page.get_by_label("工作单位所在乡镇（街道）工会")
    expect(township.locator("option", has_text="八廓街道工会联合会")).to_have_count(1)
    township.select_option(label="八廓街道工会联合会")
    page.get_by_label("我已阅读上述说明，同意处理我的敏感个人信息。").check()
    solve_captcha(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_role("heading", name="您的申请已提交")).to_be_visible()
    application_number = page.get_by_test_id("application-number").inner_text().strip()
    assert application_number.startswith("RH")
    assert application_number not in page.url
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="查询申请").first.click()
    page.get_by_label("申请编号").fill(application_number)
    page.get_by_label("身份证号码后四位").fill(number[-4:])
    page.get_by_label("申请时填写的手机号码").fill(PHONE)
    solve_captcha(page)
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    expect(page.get_by_test_id("application-status")).to_contain_text("八廓街道工会联合会")
    assert_no_horizontal_scroll(page)
    assert [error for error in page.console_errors if "404" not in error] == []
