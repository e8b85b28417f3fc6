"""The briefing (情况通报) of a members campaign: its figures are the members dashboard's, its rankings, targets and
missing reports, the page and the Word document saying the same, each person seeing only their own area."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from campaigns.services import baselines_set, member_targets_set
from conftest import hand_in_progress, make_enterprise
from members.tests.helpers import enrol_many, grassroots_union
from reports import briefing, enrolment
from unions.models import EightHave, UnionOrg
from unions.services import eight_haves_assess, union_org_upsert

pytestmark = pytest.mark.django_db

REGION, LHASA, SHIGATSE, NON_PUBLIC = "540000", "540100", "540200", "540000.FGQ"
AFTER_FIRST_REPORT = datetime.date(2026, 6, 30)


@pytest.fixture
def rolls(members_campaign, reviewer, lhasa_staff, shigatse_staff):
    """拉萨: 8 migrant-worker members (6 joined this year) against 3 in the baseline, a target of 10 new members,
    one 四要素 enterprise at 80 per cent and one below, one township union meeting 八有. 日喀则: 4 members, all
    new, against 2, no target. The regional non-public federation: nothing, no baseline, no target."""
    barkhor = UnionOrg.objects.get(code="540102002")
    hotel = grassroots_union("540102002", "540102002.G001", "八廓街某酒店工会")
    site = grassroots_union("540202", "540202.G001", "桑珠孜某工地工会", form="project")
    met = make_enterprise("540102", headcount=40, party_org="own", profitable=True, migrant_workers=10)
    make_enterprise("540102", headcount=30, party_org="own", profitable=True, union_status="own", migrant_workers=5)
    builder = make_enterprise("540202", headcount=300, party_org="own", profitable=True, migrant_workers=5)
    enrol_many(lhasa_staff, hotel, met, 6)
    enrol_many(lhasa_staff, hotel, met, 2, first_serial=10, joined_on=datetime.date(2024, 1, 1))
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
    lhasa, shigatse = UnionOrg.objects.get(code=LHASA), UnionOrg.objects.get(code=SHIGATSE)
    source = "2025年统计年报"
    baselines_set(members_campaign, {lhasa.pk: (3, source, 0), shigatse.pk: (2, source, 0)}, user=reviewer)
    member_targets_set(
        members_campaign,
        {lhasa.pk: ({"new_migrant_members": 10, "eighty_rate": Decimal("50.0"), "eight_haves_rate": Decimal("90")}, 0)},
        user=reviewer,
    )
    return members_campaign


def members_briefing(campaign, code=REGION, as_of=AFTER_FIRST_REPORT):
    return briefing.members_context(campaign, UnionOrg.objects.get(code=code), as_of)


def codes(rows):
    return [row.code for row in rows]


def row_of(rows, code):
    return next(row for row in rows if row.code == code)


def test_each_units_figures_are_those_of_the_members_dashboard(rolls):
    region = UnionOrg.objects.get(code=REGION)
    dashboard, _figures = enrolment.build(rolls, region)

    context = members_briefing(rolls)

    for line in dashboard.lines:
        row = row_of(context["baseline_ranking"], line.org.code)
        for name in ("migrant_members", "new_migrant_members", "baseline"):
            assert row.values[name] == line.figures[name], (line.org.code, name)
        eighty = row_of(context["eighty_ranking"], line.org.code)
        assert (eighty.values["eighty_met"], eighty.values["eighty_below"]) == (
            line.figures["eighty_met"],
            line.figures["eighty_below"],
        )
    total = dashboard.total.figures
    assert (total["migrant_members"], total["new_migrant_members"]) == (12, 10)
    opening = f"截至2026年6月30日，{region.name}共有农牧民工会员12人，其中2026年新入会10人。"
    assert context["opening"][0].startswith(opening)


def test_units_are_ranked_by_growth_against_the_baseline_and_those_without_one_come_last(rolls):
    context = members_briefing(rolls)

    ranking = context["baseline_ranking"]
    assert codes(ranking)[:2] == [LHASA, SHIGATSE]
    assert [(row.rank, row.values["change"]) for row in ranking[:2]] == [(1, 5), (2, 2)]
    assert row_of(ranking, LHASA).cells[-1] == "166.7%"
    # The regional non-public federation has no baseline: last, not ranked, and said so.
    assert row_of(ranking, NON_PUBLIC).rank is None
    section = context["sections"][0]
    assert any("未录入2025年基数" in text and row_of(ranking, NON_PUBLIC).name in text for text in section.paragraphs)
    # The region has no baseline of its own: the opening compares the units that have one.
    assert "有2025年基数的2个单位现有12人，2025年为5人，增加7人，增长140.0%" in context["opening"][0]


def test_without_any_baseline_the_opening_says_the_change_cannot_be_given(members_campaign):
    context = members_briefing(members_campaign)

    assert "尚未录入2025年基数" in context["opening"][0]
    assert {row.rank for row in context["baseline_ranking"]} == {None}


def test_targets_show_the_share_reached_and_who_met_which(rolls):
    context = members_briefing(rolls)

    assert codes(context["targets"]) == [LHASA]
    lhasa = context["targets"][0]
    assert lhasa.values["reached"] == 0.6
    assert (lhasa.values["new_met"], lhasa.values["eighty_met"], lhasa.values["eight_haves_met"]) == (
        False,
        True,
        False,
    )
    assert lhasa.cells[4] == "60.0%"
    paragraphs = next(section for section in context["sections"] if section.key == "targets").paragraphs
    text = "\n".join(paragraphs)
    assert "百分之八十入会目标：设定该目标的1个单位中已有1个完成（拉萨市总工会）" in text
    # Units without targets are named, not dropped silently.
    assert "日喀则市总工会" in text.rsplit("\n", 1)[-1]


def test_without_targets_the_section_says_none_were_set(members_campaign):
    section = next(s for s in members_briefing(members_campaign)["sections"] if s.key == "targets")

    assert section.paragraphs == ["尚未分解目标任务。"]
    assert section.table is None


def test_units_are_ranked_by_the_eighty_and_eight_haves_rates(rolls):
    context = members_briefing(rolls)

    eighty = context["eighty_ranking"]
    # 日喀则's one enterprise: 4 of 5 migrant workers are members, 80 per cent; 拉萨: one of two enterprises.
    assert [(row.code, row.rank, row.values["rate"]) for row in eighty[:2]] == [(SHIGATSE, 1, 1.0), (LHASA, 2, 0.5)]
    assert row_of(eighty, NON_PUBLIC).rank is None
    eight_haves = context["eight_haves_ranking"]
    assert eight_haves[0].code == LHASA
    assert eight_haves[0].values["townships_meeting"] == 1


def test_what_remains_counts_enterprises_short_of_eighty_and_the_people_missing(rolls):
    context = members_briefing(rolls)

    lhasa = row_of(context["gaps"], LHASA)
    # The enterprise with a union and 5 migrant workers has no members: 4 short of 80 per cent.
    assert lhasa.values == {
        "four_criteria_without_union": 1,
        "eighty_below": 1,
        "people_short": 4,
        "townships_not_meeting": lhasa.values["townships_not_meeting"],
    }
    remaining = context["sections"][-1]
    assert remaining.key == "remaining"
    assert "距达标还差4人" in remaining.paragraphs[0]
    assert "“八有”项目" in remaining.paragraphs[1]


def test_units_that_have_not_handed_in_the_latest_report_are_listed(rolls, members_progress_deadline, lhasa_staff):
    hand_in_progress(members_progress_deadline, lhasa_staff, "设立流动登记点。")

    before = members_briefing(rolls, as_of=datetime.date(2026, 5, 1))
    context = members_briefing(rolls)

    assert before["deadline"] is None
    assert context["deadline"] == members_progress_deadline
    assert codes(context["submitted"]) == [LHASA]
    assert codes(context["missing"]) == [SHIGATSE, NON_PUBLIC]


def docx_text(response):
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    return [paragraph.text for paragraph in document.paragraphs], [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]


def test_the_page_and_the_word_document_say_the_same(login, reviewer, rolls):
    client = login(reviewer)
    query = {"campaign": rolls.pk, "as_of": "2026-06-30"}

    page = client.get(reverse("reports:briefing"), query)
    download = client.get(reverse("reports:briefing_docx"), query)

    assert page.status_code == download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    paragraphs, cells = docx_text(download)
    html = page.content.decode()
    on_page = [unescape(text) for text in re.findall(r'<p class="briefing-text">(.*?)</p>', html)]
    headings = [unescape(text) for text in re.findall(r'<h2 class="briefing-heading">(.*?)</h2>', html)]
    assert on_page
    assert all(text in paragraphs for text in on_page)
    assert all(heading in paragraphs for heading in headings)
    assert len(headings) == 6
    assert paragraphs[0] == briefing.title(rolls) == page.context["title"]
    assert "一、农牧民工会员较2025年增长情况" in headings
    assert "拉萨市总工会" in cells
    # The date form and the Word link keep the campaign.
    assert f'<input type="hidden" name="campaign" value="{rolls.pk}">' in html
    assert re.search(rf'href="/reports/briefing\.docx\?campaign={rolls.pk}&amp;as_of=2026-06-30"', html)
    assert f'href="/reports/members/?campaign={rolls.pk}"' in html


def test_prefecture_staff_see_their_own_area_and_nothing_of_another(login, lhasa_staff, rolls):
    client = login(lhasa_staff)

    response = client.get(reverse("reports:briefing"), {"campaign": rolls.pk})

    assert response.status_code == 200
    context = response.context
    assert context["members_briefing"].area.code == LHASA
    assert {row.code[:4] for row in context["baseline_ranking"]} == {"5401"}
    html = response.content.decode()
    assert "日喀则" not in html
    assert "桑珠孜某工地工会" not in html
    paragraphs, cells = docx_text(client.get(reverse("reports:briefing_docx"), {"campaign": rolls.pk}))
    assert not any("日喀则" in text for text in paragraphs + cells)
    assert "拉萨市总工会共有农牧民工会员8人" in context["opening"][0]
    # A county of their own area may be asked for by its code.
    county = client.get(reverse("reports:briefing"), {"campaign": rolls.pk, "org": "540102"})
    assert county.status_code == 200
    assert county.context["members_briefing"].area.code == "540102"


@pytest.mark.parametrize("url", ["reports:briefing", "reports:briefing_docx"])
def test_another_prefectures_unit_in_the_address_is_a_404(login, shigatse_staff, rolls, url):
    response = login(shigatse_staff).get(reverse(url), {"campaign": rolls.pk, "org": LHASA})

    assert response.status_code == 404


@pytest.mark.parametrize("asked", ["abc", "999999", "99999999999999999999", "-1", "1.5"])
@pytest.mark.parametrize("url", ["reports:briefing", "reports:briefing_docx"])
def test_a_bad_campaign_in_the_address_is_a_404(login, reviewer, members_campaign, url, asked):
    assert login(reviewer).get(reverse(url), {"campaign": asked}).status_code == 404


def test_the_newest_campaign_decides_and_an_enterprise_campaign_keeps_its_own_briefing(
    login, reviewer, members_campaign, survey_campaign
):
    client = login(reviewer)

    newest = client.get(reverse("reports:briefing"))
    enterprise = client.get(reverse("reports:briefing"), {"campaign": survey_campaign.pk})

    assert "members_briefing" in newest.context
    assert "members_briefing" not in enterprise.context
    assert enterprise.context["dashboard"].campaign == survey_campaign
    assert "coverage_ranking" in enterprise.context


def test_the_briefing_reads_a_constant_number_of_queries_whatever_the_number_of_units(
    login, reviewer, lhasa_staff, rolls
):
    client = login(reviewer)
    url = reverse("reports:briefing")
    region = UnionOrg.objects.get(code=REGION)

    with CaptureQueriesContext(connection) as before:
        client.get(url, {"campaign": rolls.pk})
    for number in range(2, 6):
        union_org_upsert(
            code=f"540000.T{number}", name=f"测试产业工会{number}", kind=UnionOrg.Kind.REPORTING_UNIT, parent=region
        )
        union = grassroots_union("540103", f"540103.G00{number}", f"堆龙某企业工会{number}")
        enrol_many(lhasa_staff, union, None, 1, first_serial=40 + number)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url, {"campaign": rolls.pk})

    assert len(response.context["baseline_ranking"]) == len(enrolment.children_of(region))
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize(
    "persona",
    ["reviewer", "lhasa_staff", "shigatse_staff", "chengguan_staff", "lhasa_viewer", "administrator", "ngari_staff"],
)
@pytest.mark.parametrize("url", ["reports:briefing", "reports:briefing_docx"])
def test_every_role_gets_the_briefing_of_its_own_area(request, login, members_campaign, persona, url):
    user = request.getfixturevalue(persona)

    response = login(user).get(reverse(url), {"campaign": members_campaign.pk, "as_of": "2026-06-30"})

    assert response.status_code == 200
