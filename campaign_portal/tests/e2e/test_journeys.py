import pytest
from playwright.sync_api import expect

from conftest import PERSONA_PASSWORD, make_persona

pytestmark = pytest.mark.e2e


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_lhasa_staff_log_in_see_their_unit_and_get_a_404_on_a_shigatse_page(page):
    make_persona("lhasa_staff")

    log_in(page, "lasa_staff")
    expect(page.locator("h1")).to_have_text("拉萨市总工会")
    expect(page.get_by_test_id("role")).to_have_text("单位填报员")
    expect(page.get_by_test_id("sub-units")).to_contain_text("城关区总工会")

    page.get_by_role("link", name="工会组织目录").click()
    expect(page.get_by_test_id("directory-tree")).to_contain_text("当雄县总工会")
    expect(page.get_by_test_id("directory-tree")).not_to_contain_text("日喀则市总工会")

    response = page.goto("/unions/540200/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    # Every script and style loaded under the Content-Security-Policy: nothing was blocked or missing.
    assert [error for error in page.console_errors if "404" not in error] == []

    page.locator(".dropdown-toggle").click()  # Bootstrap's menu works under the policy
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_directory_search_narrows_the_list_as_staff_type(page):
    make_persona("lhasa_staff")

    log_in(page, "lasa_staff")
    page.goto("/unions/")
    page.get_by_placeholder("按名称或代码搜索").fill("当雄")
    expect(page.get_by_test_id("directory-matches")).to_contain_text("当雄县总工会")
    expect(page.get_by_test_id("directory-matches")).not_to_contain_text("城关区总工会")
    assert "q=" in page.url


def test_lhasa_staff_import_a_file_fix_its_bad_row_and_shigatse_does_not_see_the_rows(page, tmp_path):
    from enterprises.tests.test_import import row, xlsx

    make_persona("lhasa_staff")
    make_persona("shigatse_staff")
    good = [row(1, 企业名称="雪域导入甲有限公司"), row(2, 企业名称="雪域导入乙有限公司")]
    bad_file = tmp_path / "企业名录.xlsx"
    bad_file.write_bytes(xlsx([*good[:1], row(2, 企业名称="雪域导入乙有限公司", 职工人数="一百")]).read())
    fixed_file = tmp_path / "企业名录（已改正）.xlsx"
    fixed_file.write_bytes(xlsx(good).read())

    log_in(page, "lasa_staff")
    page.get_by_role("link", name="企业名录", exact=True).first.click()
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_label("Excel 文件").set_input_files(str(bad_file))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("职工人数")
    expect(errors).to_contain_text("请填写整数")
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("3")
    expect(page.get_by_text("什么都没有保存")).to_be_visible()

    page.get_by_role("link", name="上传修改后的文件").click()
    page.get_by_label("Excel 文件").set_input_files(str(fixed_file))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("alert").first).to_contain_text("新增 2 家企业")
    page.get_by_label("名称或代码").fill("雪域导入")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("雪域导入甲有限公司")
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("雪域导入乙有限公司")

    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()
    log_in(page, "rikaze_staff")
    page.goto("/enterprises/?q=雪域导入")
    expect(page.get_by_test_id("enterprise-count")).to_contain_text("共 0 家企业")
    expect(page.get_by_test_id("enterprise-table")).not_to_contain_text("雪域导入")


def test_lhasa_submits_the_survey_it_is_returned_corrected_resubmitted_and_approved_on_time(page):
    import datetime

    from django.utils import timezone

    from conftest import make_campaign, make_enterprise

    make_persona("lhasa_staff")
    make_persona("reviewer")
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    campaign = make_campaign(
        "浏览器测试专项行动", today.year, ("排查摸底", "survey", today - 10 * day, today + 20 * day, today + 10 * day)
    )
    hard_case = make_enterprise("540102", name="区外总部建材集团", headcount=800, beyond_local_reach=True)
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")

    log_in(page, "lasa_staff")
    page.get_by_role("link", name="专项行动", exact=True).click()
    page.get_by_test_id("tasks").get_by_role("link", name="打开").first.click()
    expect(page.get_by_test_id("figure-total")).to_have_text("2")
    page.get_by_role("link", name="报送", exact=True).click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_role("alert").first).to_contain_text(hard_case.name)  # a hard case needs its reason
    page.get_by_label("原因").fill("总部在区外，需区总工会协调")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("link", name="报送", exact=True).click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("已报送")
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, "zzb_reviewer")
    page.get_by_role("link", name="专项行动", exact=True).click()
    page.get_by_test_id("waiting").get_by_role("link", name="审核").click()
    page.get_by_role("link", name="退回修改").click()
    page.get_by_label("需要修改的内容").fill("请核对城关区的党组织数据")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("请核对城关区的党组织数据")
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, "lasa_staff")
    page.goto(f"/campaigns/deadlines/{campaign.stages.get().deadlines.get().pk}/540100/")
    expect(page.get_by_test_id("status-line")).to_contain_text("已退回修改")
    page.get_by_role("link", name="重新报送").click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("已报送")
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, "zzb_reviewer")
    page.goto(f"/campaigns/deadlines/{campaign.stages.get().deadlines.get().pk}/540100/")
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="审核通过").click()
    page.goto(f"/campaigns/{campaign.pk}/")
    cell = page.get_by_test_id(f"cell-540100-{campaign.stages.get().deadlines.get().pk}")
    expect(cell).to_contain_text("已通过")
    expect(cell).to_contain_text("按时")


def test_the_organisation_department_drills_down_to_the_enterprises_and_downloads_the_summary(page, tmp_path):
    from openpyxl import load_workbook

    from conftest import make_enterprise

    make_persona("reviewer")
    party_only = [make_enterprise("540102", headcount=150 + n, party_org="own") for n in range(2)]
    make_enterprise("540102", headcount=300, party_org="own", union_status="own")
    make_enterprise("540122", headcount=120, union_status="joint")
    make_enterprise("540202", headcount=500)

    log_in(page, "zzb_reviewer")
    page.get_by_role("link", name="统计看板", exact=True).click()
    total = page.get_by_test_id("line-540000").locator("a[data-figure]")
    shown = dict(zip(["total", "both", "party_only", "union_only", "neither"], total.all_inner_texts(), strict=True))
    assert shown == {"total": "5", "both": "1", "party_only": "2", "union_only": "1", "neither": "1"}
    # The charts are drawn from the page's own data and can be saved as a picture.
    expect(page.locator("[data-chart][data-drawn=true]")).to_have_count(2)
    picture = page.evaluate(
        "window.echarts.getInstanceByDom(document.querySelector('[data-chart]')).getDataURL({type: 'png'})"
    )
    assert picture.startswith("data:image/png;base64,")

    page.locator('[data-drill="540100"]').click()
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("拉萨市")
    page.locator('[data-drill="540102"]').click()
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("城关区")
    page.get_by_test_id("line-540102").locator('a[data-figure="party_only"]').click()
    for enterprise in party_only:
        expect(page.get_by_role("main")).to_contain_text(enterprise.name)
    expect(page.get_by_role("main")).to_contain_text("共 2 家企业")

    page.get_by_role("link", name="统计看板", exact=True).click()
    with page.expect_download() as download:
        page.get_by_test_id("summary-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = load_workbook(path).worksheets[0]
    total_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).strip() == "合计")
    assert [int(value) for value in total_row[2:7]] == [int(shown[name]) for name in shown]
    assert page.console_errors == []


@pytest.fixture
def clock(monkeypatch):
    """The portal's clock, which the test may move forward (the server runs in this process)."""
    import datetime

    from django.utils import timezone

    real_now = timezone.now
    state = {"offset": datetime.timedelta()}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + state["offset"])
    return state


def log_out(page):
    page.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()


def test_lhasa_asks_for_more_time_in_time_is_granted_and_hands_in_within_the_extension(page, clock):
    import datetime

    from django.utils import timezone

    from conftest import make_campaign

    make_persona("lhasa_staff")
    make_persona("reviewer")
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    campaign = make_campaign(
        "延期测试专项行动", today.year, ("排查摸底", "survey", today - 10 * day, today + 20 * day, today + 2 * day)
    )
    deadline = campaign.stages.get().deadlines.get()
    asked_for = today + 7 * day

    log_in(page, "lasa_staff")
    page.goto(f"/campaigns/deadlines/{deadline.pk}/540100/")
    page.get_by_test_id("actions").get_by_role("link", name="申请延期").click()
    page.get_by_label("申请延至").fill(asked_for.isoformat())
    page.get_by_label("申请延期的原因").fill("牧区大雪封路，部分企业尚未走访")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert").first).to_contain_text("申请已提交组织部")
    expect(page.get_by_test_id("pending-request-card")).to_contain_text("等待组织部处理")
    log_out(page)

    log_in(page, "zzb_reviewer")
    page.get_by_role("link", name="专项行动", exact=True).click()
    page.get_by_test_id("extension-requests").get_by_role("link", name="处理").click()
    page.get_by_label("批准", exact=True).check()
    page.get_by_role("button", name="提交处理意见").click()
    expect(page.get_by_role("alert").first).to_contain_text("现可报送至")
    expect(page.get_by_test_id("timeline")).to_contain_text("延期申请已批准")
    log_out(page)

    clock["offset"] = 4 * day  # the original deadline has passed; the extension runs on
    log_in(page, "lasa_staff")
    page.goto(f"/campaigns/deadlines/{deadline.pk}/540100/")
    expect(page.get_by_test_id("past-due-banner")).to_have_count(0)
    page.get_by_role("link", name="报送", exact=True).click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("经批准延期报送")
    log_out(page)

    log_in(page, "zzb_reviewer")
    page.goto(f"/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id(f"cell-540100-{deadline.pk}")).to_contain_text("经批准延期报送")
    page.goto("/reports/briefing/")
    expect(page.get_by_test_id("submitted")).to_contain_text("经批准延期报送")
    expect(page.locator("body")).to_contain_text("经批准延期报送")


def test_chengguan_staff_import_five_members_fix_a_row_watch_the_job_and_reveal_an_id(page, tmp_path, settings):
    from campaign_portal.jobs import run_queued_tasks
    from campaign_portal.models import Job
    from members.models import PersonalDataAccess
    from members.tests.helpers import grassroots_union, id_number
    from members.tests.test_imports import member, xlsx

    settings.BACKGROUND_IMPORT_ROWS = 2  # five rows are "a big file" here: the confirmation runs as a job
    make_persona("chengguan_staff")
    union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    good = [member(serial) for serial in range(1, 6)]
    broken = [*good[:4], member(5, 公民身份号码=id_number(serial=5)[:17] + "Z")]
    bad_file = tmp_path / "会员名册.xlsx"
    bad_file.write_bytes(xlsx(broken).read())
    fixed_file = tmp_path / "会员名册（已改正）.xlsx"
    fixed_file.write_bytes(xlsx(good).read())

    log_in(page, "chengguan_staff")
    page.get_by_role("link", name="会员", exact=True).first.click()
    page.get_by_role("link", name="从 Excel 导入").click()
    page.get_by_label("会员加入的工会").select_option(union.code)
    page.get_by_label("Excel 文件").set_input_files(str(bad_file))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("公民身份号码")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first.locator("td").first).to_have_text("6")
    expect(errors).not_to_contain_text(id_number(serial=5)[:17])  # never the full number, even a wrong one

    page.get_by_role("link", name="上传修改后的文件").click()
    page.get_by_label("会员加入的工会").select_option(union.code)
    page.get_by_label("Excel 文件").set_input_files(str(fixed_file))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("count-rows")).to_have_text("5")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_test_id("job-status")).to_be_visible()
    assert Job.objects.get(kind="members.import").status == Job.Status.QUEUED
    run_queued_tasks()  # the worker's turn; the page finds out by itself
    expect(page.get_by_test_id("job-outcome")).to_contain_text("拉萨某酒店工会", timeout=20_000)

    page.get_by_role("link", name="会员", exact=True).first.click()
    expect(page.get_by_test_id("member-figures")).to_contain_text("5")
    page.get_by_test_id("member-table").get_by_role("link", name="次仁3").click()
    expect(page.get_by_test_id("masked-id")).to_have_text(id_number(serial=3)[:4] + "*" * 10 + id_number(serial=3)[-4:])
    page.get_by_label("查看完整号码的原因").fill("核对会员证办理信息")
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_test_id("full-id")).to_have_text(id_number(serial=3))
    assert "540102" not in page.url
    access = PersonalDataAccess.objects.get()
    assert (access.person.name, access.reason) == ("次仁3", "核对会员证办理信息")
    assert page.console_errors == []


def test_lhasa_hands_in_a_members_progress_report_the_department_approves_drills_and_downloads_the_form(page, tmp_path):
    import datetime

    from django.utils import timezone
    from openpyxl import load_workbook

    from campaigns.services import campaign_create
    from conftest import make_enterprise
    from members.tests.helpers import enrol_many, grassroots_union
    from unions.models import UnionOrg

    staff = make_persona("lhasa_staff")
    make_persona("reviewer")
    today = timezone.localdate()
    campaign = campaign_create(
        name="浏览器测试农牧民工入会行动",
        year=today.year,
        default_threshold=25,
        measure="members",
        stages=[
            {
                "name": "推进实施",
                "report_kind": "progress",
                "starts_on": today - datetime.timedelta(days=20),
                "ends_on": today + datetime.timedelta(days=60),
                "every_months": 2,
            }
        ],
        participants=UnionOrg.objects.filter(code__in=("540100", "540200")),
    )
    hotel = make_enterprise(
        "540102", name="八廓街某酒店", headcount=40, party_org="own", profitable=True, migrant_workers=10
    )
    union = grassroots_union("540102002", "540102002.G001", "八廓街某酒店工会")
    enrol_many(staff, union, hotel, 6, joined_on=today)

    log_in(page, "lasa_staff")
    page.get_by_role("link", name="专项行动", exact=True).click()
    page.get_by_test_id("tasks").get_by_role("link", name="打开").first.click()
    expect(page.get_by_test_id("figure-migrant_members")).to_have_text("6")
    page.get_by_label("本期进展情况").fill("在八廓街酒店集中办理入会。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("link", name="报送", exact=True).click()
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("已报送")
    expect(page.get_by_test_id("snapshot-migrant_members")).to_have_text("6")
    # A member joining after the report was handed in changes the live figure, not the frozen one.
    enrol_many(staff, union, hotel, 1, first_serial=30, joined_on=today)
    page.reload()
    expect(page.get_by_test_id("snapshot-migrant_members")).to_have_text("6")
    expect(page.get_by_test_id("figure-migrant_members")).to_have_text("7")
    expect(page.get_by_test_id("member-drift")).to_be_visible()
    report = page.url
    log_out(page)

    log_in(page, "zzb_reviewer")
    page.goto(report)
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("已通过")

    page.get_by_role("link", name="农牧民工入会", exact=True).click()  # the latest members campaign: this one
    expect(page.get_by_role("main")).to_contain_text(campaign.name)
    total = page.get_by_test_id("line-total")
    expect(total.locator('[data-figure="migrant_members"]')).to_have_text("7")
    shown = {
        name: total.locator(f'[data-figure="{name}"]').inner_text()
        for name in ("migrant_members", "new_migrant_members", "four_criteria", "eighty_below")
    }
    page.get_by_test_id("drill-540100").click()
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("拉萨市")
    page.get_by_test_id("drill-540102").click()
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("城关区")
    # The registry puts the enterprise in 拉萨's own charge: its row is behind 拉萨's figure.
    page.go_back()
    expect(page.get_by_test_id("breadcrumb")).not_to_contain_text("城关区")
    page.get_by_test_id("line-total").locator('[data-figure="eighty_below"] a').click()
    expect(page.get_by_test_id("eighty-rows")).to_contain_text(hotel.name)
    page.get_by_test_id(f"eighty-members-{hotel.pk}").click()
    expect(page.get_by_test_id("member-count")).to_contain_text("7")

    page.get_by_role("link", name="农牧民工入会", exact=True).click()
    with page.expect_download() as download:
        page.get_by_test_id("members-form-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    total_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).strip() == "合计")
    # 甲 乙, then members, joined this year, … 四要素 enterprises (col. 5) … below 80 per cent (col. 11).
    assert [total_row[2], total_row[3], total_row[6], total_row[12]] == [
        int(shown[name]) for name in ("migrant_members", "new_migrant_members", "four_criteria", "eighty_below")
    ]
    assert page.console_errors == []
