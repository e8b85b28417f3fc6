"""The 一函两书 letters: numbered per issuing unit and year, laid out as GB/T 9704 asks, kept as issued."""

import datetime
import io
import threading
from urllib.parse import quote

import docx
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from campaigns.letters import documents
from campaigns.letters.numbering import prefix_for
from campaigns.models import CaseStatus, CaseStep, Grade, Letter, LetterCounter, LetterKind
from campaigns.services.errors import WorkflowError
from campaigns.services.letters import letter_issue
from campaigns.services.push import case_designate, case_withdraw
from campaigns.views.letters import letters_panel
from conftest import make_enterprise
from unions.models import Division, UnionOrg

AUGUST_20 = datetime.date(2019, 8, 20)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def issue(case, user, kind=LetterKind.OPINION, on=AUGUST_20):
    case.refresh_from_db()
    return letter_issue(case, user=user, kind=kind, version=case.version, issued_on=on)


def read(letter):
    with letter.file.open("rb") as file:
        return file.read()


def other_case(campaign, staff, name, **fields):
    enterprise = make_enterprise("540102", name=name, headcount=400, industry="H", **fields)
    return case_designate(user=staff, campaign=campaign, enterprise=enterprise, responsible_person="卓玛")


# Numbering


@pytest.mark.django_db
def test_a_units_letters_are_numbered_one_after_another(lhasa_case, lhasa_staff):
    first = issue(lhasa_case, lhasa_staff)
    second = issue(lhasa_case, lhasa_staff, kind=LetterKind.SUPERVISION_OPINION)
    assert [first.serial, second.serial] == [1, 2]
    assert [first.number, second.number] == ["拉工函〔2019〕1号", "拉工函〔2019〕2号"]
    assert first.issuing_unit.code == second.issuing_unit.code == "540100"


@pytest.mark.django_db
def test_another_unit_starts_a_series_of_its_own(lhasa_case, lhasa_staff, chengguan_staff, reviewer):
    issue(lhasa_case, lhasa_staff)
    issue(lhasa_case, lhasa_staff)
    county = issue(lhasa_case, chengguan_staff)
    region = issue(lhasa_case, reviewer)
    assert county.number == "城关工函〔2019〕1号"
    # The 组织部 writes in the name of the region's federation.
    assert (region.issuing_unit.code, region.number) == ("540000", "藏工函〔2019〕1号")


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one(lhasa_case, lhasa_staff):
    issue(lhasa_case, lhasa_staff)
    issue(lhasa_case, lhasa_staff)
    later = issue(lhasa_case, lhasa_staff, on=datetime.date(2020, 1, 6))
    assert (later.year, later.serial, later.number) == (2020, 1, "拉工函〔2020〕1号")
    assert LetterCounter.objects.get(unit__code="540100", year=2019).last_serial == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "prefix"),
    [("540000", "藏工函"), ("540200", "日工函"), ("542500", "阿工函"), ("540102", "城关工函"),
     ("540103", "堆龙工函"), ("540426", "朗工函"), ("540202", "桑珠孜工函")],
)  # fmt: skip
def test_each_federation_has_its_prefix(code, prefix):
    assert prefix_for(Division.objects.get(code=code)) == prefix


@pytest.mark.django_db
def test_no_two_federations_share_a_prefix():
    prefixes = [prefix_for(division) for division in Division.objects.all()]
    assert len(prefixes) == len(set(prefixes))


# Issuing


@pytest.mark.django_db
def test_reissuing_gives_a_new_number_and_keeps_the_first_file(lhasa_case, lhasa_staff):
    first = issue(lhasa_case, lhasa_staff)
    content = read(first)
    again = issue(lhasa_case, lhasa_staff)
    first.refresh_from_db()
    assert again.number != first.number
    assert again.file.name != first.file.name
    assert read(first) == content
    assert "拉工函〔2019〕1号" in text_of(first)
    assert "拉工函〔2019〕2号" in text_of(again)


@pytest.mark.django_db
def test_a_letter_is_a_third_grade_measure_of_the_case(lhasa_case, lhasa_staff):
    version = lhasa_case.version
    letter = issue(lhasa_case, lhasa_staff, kind=LetterKind.SUPERVISION_PROPOSAL)
    lhasa_case.refresh_from_db()
    step = lhasa_case.steps.filter(kind=CaseStep.Kind.MEASURE).get()
    assert (step.grade, step.happened_on, step.recorded_by) == (Grade.LETTERS, AUGUST_20, lhasa_staff)
    assert letter.number in step.note
    assert lhasa_case.highest_grade == Grade.LETTERS
    assert lhasa_case.version == version + 1


@pytest.mark.django_db
def test_it_refuses_a_closed_case_and_takes_no_number(lhasa_case, lhasa_staff):
    case_withdraw(lhasa_case, user=lhasa_staff, reason="企业已注销", version=lhasa_case.version)
    with pytest.raises(WorkflowError):
        issue(lhasa_case, lhasa_staff)
    assert not Letter.objects.exists()
    assert not LetterCounter.objects.filter(last_serial__gt=0).exists()


@pytest.mark.django_db
def test_it_refuses_a_page_opened_before_someone_else_recorded(lhasa_case, lhasa_staff):
    seen = lhasa_case.version
    issue(lhasa_case, lhasa_staff)
    with pytest.raises(WorkflowError):
        letter_issue(lhasa_case, user=lhasa_staff, kind=LetterKind.OPINION, version=seen, issued_on=AUGUST_20)
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_a_viewer_issues_nothing(lhasa_case, lhasa_viewer):
    with pytest.raises(WorkflowError):
        issue(lhasa_case, lhasa_viewer)
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(lhasa_case, lhasa_staff):
    with pytest.raises(WorkflowError):
        issue(lhasa_case, lhasa_staff, kind="summons")


# The document


def text_of(letter):
    document = docx.Document(io.BytesIO(read(letter)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def east_asian_font(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def runs_in(document, style):
    return [run for paragraph in document.paragraphs if paragraph.style.name == style for run in paragraph.runs]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LetterKind.values)
def test_the_letter_is_laid_out_as_an_official_document(lhasa_case, lhasa_staff, kind):
    document = docx.Document(io.BytesIO(read(issue(lhasa_case, lhasa_staff, kind=kind))))
    section = document.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.left_margin,
                section.right_margin, section.bottom_margin]  # fmt: skip
    assert [length.mm for length in measured] == pytest.approx([210, 297, 37, 28, 26, 35], abs=0.5)
    body = runs_in(document, "Letter Body")
    assert body
    assert {(run.font.size.pt, east_asian_font(run)) for run in body} == {(16, "仿宋_GB2312")}
    title = runs_in(document, "Letter Title")
    assert {(run.font.size.pt, east_asian_font(run)) for run in title} == {(22, "方正小标宋简体")}
    head = document.paragraphs[0]
    assert head.text == "拉萨市总工会函"
    assert {str(run.font.color.rgb) for run in head.runs} == {"FF0000"}
    properties = document.styles["Letter Number"].element.pPr
    assert properties.find(f"{qn('w:pBdr')}/{qn('w:bottom')}").get(qn("w:color")) == "FF0000"
    # In the schema's order, which Word insists on: the border before the spacing and the alignment.
    assert [child.tag for child in properties] == [qn("w:pBdr"), qn("w:spacing"), qn("w:jc")]
    assert document.paragraphs[1].style.name == "Letter Number"


@pytest.mark.django_db
def test_the_page_number_is_a_page_field_between_dashes(lhasa_case, lhasa_staff):
    document = docx.Document(io.BytesIO(read(issue(lhasa_case, lhasa_staff))))
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert [field.text.strip() for field in paragraph._p.iter(qn("w:instrText"))] == ["PAGE"]
        assert {(run.font.size.pt, east_asian_font(run)) for run in paragraph.runs} == {(14, "宋体")}


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_tag_of_a_template_sits_whole_in_one_run(kind):
    document = docx.Document(documents.template_path(kind))
    paragraphs = list(document.paragraphs)
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs + section.even_page_footer.paragraphs
    tagged = [run.text for paragraph in paragraphs for run in paragraph.runs if "{" in run.text or "}" in run.text]
    assert tagged
    assert all(text.count("{{") == text.count("}}") == 1 for text in tagged)
    for paragraph in paragraphs:
        assert paragraph.text.count("{{") == sum(run.text.count("{{") for run in paragraph.runs)


@pytest.mark.parametrize("kind", LetterKind.values)
def test_rendering_fills_every_tag(kind):
    assert DocxTemplate(documents.template_path(kind)).get_undeclared_template_variables() <= {
        "enterprise",
        "unit",
        "number",
        "date",
    }
    content = documents.render(
        kind,
        enterprise="拉萨<雪域>&物流有限公司",
        unit="拉萨市总工会",
        number="拉工函〔2019〕12号",
        issued_on=AUGUST_20,
    )
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "{{" not in text
    assert "{%" not in text
    assert "}}" not in text
    for value in ("拉萨<雪域>&物流有限公司", "拉萨市总工会", "拉工函〔2019〕12号", "2019年8月20日"):
        assert value in text


# Pages


@pytest.mark.django_db
def test_staff_issue_a_letter_from_the_case(client, lhasa_case, lhasa_staff):
    client.force_login(lhasa_staff)
    url = reverse("campaigns:letter_issue", args=[lhasa_case.pk])
    data = {"kind": LetterKind.OPINION, "version": lhasa_case.version, "next": "/campaigns/list/"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == "/campaigns/list/"
    assert Letter.objects.get().number.startswith("拉工函")


@pytest.mark.django_db
def test_a_next_on_another_site_is_ignored(client, lhasa_case, lhasa_staff):
    client.force_login(lhasa_staff)
    url = reverse("campaigns:letter_issue", args=[lhasa_case.pk])
    data = {"kind": LetterKind.OPINION, "version": lhasa_case.version, "next": "https://example.org/"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert "example.org" not in response["Location"]


@pytest.mark.django_db
def test_a_stale_page_issues_nothing_and_says_so(client, lhasa_case, lhasa_staff):
    client.force_login(lhasa_staff)
    url = reverse("campaigns:letter_issue", args=[lhasa_case.pk])
    response = client.post(url, {"kind": LetterKind.OPINION, "version": lhasa_case.version - 1})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_another_prefecture_does_not_find_the_case(client, lhasa_case, shigatse_staff):
    client.force_login(shigatse_staff)
    url = reverse("campaigns:letter_issue", args=[lhasa_case.pk])
    response = client.post(url, {"kind": LetterKind.OPINION, "version": lhasa_case.version})
    assert response.status_code == 404
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_viewer_may_not_issue_a_letter(client, lhasa_case, lhasa_viewer):
    client.force_login(lhasa_viewer)
    url = reverse("campaigns:letter_issue", args=[lhasa_case.pk])
    response = client.post(url, {"kind": LetterKind.OPINION, "version": lhasa_case.version})
    assert response.status_code == 403
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_viewer_downloads_the_letter_under_its_chinese_name(client, lhasa_letter, lhasa_viewer):
    client.force_login(lhasa_viewer)
    response = client.get(reverse("campaigns:letter_download", args=[lhasa_letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_CONTENT_TYPE
    assert f"filename*=utf-8''{quote('工会组建意见函-拉工函〔2019〕1号.docx')}" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == read(lhasa_letter)


@pytest.mark.django_db
def test_another_prefecture_may_not_download_the_letter(client, lhasa_letter, shigatse_staff):
    client.force_login(shigatse_staff)
    response = client.get(reverse("campaigns:letter_download", args=[lhasa_letter.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_panel_lists_letters_and_offers_the_form_to_those_who_issue(rf, lhasa_letter, lhasa_staff, lhasa_viewer):
    case = lhasa_letter.case
    download = reverse("campaigns:letter_download", args=[lhasa_letter.pk])
    issue_url = reverse("campaigns:letter_issue", args=[case.pk])
    for user, offered in ((lhasa_staff, True), (lhasa_viewer, False)):
        request = rf.get("/")
        request.user = user
        html = render_to_string("campaigns/push/_letters.html", letters_panel(user, case, "/"), request=request)
        assert lhasa_letter.number in html
        assert download in html
        assert (issue_url in html) is offered


@pytest.mark.django_db
def test_a_closed_case_offers_no_form(rf, lhasa_letter, lhasa_staff):
    case = lhasa_letter.case
    case.refresh_from_db()
    case_withdraw(case, user=lhasa_staff, reason="企业已注销", version=case.version)
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert letters_panel(lhasa_staff, case, "/")["may_issue"] is False


# Two clerks at once


def race(cases, staff):
    """Each case's letter issued in a thread of its own, all at the same moment: the serials or the errors."""
    outcomes = []
    barrier = threading.Barrier(len(cases))

    def issue_on(case):
        try:
            barrier.wait()
            outcomes.append(issue(case, staff).serial)
        except Exception as error:  # whatever went wrong in the thread shows in the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_on, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes, key=str)


def test_two_clerks_issuing_at_once_get_two_numbers(reference_data, request, settings, tmp_path):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite database is not shared between threads; PostgreSQL runs this test")
    staff = request.getfixturevalue("lhasa_staff")
    campaign = request.getfixturevalue("survey_campaign")
    # Enterprises that different units answer for: locking their cases locks no row in common.
    cases = [
        other_case(campaign, staff, "拉萨甲物流有限公司"),
        other_case(campaign, staff, "拉萨乙酒店有限公司", responsible_unit=UnionOrg.objects.get(code="540102")),
    ]
    # The year's first letters create the counter; the next ones wait for its lock.
    assert race(cases, staff) == [1, 2]
    assert race(cases, staff) == [3, 4]
    assert LetterCounter.objects.get(unit__code="540100", year=2019).last_serial == 4
