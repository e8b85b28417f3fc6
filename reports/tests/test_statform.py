import datetime
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from campaigns.models import SHANGHAI
from campaigns.services import submission_approve, submission_for, submission_submit
from conftest import make_enterprise
from reports import dashboards, statform
from unions.models import Division

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.com","点我")'


@pytest.fixture
def registry(db):
    make_enterprise("540102", headcount=150, party_org="own", union_status="own")
    make_enterprise("540102", headcount=120, party_org="own")
    make_enterprise("540122", headcount=300, union_status="joint")
    make_enterprise("540202", headcount=500, party_org="joint", union_status="area")
    make_enterprise("542521", headcount=100)


def build(user, **options):
    return dashboards.build(user, area=dashboards.area_of(user), threshold=100, **options)


def summary(user, dashboard=None):
    """The workbook as the user would download it, opened again."""
    dashboard = dashboard or build(user)
    file = io.BytesIO()
    statform.write_summary(
        file,
        dashboard,
        hard_cases=dashboards.hard_cases(user, dashboard.area, dashboard.threshold),
        key_enterprises=dashboards.key_ununionised(user, dashboard.area, dashboard.threshold),
    )
    file.seek(0)
    return load_workbook(file), dashboard


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


def numbers_row(sheet):
    """The 栏次 row: the one that starts with 甲."""
    return next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == gettext("Col. A"))


def form_rows(sheet):
    """The table's lines, 合计 first: every row below the 栏次 row that has a figure in column 1."""
    rows = []
    for row in range(numbers_row(sheet) + 1, sheet.max_row + 1):
        if not isinstance(sheet.cell(row, 3).value, int):
            break
        rows.append(row)
    return rows


def width(sheet):
    return len([value for value in values(sheet, numbers_row(sheet)) if value is not None])


def all_text(sheet):
    return [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def find_row(sheet, text):
    return next(row for row in range(1, sheet.max_row + 1) if text in values(sheet, row))


def column_of(sheet, header):
    return next(cell.column for row in sheet.iter_rows(max_row=5) for cell in row if cell.value == header)


def test_the_title_is_merged_across_the_table(reviewer, registry):
    book, dashboard = summary(reviewer)
    form = book.worksheets[0]
    assert form["A1"].value == statform.title(dashboard)
    assert "西藏自治区" in form["A1"].value
    assert str(dashboard.as_of.year) in form["A1"].value
    assert f"A1:{get_column_letter(width(form))}1" in {str(area) for area in form.merged_cells.ranges}


def test_the_form_names_its_number_issuer_and_reporting_unit(reviewer, registry):
    form = summary(reviewer)[0].worksheets[0]
    text = all_text(form)
    assert gettext("Form number: %(number)s") % {"number": statform.FORM_NUMBER} in text
    assert gettext("Reporting unit: %(unit)s") % {"unit": "西藏自治区总工会"} in text


def test_a_place_without_a_federation_reports_under_its_own_name(reviewer):
    area = Division.objects.get(code="540102")
    assert statform.reporting_unit(area) == "城关区总工会"
    for org in area.unions.order_by("-depth"):  # the township unions below the county's federation first
        org.delete()
    assert statform.reporting_unit(area) == gettext("%(area)s Federation of Trade Unions") % {"area": "城关区"}


def test_the_column_numbers_read_jia_yi_then_one_two_three(reviewer, registry):
    form = summary(reviewer)[0].worksheets[0]
    row = numbers_row(form)
    assert values(form, row)[: width(form)] == [gettext("Col. A"), gettext("Col. B"), *range(1, 10)]
    header = " ".join(str(value) for r in range(5, row) for value in values(form, r) if value)
    assert "党工组织均建立" in header
    assert "两者均未建立" in header
    assert "建会率" in header
    assert "党组织覆盖率" in header


def test_the_total_row_comes_first_and_equals_the_dashboard(reviewer, registry):
    book, dashboard = summary(reviewer)
    form = book.worksheets[0]
    total = values(form, form_rows(form)[0])
    figures = dashboard.total.figures
    assert total[0] == gettext("Total")
    assert total[1] == "540000"
    assert total[2:7] == [figures[name] for name in ("total", "both", "party_only", "union_only", "neither")]
    assert total[2:9] == [5, 2, 1, 1, 1, 3, 60.0]
    assert total[9:11] == [3, 60.0]
    assert form.cell(form_rows(form)[0], 9).number_format == "0.0"


def test_prefectures_come_in_code_order_each_followed_by_its_counties(reviewer, registry):
    book, dashboard = summary(reviewer)
    form = book.worksheets[0]
    rows = form_rows(form)[1:]
    codes = [form.cell(row, 2).value for row in rows]
    assert codes == [line.code for _level, line in dashboard.total.walk()][1:]
    prefectures = [code for code in codes if code.endswith("00")]
    assert prefectures == sorted(prefectures)
    assert len(prefectures) == 7
    assert codes[0] == "540100"
    for index, code in enumerate(codes):
        if not code.endswith("00"):
            prefecture = next(other for other in reversed(codes[:index]) if other.endswith("00"))
            assert code[:4] == prefecture[:4]
    lhasa, chengguan = rows[codes.index("540100")], rows[codes.index("540102")]
    assert form.cell(lhasa, 1).value == "拉萨市"
    assert form.cell(chengguan, 1).alignment.indent > form.cell(lhasa, 1).alignment.indent


def test_every_row_checks_as_the_notes_say(reviewer, registry):
    form = summary(reviewer)[0].worksheets[0]
    for row in form_rows(form):
        name, _code, total, both, party_only, union_only, neither, unions, union_rate, parties, party_rate = values(
            form, row
        )[:11]
        assert total == both + party_only + union_only + neither, name
        assert unions == both + union_only, name
        assert parties == both + party_only, name
        assert union_rate == (round(unions * 100 / total, 1) if total else None), name
        assert party_rate == (round(parties * 100 / total, 1) if total else None), name
    check = gettext("Check: 1 = 2 + 3 + 4 + 5; 6 = 2 + 4; 7 = 6 ÷ 1 × 100; 8 = 2 + 3; 9 = 8 ÷ 1 × 100.")
    assert any(check in text for text in all_text(form))


def test_the_footer_is_there_with_the_date_reported(reviewer, registry):
    book, dashboard = summary(reviewer)
    form = book.worksheets[0]
    footer = next(text for text in all_text(form) if gettext("Head of unit:") in text)
    for label in (gettext("Head of statistics:"), gettext("Filled in by:"), gettext("Contact phone:")):
        assert label in footer
    reported = gettext("Date reported: %(date)s") % {"date": date_format(dashboard.as_of, "DATE_FORMAT")}
    assert footer.endswith(reported)
    assert find_row(form, footer) > form_rows(form)[-1]


def test_the_live_source_says_it_counts_by_location(reviewer, registry):
    form = summary(reviewer)[0].worksheets[0]
    text = " ".join(all_text(form))
    assert gettext("Source: the enterprise registry, live, as of %(date)s.").split("%")[0] in text
    assert "按企业所在地统计" in text


def test_the_further_sheets_list_hard_cases_and_key_enterprises(reviewer):
    make_enterprise(
        "540102",
        name="跨地经营集团西藏分公司",
        headcount=400,
        beyond_local_reach=True,
        operates_across_prefectures=True,
        long_without_union=True,
    )
    make_enterprise("540122", name="当雄制造厂", headcount=350, industry="C")
    make_enterprise("540122", name="已建会大企业", headcount=900, union_status="own")
    book, _dashboard = summary(reviewer)
    assert book.sheetnames == [
        gettext("Statistical form"),
        "总部型难点企业",
        gettext("Key enterprises without a union"),
        gettext("Timeliness of reports"),
    ]
    hard = book["总部型难点企业"]
    row = values(hard, find_row(hard, "跨地经营集团西藏分公司"))
    assert row[0] == 1
    assert row[3:7] == ["城关区", "拉萨市总工会", 400, "未建党组织"]
    assert row[7:9] == ["√", "√"]
    assert "当雄制造厂" not in all_text(hard)

    keys = book[gettext("Key enterprises without a union")]
    names = [keys.cell(row, 3).value for row in range(5, keys.max_row + 1) if isinstance(keys.cell(row, 1).value, int)]
    assert names == ["跨地经营集团西藏分公司", "当雄制造厂"]
    dangxiong = find_row(keys, "当雄制造厂")
    assert keys.cell(dangxiong, column_of(keys, gettext("Manufacturing"))).value == "√"
    large = gettext("Large (%(count)s or more staff)") % {"count": 300}
    assert keys.cell(dangxiong, column_of(keys, large)).value == "√"
    assert keys.cell(dangxiong, column_of(keys, gettext("Well known"))).value is None


def test_an_empty_list_says_none(reviewer, registry):
    hard = summary(reviewer)[0]["总部型难点企业"]
    assert "无" in all_text(hard)


def test_the_timeliness_sheet_counts_each_deadline_and_unit(reviewer, lhasa_submission):
    book, dashboard = summary(reviewer)
    sheet = book[gettext("Timeliness of reports")]
    survey = next(stage for stage in dashboard.stages if stage.deadline.stage.report_kind == "survey")
    row = values(sheet, find_row(sheet, survey.deadline.title))
    assert sheet.cell(find_row(sheet, survey.deadline.title), 2).number_format == 'yyyy"年"m"月"d"日"'
    header = values(sheet, 3)
    assert header[4:8] == ["按时报送", "经批准延期报送", "逾期补报", "未报"]
    # expected, handed in, on time, approved extension, late, missing, not yet due, approved
    assert row[2:10] == [3, 1, 1, 0, 0, 2, 0, 0]
    lhasa = values(sheet, find_row(sheet, "拉萨市总工会"))
    assert lhasa[1:7] == [2, 1, 0, 0, 1, 50.0]


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header(reviewer, registry):
    book, _dashboard = summary(reviewer)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)  # 9: A4
        assert int(sheet.page_setup.fitToWidth) == 1
        assert int(sheet.page_setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
    form = book.worksheets[0]
    assert form.print_title_rows == f"$5:${numbers_row(form)}"
    header = form.cell(5, 3)
    assert header.font.bold
    assert header.alignment.horizontal == "center"
    assert header.alignment.wrap_text
    assert form.cell(form_rows(form)[0], 3).border.left.style == "thin"


@pytest.mark.parametrize("text", [HYPERLINK, "@SUM(A1)", "#N/A"])
def test_formula_like_registry_text_stays_text(reviewer, text):
    make_enterprise("540102", name=text, headcount=500, beyond_local_reach=True)
    book, _dashboard = summary(reviewer)
    for sheet in (book["总部型难点企业"], book[gettext("Key enterprises without a union")]):
        cell = sheet.cell(find_row(sheet, text), 3)
        assert cell.data_type == "s"
        assert cell.value == text


def test_a_prefectures_summary_lists_only_its_counties(lhasa_staff, registry):
    make_enterprise("540202", name="日喀则难点企业", headcount=200, beyond_local_reach=True)
    book, _dashboard = summary(lhasa_staff)
    form = book.worksheets[0]
    rows = form_rows(form)
    assert values(form, rows[0])[:3] == [gettext("Total"), "540100", 3]
    codes = [form.cell(row, 2).value for row in rows[1:]]
    assert codes
    assert all(code.startswith("5401") and not code.endswith("00") for code in codes)
    assert "拉萨市" in form["A1"].value
    assert gettext("Reporting unit: %(unit)s") % {"unit": "拉萨市总工会"} in all_text(form)
    assert "日喀则难点企业" not in all_text(book["总部型难点企业"])


@pytest.fixture
def approved_lhasa(reviewer, lhasa_staff, survey_deadline):
    """拉萨's survey report with two enterprises of 城关区 (one with a union), submitted on time and approved."""
    make_enterprise("540102", headcount=150, union_status="own")
    make_enterprise("540102", headcount=150)
    submission = submission_for(survey_deadline, lhasa_staff.organisation)
    submitted = submission_submit(submission, user=lhasa_staff, now=datetime.datetime(2019, 8, 1, tzinfo=SHANGHAI))
    return submission_approve(submitted, user=reviewer, version=submitted.version)


def test_a_campaigns_form_has_a_line_per_reporting_unit(reviewer, approved_lhasa):
    campaign = approved_lhasa.deadline.stage.campaign
    make_enterprise("540102", headcount=150, union_status="own")  # after the report: not in its figures

    book, _dashboard = summary(reviewer, build(reviewer, source=campaign, compare=False))
    form = book.worksheets[0]
    assert "2019" in form["A1"].value
    assert [values(form, row)[:9] for row in form_rows(form)] == [
        [gettext("Total"), "540000", 2, 0, 0, 1, 1, 1, 50.0],
        ["拉萨市总工会", "540100", 2, 0, 0, 1, 1, 1, 50.0],
    ]
    source = gettext("Source: the survey figures of %(campaign)s as the organisation department approved them.")
    assert any(source % {"campaign": campaign} in text for text in all_text(form))


def test_the_live_form_compares_with_the_last_approved_campaign(reviewer, approved_lhasa):
    make_enterprise("540102", headcount=150, union_status="own")
    form = summary(reviewer)[0].worksheets[0]
    assert values(form, numbers_row(form))[:13] == [gettext("Col. A"), gettext("Col. B"), *range(1, 12)]
    lhasa = values(form, find_row(form, "拉萨市"))
    assert lhasa[8] == 66.7
    assert lhasa[11:13] == [50.0, 16.7]
    chengguan = values(form, find_row(form, "城关区"))
    assert chengguan[11:13] == [None, None]


def download_name(response):
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[1])


def test_the_download_is_an_xlsx_named_as_the_form(login, reviewer, registry):
    response = login(reviewer).get(reverse("reports:dashboard_summary"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert download_name(response) == f"{book.worksheets[0]['A1'].value}.xlsx"


def test_prefecture_staff_download_their_own_area_only(login, lhasa_staff, registry):
    client = login(lhasa_staff)
    response = client.get(reverse("reports:dashboard_summary"), {"area": "540100"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "拉萨市" in book.worksheets[0]["A1"].value
    assert client.get(reverse("reports:dashboard_summary"), {"area": "540200"}).status_code == 404


def test_the_hard_case_sheet_carries_the_reason_the_unit_gave_in_its_survey(login, lhasa_staff, survey_deadline):
    from campaigns.services import submission_save

    hard = make_enterprise("540102", name="区外总部分公司", headcount=400, beyond_local_reach=True)
    silent = make_enterprise("540202", name="未说明原因的分公司", headcount=400, beyond_local_reach=True)
    submission_save(
        submission_for(survey_deadline, lhasa_staff.organisation),
        user=lhasa_staff,
        hard_case_reasons={hard.pk: "总部在北京"},
    )
    response = login(lhasa_staff).get(reverse("reports:dashboard_summary"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[1]
    reason_column = column_of(sheet, gettext("Reason given by the unit"))
    assert sheet.cell(find_row(sheet, hard.name), reason_column).value == "总部在北京"
    assert silent.name not in all_text(sheet)  # another prefecture's, outside Lhasa's summary


def test_a_reason_comes_only_from_reports_the_person_may_see(reviewer, lhasa_staff, shigatse_staff, survey_deadline):
    from campaigns.services import submission_save

    hard = make_enterprise("540202", name="日喀则难点企业", headcount=400, beyond_local_reach=True)
    submission = submission_for(survey_deadline, shigatse_staff.organisation)
    submission_save(submission, user=shigatse_staff, hard_case_reasons={hard.pk: "总部在上海", "x": "junk"})
    campaign = survey_deadline.stage.campaign
    assert dashboards.hard_case_reasons(reviewer, campaign) == {hard.pk: "总部在上海"}
    assert dashboards.hard_case_reasons(lhasa_staff, campaign) == {}


def test_the_key_enterprise_sheet_reads_large_as_the_campaign_says(login, reviewer, survey_campaign):
    from openpyxl import load_workbook

    from campaigns.services.push import campaign_set_key_headcount
    from conftest import make_enterprise

    make_enterprise("540102", name="二百人企业", headcount=200, industry="G")
    client = login(reviewer)
    url = reverse("reports:dashboard_summary")
    assert "二百人企业" not in _sheet_text(load_workbook(io.BytesIO(client.get(url).getvalue())), "重点")
    campaign_set_key_headcount(survey_campaign, user=reviewer, headcount=150)
    text = _sheet_text(load_workbook(io.BytesIO(client.get(url).getvalue())), "重点")
    assert "二百人企业" in text
    assert "150" in text


def _sheet_text(book, title_part):
    sheet = next(sheet for sheet in book.worksheets if title_part in sheet.title)
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
