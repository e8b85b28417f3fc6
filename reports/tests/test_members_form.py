"""The official form of a members campaign: the 组织部 downloads the region's 农牧民工入会情况统计表 whose lines are
the dashboard's, with the lists behind the work still to do; a prefecture downloads its own area and no other."""

import datetime
import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl import load_workbook

from campaigns.services import baselines_set
from conftest import make_enterprise
from members.tests.helpers import enrol_many, grassroots_union
from reports.enrolment import COLUMNS, MEMBERS_FORM_NUMBER, build, write_members_form
from unions.models import EightHave, UnionOrg
from unions.services import eight_haves_assess, union_org_upsert

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.com","点我")'
SHEETS = ["统计表", "符合四要素但未建会的企业", "入会率未达80%的企业", "八有未达标的乡镇（街道）工会"]
# The form's columns 1-19 after 甲 and 乙 (sheet columns 3-21), by the figure each holds (rates by None).
FORM_FIGURES = (
    "migrant_members",
    "new_migrant_members",
    "baseline",
    "against_baseline",
    "four_criteria",
    "four_criteria_with_union",
    "four_criteria_without_union",
    None,
    "eighty_employing",
    "eighty_met",
    "eighty_below",
    "eighty_migrant_workers",
    "eighty_migrant_members",
    None,
    "small",
    "small_joint",
    "townships",
    "townships_meeting",
    None,
)


def _assess(township, user, items):
    for item in items:
        eight_haves_assess(
            township, user=user, item=item, met=True, note="已核实", assessed_on=datetime.date(2026, 5, 2), version=0
        )


@pytest.fixture
def rolls(members_campaign, reviewer, lhasa_staff, shigatse_staff):
    """拉萨: an enterprise at exactly 80 per cent, one below it, one with a formula-like name far below it; a
    township meeting 八有 and one missing two items. 日喀则: a builder at 80 per cent. 拉萨 has a 2014 baseline."""
    hotel_union = grassroots_union("540102002", "540102002.G001", "八廓街某酒店工会")
    site = grassroots_union("540202", "540202.G001", "桑珠孜某工地工会", form="project")
    hotel = make_enterprise(
        "540102", headcount=40, party_org="own", profitable=True, migrant_workers=10, name="八廓街某酒店"
    )
    criteria = {"party_org": "own", "profitable": True}
    make_enterprise("540102", headcount=30, **criteria, union_status="own", migrant_workers=2, name="已建会餐馆")
    make_enterprise("540103", headcount=60, party_org="own", profitable=True, migrant_workers=20, name=HYPERLINK)
    make_enterprise("540102", headcount=12, union_status="joint")
    builder = make_enterprise(
        "540202", headcount=300, party_org="own", profitable=True, migrant_workers=5, name="桑珠孜建筑公司"
    )
    enrol_many(lhasa_staff, hotel_union, hotel, 6)
    enrol_many(lhasa_staff, hotel_union, hotel, 2, first_serial=10, joined_on=datetime.date(2024, 1, 1))
    enrol_many(shigatse_staff, site, builder, 4, first_serial=30)
    _assess(UnionOrg.objects.get(code="540102002"), lhasa_staff, EightHave.values)
    partly = EightHave.values[:-2]
    _assess(UnionOrg.objects.get(code="540102003"), lhasa_staff, partly)
    lhasa = UnionOrg.objects.get(code="540100")
    baselines_set(members_campaign, {lhasa.pk: (3, "2014年统计年报", 0)}, user=reviewer)
    return members_campaign


def workbook(campaign, code):
    file = io.BytesIO()
    write_members_form(file, campaign, UnionOrg.objects.get(code=code))
    file.seek(0)
    return load_workbook(file)


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


def all_text(sheet):
    return [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def numbers_row(sheet):
    return next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == gettext("Col. A"))


def form_rows(sheet):
    """The table's lines, 合计 first: every row below the 栏次 row with a figure in column 1."""
    rows = []
    for row in range(numbers_row(sheet) + 1, sheet.max_row + 1):
        if not isinstance(sheet.cell(row, 3).value, int):
            break
        rows.append(row)
    return rows


def figures_of(sheet, row):
    return {name: value for name, value in zip(FORM_FIGURES, values(sheet, row)[2:21], strict=True) if name}


def listed(sheet, column=3):
    """The value in `column` of each numbered row of a list."""
    rows = range(1, sheet.max_row + 1)
    return [sheet.cell(row, column).value for row in rows if isinstance(sheet.cell(row, 1).value, int)]


def test_the_total_row_is_the_dashboards_total_and_each_line_the_dashboards_line(rolls):
    form = workbook(rolls, "540000").worksheets[0]
    dashboard, _figures = build(rolls, UnionOrg.objects.get(code="540000"))
    rows = form_rows(form)

    assert values(form, rows[0])[:2] == [gettext("Total"), "540000"]
    assert figures_of(form, rows[0]) == {name: dashboard.total.figures[name] for name in figures_of(form, rows[0])}
    assert set(COLUMNS) <= set(FORM_FIGURES)
    by_code = {form.cell(row, 2).value: row for row in rows}
    for line in dashboard.lines:
        assert figures_of(form, by_code[line.org.code]) == {
            name: line.figures[name] for name in FORM_FIGURES if name
        }, line.org.code
    lhasa = figures_of(form, by_code["540100"])
    assert (lhasa["migrant_members"], lhasa["baseline"], lhasa["against_baseline"]) == (8, 3, 5)
    assert form.cell(by_code["540200"], 5).value is None  # no baseline: blank, not 0


def test_each_prefecture_is_followed_by_its_counties_indented_and_the_prefectures_are_bold(rolls):
    form = workbook(rolls, "540000").worksheets[0]
    rows = form_rows(form)[1:]
    codes = [form.cell(row, 2).value for row in rows]

    lhasa, chengguan, shigatse = codes.index("540100"), codes.index("540102"), codes.index("540200")
    counties = codes[lhasa + 1 : shigatse]
    assert "540102" in counties
    assert all(code.startswith("5401") and code != "540100" for code in counties)
    prefectures = [code for code in codes if len(code) == 6 and code.endswith("00")]
    assert prefectures == sorted(prefectures)
    assert len(prefectures) == 7
    assert "540000.FGQ" in codes
    assert "540000.ZZB" not in codes  # a department holds no members
    assert form.cell(rows[chengguan], 1).alignment.indent > form.cell(rows[lhasa], 1).alignment.indent
    assert form.cell(rows[lhasa], 3).font.bold
    assert not form.cell(rows[chengguan], 3).font.bold
    assert form.cell(form_rows(form)[0], 1).font.bold


def test_the_column_numbers_read_jia_yi_then_one_to_nineteen(rolls):
    form = workbook(rolls, "540000").worksheets[0]
    row = numbers_row(form)

    assert values(form, row) == [gettext("Col. A"), gettext("Col. B"), *range(1, 20)]
    header = " ".join(str(value) for r in range(5, row) for value in values(form, r) if value)
    for heading in ("农牧民工会员", "2014年基数", "建会率", "入会率", "联合基层工会覆盖", "乡镇（街道）工会"):
        assert heading in header


def test_every_row_checks_as_the_notes_say(rolls):
    form = workbook(rolls, "540000").worksheets[0]
    for row in form_rows(form):
        v = [None, *values(form, row)[2:21]]  # v[n] is column n
        if v[3] is not None:
            assert v[4] == v[1] - v[3]
        assert v[5] == v[6] + v[7]
        assert v[8] == (round(v[6] * 100 / v[5], 1) if v[5] else None)
        assert v[9] == v[10] + v[11]
        assert v[14] == (round(v[13] * 100 / v[12], 1) if v[12] else None)
        assert v[16] <= v[15]
        assert v[18] <= v[17]
        assert v[19] == (round(v[18] * 100 / v[17], 1) if v[17] else None)
    notes = " ".join(all_text(form))
    for relation in ("4 = 1 − 3", "5 = 6 + 7", "8 = 6 ÷ 5 × 100", "9 = 10 + 11", "14 = 13 ÷ 12 × 100"):
        assert relation in notes


def test_the_form_has_its_title_number_issuer_unit_and_footer(rolls):
    form = workbook(rolls, "540000").worksheets[0]
    text = all_text(form)

    assert form["A1"].value == "西藏自治区2026年农牧民工入会情况统计表"
    assert gettext("Form number: %(number)s") % {"number": MEMBERS_FORM_NUMBER} in text
    assert "制表机关：西藏自治区总工会组织部" in text
    assert gettext("Reporting unit: %(unit)s") % {"unit": "西藏自治区总工会"} in text
    footer = next(value for value in text if gettext("Head of unit:") in value)
    for label in (gettext("Head of statistics:"), gettext("Filled in by:"), gettext("Contact phone:")):
        assert label in footer
    assert footer.endswith(date_format(timezone.localdate(), "DATE_FORMAT"))
    assert text.index(footer) > text.index(form.cell(form_rows(form)[-1], 1).value)


def test_every_sheet_prints_on_a4_landscape_with_its_header_repeated(rolls):
    book = workbook(rolls, "540000")

    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.print_title_rows
        assert sheet.freeze_panes
    form = book.worksheets[0]
    assert form.print_title_rows == f"$5:${numbers_row(form)}"
    assert form.freeze_panes == "C8"
    assert (form.cell(8, 1).value, form.cell(8, 2).value) == (gettext("Total"), "540000")


def test_the_lists_name_exactly_the_enterprises_and_townships_still_to_do(rolls):
    book = workbook(rolls, "540000")

    without = book["符合四要素但未建会的企业"]
    assert listed(without) == ["桑珠孜建筑公司", HYPERLINK, "八廓街某酒店"]  # largest first
    below = book["入会率未达80%的企业"]
    assert listed(below) == [HYPERLINK, "已建会餐馆"]  # the largest gap first; 80 per cent exactly is not below
    formula = below.cell(next(row for row in range(1, below.max_row + 1) if below.cell(row, 3).value == HYPERLINK), 3)
    assert formula.data_type == "s"
    row = next(row for row in range(1, below.max_row + 1) if below.cell(row, 3).value == "已建会餐馆")
    assert values(below, row)[5:9] == [2, 0, 0.0, 2]

    townships = book["八有未达标的乡镇（街道）工会"]
    names = listed(townships)
    total = build(rolls, UnionOrg.objects.get(code="540000"))[0].total.figures
    assert len(names) == total["townships"] - total["townships_meeting"]
    barkhor, partly = UnionOrg.objects.get(code="540102002"), UnionOrg.objects.get(code="540102003")
    assert barkhor.name not in names
    row = next(row for row in range(1, townships.max_row + 1) if townships.cell(row, 3).value == partly.name)
    assert values(townships, row)[4:13] == [None] * 6 + ["×", "×", 2]
    counties = listed(townships, column=2)
    runs = [county for index, county in enumerate(counties) if index == 0 or counties[index - 1] != county]
    assert len(runs) == len(set(runs))  # each county's township unions together


def test_a_prefectures_form_and_lists_keep_to_its_area(rolls):
    book = workbook(rolls, "540100")
    form = book.worksheets[0]

    assert form["A1"].value == "拉萨市2026年农牧民工入会情况统计表"
    codes = [form.cell(row, 2).value for row in form_rows(form)]
    assert codes[0] == "540100"
    assert all(code.startswith("5401") for code in codes)
    assert listed(book["符合四要素但未建会的企业"]) == [HYPERLINK, "八廓街某酒店"]
    assert "桑珠孜建筑公司" not in all_text(book["入会率未达80%的企业"])


def download_name(response):
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[1])


def test_the_dashboard_offers_the_form_of_the_organisation_on_screen(login, reviewer, rolls):
    client = login(reviewer)
    page = client.get(reverse("reports:members_dashboard"), {"campaign": rolls.pk, "org": "540100"})
    link = f"{reverse('reports:members_form')}?campaign={rolls.pk}&amp;org=540100"
    html = page.content.decode()
    assert link in html
    assert "下载统计表（Excel）" in html

    response = client.get(reverse("reports:members_form"), {"campaign": rolls.pk, "org": "540100"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert download_name(response) == f"{book.worksheets[0]['A1'].value}.xlsx"
    assert book.worksheets[0]["A1"].value.startswith("拉萨市")


def test_prefecture_staff_download_their_own_area_only(login, lhasa_staff, rolls):
    client = login(lhasa_staff)
    url = reverse("reports:members_form")

    own = client.get(url, {"campaign": rolls.pk})
    assert own.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(own.streaming_content))).worksheets[0]["A1"].value.startswith("拉萨市")
    assert client.get(url, {"campaign": rolls.pk, "org": "540102"}).status_code == 200
    assert client.get(url, {"campaign": rolls.pk, "org": "540200"}).status_code == 404
    assert client.get(url, {"campaign": rolls.pk, "org": "540000"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"campaign": "no"},
        {"campaign": "99999"},
        {"campaign": "1\x00"},
        {"org": "5401\x00"},
        {"org": "x" * 41},
        {"org": "no-such-unit"},
    ],
)
def test_a_malformed_or_unknown_parameter_is_a_404(login, reviewer, rolls, query):
    assert login(reviewer).get(reverse("reports:members_form"), query).status_code == 404


def test_a_campaign_that_does_not_count_members_has_no_members_form(login, reviewer, rolls, survey_campaign):
    response = login(reviewer).get(reverse("reports:members_form"), {"campaign": survey_campaign.pk})
    assert response.status_code == 404


def test_the_form_reads_a_constant_number_of_queries_whatever_the_number_of_units(login, reviewer, rolls, lhasa_staff):
    client = login(reviewer)
    url = reverse("reports:members_form")

    with CaptureQueriesContext(connection) as before:
        assert client.get(url, {"campaign": rolls.pk}).status_code == 200
    region = UnionOrg.objects.get(code="540000")
    for number in range(2, 6):
        unit, _created = union_org_upsert(
            code=f"540000.T{number}", name=f"测试产业工会{number}", kind=UnionOrg.Kind.REPORTING_UNIT, parent=region
        )
        union = grassroots_union("540103", f"540103.G00{number}", f"堆龙某企业工会{number}")
        enrol_many(lhasa_staff, union, None, 1, first_serial=40 + number)
        make_enterprise("540104", headcount=30, party_org="own", profitable=True, migrant_workers=10)
        make_enterprise("540104", headcount=30, party_org="own", profitable=True, responsible_unit=unit)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url, {"campaign": rolls.pk}).status_code == 200

    assert len(after.captured_queries) == len(before.captured_queries)
    book = load_workbook(io.BytesIO(b"".join(client.get(url, {"campaign": rolls.pk}).streaming_content)))
    assert "540000.T5" in [cell.value for cell in book.worksheets[0]["B"]]
