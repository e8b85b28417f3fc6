"""The briefing (情况通报): its rankings and lists, the printable page and the Word document."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from campaigns import services
from campaigns.models import SHANGHAI
from conftest import make_enterprise
from reports import briefing
from reports.dashboards import area_of, build
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

LHASA, SHIGATSE, NON_PUBLIC = "540100", "540200", "540000.FGQ"


def at(month, day, hour=12):
    return datetime.datetime(2019, month, day, hour, tzinfo=SHANGHAI)


def briefing_for(user, as_of, **options):
    dashboard = build(user, area=area_of(user), as_of=as_of, **options)
    return briefing.context(dashboard)


def codes(rows):
    return [row.code for row in rows]


@pytest.fixture
def shigatse_late(survey_deadline, shigatse_staff, reviewer):
    """日喀则's survey report, handed in on 8月15日 under an extension to 8月20日 granted on 8月12日, after the
    deadline had passed: 逾期补报."""
    unit = shigatse_staff.organisation
    services.extension_grant(
        survey_deadline, unit, due_on=datetime.date(2019, 8, 20), reason="补充摸底", user=reviewer, now=at(8, 12)
    )
    submission = services.submission_for(survey_deadline, unit)
    return services.submission_submit(submission, user=shigatse_staff, now=at(8, 15))


@pytest.fixture
def lhasa_extended(survey_deadline, lhasa_staff, reviewer):
    """拉萨 asked in time: an extension to 8月20日 granted on 8月8日, the report handed in on 8月18日."""
    unit = lhasa_staff.organisation
    request = services.extension_request_create(
        survey_deadline, unit, due_on=datetime.date(2019, 8, 20), reason="雪灾", user=lhasa_staff, now=at(8, 7)
    )
    services.extension_request_grant(
        request, due_on=datetime.date(2019, 8, 20), user=reviewer, version=request.version, now=at(8, 8)
    )
    submission = services.submission_for(survey_deadline, unit)
    return services.submission_submit(submission, user=lhasa_staff, now=at(8, 18))


def test_prefectures_are_ranked_by_union_coverage_highest_first(reviewer):
    make_enterprise("540102", union_status="own")
    make_enterprise("540102")  # 拉萨: 1 of 2
    make_enterprise("540202", union_status="own")  # 日喀则: 1 of 1
    make_enterprise("542521")  # 阿里: 0 of 1
    ranking = briefing_for(reviewer, datetime.date(2019, 8, 31))["coverage_ranking"]
    assert codes(ranking)[:3] == ["540200", "540100", "542500"]
    assert [(row.rank, row.union_rate) for row in ranking[:3]] == [(1, 1.0), (2, 0.5), (3, 0.0)]
    # Prefectures without enterprises in scope have no rate: they come last, unranked.
    assert len(ranking) == 7
    assert {(row.rank, row.union_rate) for row in ranking[3:]} == {(None, None)}


def test_equal_coverage_shares_a_rank(reviewer):
    make_enterprise("540102", union_status="own")
    make_enterprise("540202", union_status="own")
    make_enterprise("542521")
    ranking = briefing_for(reviewer, datetime.date(2019, 8, 31))["coverage_ranking"]
    assert [row.rank for row in ranking[:3]] == [1, 1, 3]


def test_a_unit_that_handed_in_late_ranks_below_one_on_time(reviewer, lhasa_submission, shigatse_late):
    ranking = briefing_for(reviewer, datetime.date(2019, 8, 31))["timeliness_ranking"]
    assert codes(ranking) == [LHASA, SHIGATSE, NON_PUBLIC]
    assert [(row.rank, row.on_time, row.extended, row.late, row.missing) for row in ranking] == [
        (1, 1, 0, 0, 0),
        (2, 0, 0, 1, 0),
        (3, 0, 0, 0, 1),
    ]


def test_an_approved_extension_ranks_above_a_late_submission(reviewer, lhasa_extended, shigatse_late):
    context = briefing_for(reviewer, datetime.date(2019, 8, 31))
    ranking = context["timeliness_ranking"]
    assert codes(ranking) == [LHASA, SHIGATSE, NON_PUBLIC]
    assert [(row.rank, row.on_time, row.extended, row.late, row.missing) for row in ranking] == [
        (1, 0, 1, 0, 0),
        (2, 0, 0, 1, 0),
        (3, 0, 0, 0, 1),
    ]
    notes = {entry.code: entry.text for entry in context["submitted"]}
    assert "经批准延期报送" in notes[LHASA]
    assert "逾期补报" in notes[SHIGATSE]


def test_units_that_handed_the_latest_report_in_and_those_that_did_not(reviewer, lhasa_submission):
    context = briefing_for(reviewer, datetime.date(2019, 8, 10))
    assert context["deadline"].due_on == datetime.date(2019, 8, 10)
    assert codes(context["submitted"]) == [LHASA]
    assert context["submitted"][0].timeliness == "on_time"
    assert codes(context["missing"]) == [SHIGATSE, NON_PUBLIC]
    # The lists agree with the completeness figures the dashboard shows for the same deadline.
    survey = next(stage for stage in build(reviewer, area=area_of(reviewer), as_of=datetime.date(2019, 8, 10)).stages)
    assert (survey.submitted, survey.expected - survey.submitted) == (
        len(context["submitted"]),
        len(context["missing"]),
    )


def test_an_earlier_date_moves_a_report_handed_in_after_it_back_to_missing(reviewer, shigatse_late):
    later = briefing_for(reviewer, datetime.date(2019, 8, 20))
    assert SHIGATSE in codes(later["submitted"])
    assert next(entry for entry in later["submitted"] if entry.code == SHIGATSE).timeliness == "late"
    earlier = briefing_for(reviewer, datetime.date(2019, 8, 12))
    assert SHIGATSE in codes(earlier["missing"])
    assert SHIGATSE not in codes(earlier["submitted"])
    entry = next(entry for entry in earlier["missing"] if entry.code == SHIGATSE)
    assert not entry.overdue  # its extension runs to 8月20日
    # Under an extension it is not yet counted against the unit: nothing due, so not ranked.
    shigatse = next(row for row in earlier["timeliness_ranking"] if row.code == SHIGATSE)
    assert (shigatse.rank, shigatse.due) == (None, 0)


def test_before_the_first_deadline_nothing_is_listed(reviewer, survey_campaign):
    context = briefing_for(reviewer, datetime.date(2019, 7, 15))
    assert context["deadline"] is None
    assert context["submitted"] == context["missing"] == []
    assert {row.due for row in context["timeliness_ranking"]} == {0}


def page_lists(page, key):
    block = re.search(rf'<ul class="briefing-list" data-testid="{key}">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r'data-code="([^"]+)"', block)


def test_the_date_chosen_on_the_page_decides_what_is_listed(login, reviewer, shigatse_late):
    client = login(reviewer)
    page = client.get(reverse("reports:briefing"), {"as_of": "2019-08-12"}).content.decode()
    assert SHIGATSE in page_lists(page, "missing")
    page = client.get(reverse("reports:briefing"), {"as_of": "2019-08-20"}).content.decode()
    assert page_lists(page, "submitted") == [SHIGATSE]


def test_the_page_renders_for_the_reviewer_without_inline_styles_or_scripts(login, reviewer, lhasa_submission):
    response = login(reviewer).get(reverse("reports:briefing"), {"as_of": "2019-08-31", "threshold": 50})
    assert response.status_code == 200
    page = response.content.decode()
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "reports/briefing.css" in page
    assert re.search(r'<script src="[^"]*portal/portal\.js" defer>', page)
    assert "data-print" in page
    # The date form keeps the other choices; the Word link asks for the same briefing.
    assert '<input type="hidden" name="threshold" value="50">' in page
    assert re.search(r'href="/reports/briefing\.docx\?[^"]*as_of=2019-08-31', page)
    assert 'value="2019-08-31"' in page
    assert 'data-testid="timeliness-540100"' in page


def docx_of(response):
    return Document(io.BytesIO(b"".join(response.streaming_content)))


def docx_text(document):
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_the_word_document_downloads_with_the_title_and_every_unit(login, reviewer, lhasa_submission):
    response = login(reviewer).get(reverse("reports:briefing_docx"), {"as_of": "2019-08-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "2019-08-31.docx" in response["Content-Disposition"]
    document = docx_of(response)
    text = docx_text(document)
    assert document.paragraphs[0].text == briefing.title(lhasa_submission.deadline.stage.campaign)
    assert "测试专项行动" in document.paragraphs[0].text
    for code in (LHASA, SHIGATSE, NON_PUBLIC):
        assert UnionOrg.objects.get(code=code).name in text
    for prefecture in ("拉萨市", "日喀则市", "阿里地区"):
        assert prefecture in text


def test_the_word_document_is_a4_with_an_east_asian_font(login, reviewer, survey_campaign):
    document = docx_of(login(reviewer).get(reverse("reports:briefing_docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    title = document.paragraphs[0].style
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.font.bold
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert document.core_properties.author == ""


def test_the_page_and_the_word_document_have_the_same_sections(login, reviewer, lhasa_submission):
    client = login(reviewer)
    page = client.get(reverse("reports:briefing"), {"as_of": "2019-08-31"}).content.decode()
    document = docx_of(client.get(reverse("reports:briefing_docx"), {"as_of": "2019-08-31"}))
    on_page = re.findall(r'<h2 class="briefing-heading">(.*?)</h2>', page)
    in_document = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert on_page == in_document
    assert len(in_document) == 4


def test_the_targets_section_appears_once_there_are_targets(reviewer, survey_campaign):
    as_of = datetime.date(2019, 8, 31)
    assert [section.key for section in briefing_for(reviewer, as_of)["sections"]][-1] == "reports"
    lhasa = UnionOrg.objects.get(code=LHASA)
    services.targets_set(survey_campaign, {lhasa.pk: (5, Decimal("80.0"), 0)}, user=reviewer)
    context = briefing_for(reviewer, as_of)
    assert context["sections"][-1].key == "targets"
    assert [(row.code, row.target_count, row.target_rate) for row in context["targets"]] == [(LHASA, 5, 0.8)]


@pytest.mark.parametrize("url", ["reports:briefing", "reports:briefing_docx"])
def test_prefecture_staff_cannot_ask_for_another_prefectures_briefing(login, lhasa_staff, survey_campaign, url):
    response = login(lhasa_staff).get(reverse(url), {"area": SHIGATSE})
    assert response.status_code == 404


def test_prefecture_staff_see_their_own_counties_and_units(login, lhasa_staff, survey_campaign):
    response = login(lhasa_staff).get(reverse("reports:briefing"), {"as_of": "2019-08-31"})
    assert response.status_code == 200
    context = response.context
    assert {row.code[:4] for row in context["coverage_ranking"]} == {"5401"}
    assert codes(context["timeliness_ranking"]) == [LHASA]
