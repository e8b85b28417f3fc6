"""The booklet of model practices (典型经验汇编): a Word document of the practices the 组织部 marked 示范 in one
campaign, holding only those the person downloading it may see."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from campaigns.services.practices import practice_mark
from conftest import hand_in_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(lhasa_model_practice_submission, lhasa_progress_deadline, shigatse_staff, ngari_staff, reviewer):
    """拉萨's practice and 日喀则's marked 示范; a second 日喀则 report's practice handed in but not marked."""
    shigatse = hand_in_progress(lhasa_progress_deadline, shigatse_staff, "依托乡镇工会开展集中入会。")
    practice_mark(shigatse, user=reviewer, title="乡镇工会集中入会", version=0)
    later = lhasa_progress_deadline.stage.deadlines.create(sequence=2, due_on=lhasa_progress_deadline.due_on)
    hand_in_progress(later, shigatse_staff, "未被标记的做法：走访企业。")
    return lhasa_progress_deadline.stage.campaign


def download(client, campaign):
    return client.get(reverse("reports:practices_booklet"), {"campaign": campaign.pk})


def text_of(response):
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    return document, "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_booklet_holds_the_model_practices_under_their_headlines(login, practices, reviewer):
    response = download(login(reviewer), practices)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document, text = text_of(response)
    assert str(practices) in text
    assert "典型经验汇编" in text
    assert "目录" in text
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. 工地流动登记点", "2. 乡镇工会集中入会"]
    assert "在建筑工地设立流动登记点，现场办理入会。" in text
    assert "拉萨市总工会" in text
    assert "未被标记的做法" not in text


def test_the_booklet_is_a4_with_chinese_fonts(login, practices, reviewer):
    document, _text = text_of(download(login(reviewer), practices))

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋"


def test_shigatse_staff_get_only_shigatse_practices(login, practices, shigatse_staff):
    _document, text = text_of(download(login(shigatse_staff), practices))

    assert "乡镇工会集中入会" in text
    assert "工地流动登记点" not in text
    assert "在建筑工地" not in text


def test_a_unit_outside_the_campaign_gets_a_404(login, practices, ngari_staff):
    assert download(login(ngari_staff), practices).status_code == 404


@pytest.mark.parametrize("campaign", ["", "abc", "999999", "99999999999999999999"])
def test_an_absent_or_unknown_campaign_is_a_404(login, reviewer, campaign):
    response = login(reviewer).get(reverse("reports:practices_booklet"), {"campaign": campaign})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("administrator", 200),
        ("lhasa_staff", 200),
        ("lhasa_viewer", 200),
        ("chengguan_staff", 404),
        ("shigatse_staff", 200),
        ("ngari_staff", 404),
    ],
)
def test_each_role_may_download_the_booklet_of_a_campaign_of_its_units(request, client, practices, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert download(client, practices).status_code == status
