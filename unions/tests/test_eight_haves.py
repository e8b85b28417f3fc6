import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from unions.demo import load_demo_accounts
from unions.models import EightHave, EightHavesChange, EightHavesItem, UnionOrg
from unions.selectors import eight_haves_of, eight_haves_summary, meets_eight_haves
from unions.services import StaleEdit, UnionError, eight_haves_assess

pytestmark = pytest.mark.django_db

BARKHOR = "540102002"  # 八廓街道, 城关区
JIRI = "540102003"  # 吉日街道, 城关区
DAMXUNG_COUNTY = "540122"
SHIGATSE_STREET = "540202001"
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def township(code=BARKHOR):
    return UnionOrg.objects.get(code=code)


def pdf(name="照片.pdf", size_padding=0):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%" + b"x" * size_padding + b"\n%%EOF\n", "application/pdf")


def docx(name="制度.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def assess(union, user, item, met=True, note="已核实", version=None, **extra):
    if version is None:
        current = EightHavesItem.objects.filter(union=union, item=item).first()
        version = current.version if current else 0
    return eight_haves_assess(
        union, user=user, item=item, met=met, note=note, assessed_on=YESTERDAY, version=version, **extra
    )


def assess_all(union, user, *, except_items=()):
    for item in EightHave.values:
        assess(union, user, item, met=item not in except_items)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# -- the standard ------------------------------------------------------------------------------------------


def test_a_union_meets_the_standard_only_with_all_eight_items_met(chengguan_staff):
    union = township()
    assess_all(union, chengguan_staff, except_items={EightHave.FUNDS})
    met = eight_haves_of(UnionOrg.objects.filter(pk=union.pk))[union.pk]
    assert len(met) == 7
    assert not meets_eight_haves(met)

    assess(union, chengguan_staff, EightHave.FUNDS)
    met = eight_haves_of(UnionOrg.objects.filter(pk=union.pk))[union.pk]
    assert met == frozenset(EightHave.values)
    assert meets_eight_haves(met)


def test_an_item_never_assessed_is_not_met(chengguan_staff):
    union = township()
    for item in EightHave.values[:-1]:
        assess(union, chengguan_staff, item)
    met = eight_haves_of(UnionOrg.objects.filter(pk=union.pk))[union.pk]
    assert not meets_eight_haves(met)
    assert eight_haves_of(UnionOrg.objects.filter(code=JIRI)) == {township(JIRI).pk: frozenset()}


def test_it_refuses_a_met_item_without_evidence(chengguan_staff):
    with pytest.raises(UnionError, match="证据|佐证|evidence"):
        assess(township(), chengguan_staff, EightHave.SEAL, note="  ")
    assert not EightHavesItem.objects.exists()


def test_an_item_not_met_needs_no_evidence(chengguan_staff):
    entry = assess(township(), chengguan_staff, EightHave.VENUE, met=False, note="")
    assert entry.met is False


def test_a_file_alone_is_evidence_enough(chengguan_staff, media):
    entry = assess(township(), chengguan_staff, EightHave.SIGN, note="", attachment=pdf())
    assert entry.met
    assert entry.attachment_name == "照片.pdf"
    assert entry.attachment_type == "application/pdf"
    # The stored name cannot be guessed from the union, the item or the uploader's name.
    assert "照片" not in entry.attachment.name
    assert EightHave.SIGN not in entry.attachment.name


def test_it_refuses_an_assessment_made_on_a_stale_copy(chengguan_staff, lhasa_staff):
    union = township()
    assess(union, chengguan_staff, EightHave.RULES, note="先保存的评估")
    with pytest.raises(StaleEdit):
        assess(union, lhasa_staff, EightHave.RULES, met=False, note="后保存的评估", version=0)
    assert EightHavesItem.objects.get(union=union, item=EightHave.RULES).note == "先保存的评估"


def test_it_refuses_a_date_in_the_future(chengguan_staff):
    with pytest.raises(UnionError):
        eight_haves_assess(
            township(),
            user=chengguan_staff,
            item=EightHave.SIGN,
            met=False,
            note="",
            assessed_on=timezone.localdate() + datetime.timedelta(days=1),
            version=0,
        )


def test_only_township_unions_have_the_checklist(chengguan_staff):
    with pytest.raises(UnionError):
        assess(UnionOrg.objects.get(code="540102"), chengguan_staff, EightHave.SIGN)


@pytest.mark.parametrize("persona", ["lhasa_viewer", "shigatse_staff", "reviewer"])
def test_only_staff_of_the_county_or_above_may_assess(request, persona):
    with pytest.raises(UnionError):
        assess(township(), request.getfixturevalue(persona), EightHave.SIGN)
    assert not EightHavesItem.objects.exists()


def test_a_township_unions_own_account_may_not_assess_itself(chengguan_staff):
    from unions.services import staff_account_create

    own = staff_account_create(
        username="bakuo_staff", organisation=township(), role="staff", password="persona-pass-2026"
    )
    with pytest.raises(UnionError):
        assess(township(), own, EightHave.SIGN)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00binary"), "PDF"),
        (lambda: SimpleUploadedFile("空.pdf", b""), "空"),
        (lambda: pdf(size_padding=10 * 1024 * 1024), "10"),
    ],
)
def test_it_refuses_a_file_of_another_type_or_too_large(chengguan_staff, media, upload, message):
    with pytest.raises(UnionError, match=message):
        assess(township(), chengguan_staff, EightHave.SIGN, attachment=upload())
    assert not EightHavesItem.objects.exists()


def test_word_documents_are_accepted(chengguan_staff, media):
    entry = assess(township(), chengguan_staff, EightHave.RULES, attachment=docx())
    assert entry.attachment_type.endswith("wordprocessingml.document")


# -- history -----------------------------------------------------------------------------------------------


def test_every_assessment_writes_a_history_row(chengguan_staff, lhasa_staff):
    union = township()
    assess(union, chengguan_staff, EightHave.FUNDS, met=False, note="尚未落实")
    assess(union, lhasa_staff, EightHave.FUNDS, met=True, note="街道财政安排经费")
    first, second = EightHavesChange.objects.filter(union=union).order_by("pk")
    assert first.before is None
    assert first.after["met"] is False
    assert first.changed_by == chengguan_staff
    assert second.before["note"] == "尚未落实"
    assert second.after["note"] == "街道财政安排经费"
    assert second.changed_by == lhasa_staff
    assert EightHavesItem.objects.get(union=union, item=EightHave.FUNDS).version == 2


# -- the summary the reports read ----------------------------------------------------------------------------


def test_the_summary_counts_per_county_in_constant_queries(chengguan_staff, lhasa_staff, django_assert_max_num_queries):
    assess_all(township(BARKHOR), chengguan_staff)
    assess_all(township(JIRI), chengguan_staff, except_items={EightHave.VENUE, EightHave.FUNDS})
    damxung = UnionOrg.objects.filter(division_id=DAMXUNG_COUNTY, kind=UnionOrg.Kind.TOWNSHIP_UNION).first()
    assess_all(damxung, lhasa_staff)
    townships = UnionOrg.objects.subtree_of(UnionOrg.objects.get(code="540100")).filter(
        kind=UnionOrg.Kind.TOWNSHIP_UNION
    )

    with django_assert_max_num_queries(3):
        summary = eight_haves_summary(townships)

    chengguan_count = UnionOrg.objects.filter(division_id="540102", kind=UnionOrg.Kind.TOWNSHIP_UNION).count()
    assert summary["540102"]["unions"] == chengguan_count == 12
    assert summary["540102"]["meeting"] == 1
    # Every union but 八廓 misses VENUE; all but 八廓 and 吉日 miss SIGN.
    assert summary["540102"]["missing"][EightHave.VENUE] == 11
    assert summary["540102"]["missing"][EightHave.SIGN] == 10
    assert summary[DAMXUNG_COUNTY]["meeting"] == 1
    assert summary[DAMXUNG_COUNTY]["missing"][EightHave.SIGN] == summary[DAMXUNG_COUNTY]["unions"] - 1
    assert summary["540103"] == {"unions": 7, "meeting": 0, "missing": dict.fromkeys(EightHave.values, 7)}
    assert set(summary) <= {code for code in summary if code.startswith("5401")}


def test_the_summary_keeps_to_the_same_queries_for_the_whole_region(chengguan_staff, django_assert_max_num_queries):
    assess_all(township(BARKHOR), chengguan_staff)
    townships = UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION)
    with django_assert_max_num_queries(3):
        summary = eight_haves_summary(townships)
    with django_assert_max_num_queries(2):
        met = eight_haves_of(townships)
    assert sum(figures["unions"] for figures in summary.values()) == townships.count() == len(met)
    assert sum(figures["meeting"] for figures in summary.values()) == 1


# -- pages -------------------------------------------------------------------------------------------------


def test_the_union_page_links_to_its_checklist(login, lhasa_viewer):
    page = login(lhasa_viewer).get(reverse("unions:detail", args=[BARKHOR])).content.decode()
    assert reverse("unions:eight_haves", args=[BARKHOR]) in page


def test_the_checklist_shows_the_items_and_forms_only_to_assessors(login, chengguan_staff, lhasa_viewer):
    assess(township(), chengguan_staff, EightHave.SEAL, note="印章已备案")
    page = login(lhasa_viewer).get(reverse("unions:eight_haves", args=[BARKHOR])).content.decode()
    assert "印章已备案" in page
    assert 'enctype="multipart/form-data"' not in page
    page = login(chengguan_staff).get(reverse("unions:eight_haves", args=[BARKHOR])).content.decode()
    assert page.count('enctype="multipart/form-data"') == 8


def test_staff_assess_an_item_through_the_page(login, chengguan_staff, media):
    client = login(chengguan_staff)
    url = reverse("unions:eight_haves_assess", args=[BARKHOR, EightHave.SEAL])
    response = client.post(
        url,
        {
            "seal-met": "on",
            "seal-note": "",
            "seal-assessed_on": "2024年5月1日",
            "seal-version": "0",
            "seal-attachment": pdf(),
        },
    )
    assert response.status_code == 302
    entry = EightHavesItem.objects.get(union=township(), item=EightHave.SEAL)
    assert entry.met
    assert entry.assessed_on == datetime.date(2024, 5, 1)
    assert entry.assessed_by == chengguan_staff


def test_the_page_refuses_a_stale_form_in_chinese(login, chengguan_staff, lhasa_staff):
    assess(township(), lhasa_staff, EightHave.SEAL, note="先保存")
    client = login(chengguan_staff)
    url = reverse("unions:eight_haves_assess", args=[BARKHOR, EightHave.SEAL])
    data = {"seal-met": "on", "seal-note": "后保存", "seal-assessed_on": "2024-05-01", "seal-version": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "重新加载" in response.content.decode()
    assert EightHavesItem.objects.get(union=township(), item=EightHave.SEAL).note == "先保存"


def test_the_page_refuses_a_met_item_without_evidence_in_chinese(login, chengguan_staff):
    url = reverse("unions:eight_haves_assess", args=[BARKHOR, EightHave.SEAL])
    data = {"seal-met": "on", "seal-note": "", "seal-assessed_on": "2024-05-01", "seal-version": "0"}
    response = login(chengguan_staff).post(url, data)
    assert response.status_code == 200
    assert not EightHavesItem.objects.exists()


def test_a_viewer_gets_403_and_another_prefecture_404_when_assessing(login, lhasa_viewer, shigatse_staff):
    url = reverse("unions:eight_haves_assess", args=[BARKHOR, EightHave.SEAL])
    data = {"seal-met": "", "seal-note": "", "seal-assessed_on": "2024-05-01", "seal-version": "0"}
    assert login(lhasa_viewer).post(url, data).status_code == 403
    assert login(shigatse_staff).post(url, data).status_code == 404
    assert not EightHavesItem.objects.exists()


def test_an_unknown_item_is_a_404(login, chengguan_staff):
    assert login(chengguan_staff).get(reverse("unions:eight_haves_assess", args=[BARKHOR, "cake"])).status_code == 404


def test_the_evidence_file_downloads_only_for_those_who_see_the_union(
    client, chengguan_staff, lhasa_viewer, reviewer, shigatse_staff, media
):
    assess(township(), chengguan_staff, EightHave.SIGN, attachment=pdf("牌子照片.pdf"))
    url = reverse("unions:eight_haves_file", args=[BARKHOR, EightHave.SIGN])
    for user in (chengguan_staff, lhasa_viewer, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(shigatse_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # An item without a file has nothing to download.
    client.force_login(chengguan_staff)
    assert client.get(reverse("unions:eight_haves_file", args=[BARKHOR, EightHave.SEAL])).status_code == 404


def test_the_overview_shows_the_users_own_area_by_default(login, chengguan_staff):
    assess_all(township(), chengguan_staff)
    page = login(chengguan_staff).get(reverse("unions:eight_haves_overview")).content.decode()
    assert "城关区" in page
    assert "当雄县" not in page
    assert "8.3%" in page  # 1 of 12


def test_the_overview_filters_by_county_and_standard(login, chengguan_staff, lhasa_staff):
    assess_all(township(), chengguan_staff)
    client = login(lhasa_staff)
    url = reverse("unions:eight_haves_overview")
    meeting = client.get(url, {"area": "540100", "meets": "yes"}).content.decode()
    assert "八廓街道工会联合会" in meeting
    assert "吉日街道工会联合会" not in meeting
    missing = client.get(url, {"area": "540100", "county": "540102", "meets": "no"}).content.decode()
    assert "吉日街道工会联合会" in missing
    assert "八廓街道工会联合会" not in missing


def test_the_overview_of_another_area_is_a_404(login, shigatse_staff, chengguan_staff):
    url = reverse("unions:eight_haves_overview")
    assert login(shigatse_staff).get(url, {"area": "540100"}).status_code == 404
    assert login(chengguan_staff).get(url, {"area": "540100"}).status_code == 404
    assert login(chengguan_staff).get(url, {"area": BARKHOR}).status_code == 404


def test_reviewers_see_the_whole_region(login, reviewer):
    page = login(reviewer).get(reverse("unions:eight_haves_overview")).content.decode()
    for county in ("城关区", "桑珠孜区", "噶尔县"):
        assert county in page


# -- demo ----------------------------------------------------------------------------------------------------


def test_the_demo_has_one_street_meeting_the_standard_and_one_with_five_items(settings):
    settings.DEBUG = True
    load_demo_accounts()
    load_demo_accounts()
    met = eight_haves_of(UnionOrg.objects.filter(code__in=[BARKHOR, JIRI]))
    assert meets_eight_haves(met[township(BARKHOR).pk])
    assert len(met[township(JIRI).pk]) == 5
    assert EightHavesChange.objects.count() == 16
    assert set(EightHavesItem.objects.values_list("assessed_by__username", flat=True)) == {"chengguan_staff"}
