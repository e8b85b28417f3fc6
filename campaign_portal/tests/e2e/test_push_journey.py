"""The 2019 push phase in a real browser: 拉萨 designates a key enterprise, meets its operator, sends the
意见函, records the union's founding and sees the enterprise counted as unionised on the dashboard."""

import pytest
from playwright.sync_api import expect

from campaign_portal.tests.e2e.test_journeys import log_in
from conftest import make_enterprise, make_persona

pytestmark = pytest.mark.e2e


def test_lhasa_designates_a_key_enterprise_meets_it_sends_the_letter_and_sees_it_unionised(page, tmp_path):
    from members.tests.helpers import grassroots_union

    make_persona("lhasa_staff")
    campaign = _make_campaign()
    enterprise = make_enterprise("540102", name="拉萨雪域物流有限公司", headcount=320, industry="G")
    union = grassroots_union("540102002", "540102002901", "拉萨雪域物流有限公司工会")

    log_in(page, "lasa_staff")
    page.get_by_role("link", name="重点企业", exact=True).click()
    expect(page.get_by_test_id("push-designated")).to_contain_text("0")
    page.get_by_test_id("designate-link").click()
    row = page.get_by_test_id("suggestions").locator("tr", has_text=enterprise.name)
    expect(row).to_contain_text("规模较大")
    row.get_by_test_id("designate").click()
    page.get_by_label("责任人").fill("次仁")
    page.get_by_test_id("designate-submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(enterprise.name)

    # A meeting with the operator, with its minutes.
    minutes = tmp_path / "座谈纪要.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the meeting")
    form = page.get_by_test_id("measure-form")
    form.get_by_label("措施").select_option(label="约谈企业经营者")
    form.get_by_label("操作人").fill("拉萨市总工会 次仁")
    form.get_by_label("备注").fill("与经营者座谈，同意成立筹备组")
    form.get_by_label("附件").set_input_files(minutes)
    form.get_by_role("button", name="登记措施").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("与经营者座谈，同意成立筹备组")
    expect(page.get_by_test_id("timeline")).to_contain_text("座谈纪要.pdf")

    _issue_and_open_the_letter(page, tmp_path)

    # The union is founded: the case closes through the union that now covers the enterprise.
    page.get_by_test_id("found-link").click()
    page.get_by_label("所建工会").select_option(label=union.name)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="登记建会").click()
    expect(page.locator(".alert-success")).to_contain_text("已建立工会")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已建会")

    page.get_by_role("link", name="统计看板", exact=True).click()
    line = page.get_by_test_id("line-540100")
    expect(line.locator('a[data-figure="union_only"]')).to_have_text("1")
    expect(page.get_by_test_id("push-unionised")).to_contain_text("1")
    assert campaign.cases.get().status == "unionised"
    assert page.console_errors == []


def _make_campaign():
    from datetime import date

    from conftest import make_campaign

    return make_campaign(
        "测试专项行动",
        date.today().year,
        ("排查摸底", "survey", date(date.today().year, 1, 1), date(date.today().year, 12, 31), date.today()),
        units=("540100", "540200"),
    )


def _issue_and_open_the_letter(page, tmp_path):
    """Issue a 意见函 and open the .docx it gives: an A4 page with GB/T 9704's margins."""
    from docx import Document
    from docx.shared import Mm

    letters = page.get_by_test_id("letters")
    letters.get_by_label("发函").select_option(label="工会组建意见函")
    page.once("dialog", lambda dialog: dialog.accept())
    letters.get_by_role("button", name="发出").click()
    expect(page.locator(".alert-success")).to_contain_text("拉工函")
    expect(page.get_by_test_id("timeline")).to_contain_text("一函两书")
    with page.expect_download() as download:
        page.get_by_test_id("letter").first.get_by_role("link", name="下载").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("工会组建意见函-拉工函")
    assert path.suffix == ".docx"
    section = Document(path).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert abs(section.top_margin - Mm(37)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5)
