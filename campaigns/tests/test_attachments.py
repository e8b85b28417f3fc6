import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from campaigns import attachments
from campaigns.attachments import AttachmentRefused, attachment_add, attachment_delete
from campaigns.models import SHANGHAI, Attachment, AttachmentChange, Submission
from campaigns.services import submission_for, submission_return, submission_save, submission_submit
from campaigns.tests import samples
from conftest import make_campaign

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(lhasa_progress_submission):
    return lhasa_progress_submission


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(media_root):
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def submit(submission, staff):
    submission_save(submission, user=staff, content={"results": "已排查企业12家，新建工会3家。"})
    return submission_submit(submission, user=staff, now=datetime.datetime(2020, 9, 1, 10, tzinfo=SHANGHAI))


# -- what may be attached ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("工作进展.pdf", samples.pdf_bytes, "application/pdf"),
        ("现场照片.png", samples.png_bytes, "image/png"),
        ("座谈会.jpg", samples.jpeg_bytes, "image/jpeg"),
        ("示意图.gif", samples.gif_bytes, "image/gif"),
        ("阶段总结.docx", samples.docx_bytes, DOCX),
        ("建会统计.xlsx", samples.xlsx_bytes, XLSX),
    ],
)
def test_staff_attach_each_accepted_type_recognised_by_its_content(draft, lhasa_staff, name, build, content_type):
    content = build()
    attachment = attachment_add(draft, user=lhasa_staff, uploaded=upload(name, content))
    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.uploaded_by == lhasa_staff
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


def test_the_type_comes_from_the_content_whatever_the_name_says(draft, lhasa_staff):
    attachment = attachment_add(draft, user=lhasa_staff, uploaded=upload("会议照片.pdf", samples.png_bytes()))
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "会议照片.pdf"
    assert attachments.download_name(attachment) == "会议照片.png"


def test_the_stored_name_is_the_portals_and_the_shown_name_loses_its_folders(draft, lhasa_staff):
    uploaded = upload("总结.pdf", samples.pdf_bytes())
    uploaded.name = "C:\\Users\\扎西\\Desktop\\  总结.pdf "
    attachment = attachment_add(draft, user=lhasa_staff, uploaded=uploaded)
    assert attachment.original_name == "总结.pdf"
    assert "总结" not in attachment.file.name
    assert attachment.file.name.startswith(f"reports/{draft.pk}/")


def test_a_very_long_name_is_shortened_but_keeps_its_extension(draft, lhasa_staff):
    name = "关于开展非公有制企业建会入会集中行动的工作情况" * 20 + ".docx"
    attachment = attachment_add(draft, user=lhasa_staff, uploaded=upload(name, samples.docx_bytes()))
    assert len(attachment.original_name) == 200
    assert attachment.original_name.endswith(".docx")


REFUSED = {
    "program renamed pdf": ("通知.pdf", samples.exe_bytes),
    "old Word document": ("总结.doc", samples.ole2_bytes),
    "old Word document renamed docx": ("总结.docx", samples.ole2_bytes),
    "plain text": ("说明.pdf", lambda: "这是一段文字，不是PDF。".encode()),
    "zip of something else": ("资料.docx", lambda: samples.zip_bytes({"readme.txt": "hello"})),
    "zip with a content list but no document": (
        "资料.xlsx",
        lambda: samples.zip_bytes({"[Content_Types].xml": samples.DOCX_CONTENT_TYPES, "other.xml": "<a/>"}),
    ),
    "zip bomb": ("总结.docx", samples.docx_bomb_bytes),
    "macro-enabled document": ("总结.docx", lambda: samples.docx_bytes(**{"word/vbaProject.bin": b"\x00" * 64})),
    "damaged zip": ("统计.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 100),
    "empty file": ("空白.pdf", lambda: b""),
}


@pytest.mark.parametrize(("name", "build"), REFUSED.values(), ids=REFUSED.keys())
def test_it_refuses_files_that_are_not_an_accepted_type(draft, lhasa_staff, media_root, name, build):
    with pytest.raises(AttachmentRefused) as refusal:
        attachment_add(draft, user=lhasa_staff, uploaded=upload(name, build()))
    assert name in str(refusal.value)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_refusal_of_an_unknown_type_states_the_size_limit(draft, lhasa_staff):
    with pytest.raises(AttachmentRefused, match=r"10\.0\sMB"):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("通知.pdf", samples.exe_bytes()))


def test_a_zip_bomb_is_recognised_without_being_unpacked(draft, lhasa_staff):
    bomb = samples.docx_bomb_bytes(unpacked=50 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    with pytest.raises(AttachmentRefused):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("总结.docx", bomb))


def test_it_refuses_a_file_over_the_size_limit(draft, lhasa_staff, monkeypatch):
    content = samples.pdf_bytes()
    monkeypatch.setattr(attachments, "MAX_BYTES", len(content) - 1)
    with pytest.raises(AttachmentRefused, match="工作进展.pdf"):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("工作进展.pdf", content))
    monkeypatch.setattr(attachments, "MAX_BYTES", len(content))
    assert attachment_add(draft, user=lhasa_staff, uploaded=upload("工作进展.pdf", content)).size == len(content)


def test_a_report_takes_at_most_twenty_files(draft, lhasa_staff):
    for number in range(20):
        attachment_add(draft, user=lhasa_staff, uploaded=upload(f"照片{number}.gif", samples.gif_bytes()))
    with pytest.raises(AttachmentRefused, match="20"):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("照片21.gif", samples.gif_bytes()))
    assert draft.attachments.count() == 20


def test_survey_reports_take_no_attachments(lhasa_staff):
    campaign = make_campaign(
        "摸底附件测试",
        2020,
        ("排查摸底", "survey", datetime.date(2020, 7, 1), datetime.date(2020, 8, 31), datetime.date(2020, 8, 10)),
        units=("540100",),
    )
    survey = submission_for(campaign.stages.get().deadlines.get(), lhasa_staff.organisation)
    assert not attachments.can_attach(lhasa_staff, survey)
    with pytest.raises(AttachmentRefused):
        attachment_add(survey, user=lhasa_staff, uploaded=upload("名单.pdf", samples.pdf_bytes()))


def test_an_upload_that_fails_to_save_leaves_no_stray_file(draft, lhasa_staff, media_root, monkeypatch):
    def database_gone(submission):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(attachments, "_mark_changed", database_gone)
    with pytest.raises(RuntimeError):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("工作进展.pdf", samples.pdf_bytes()))
    assert stored_files(media_root) == []


def test_adding_a_file_counts_as_a_change_of_the_report(draft, lhasa_staff):
    version = draft.version
    attachment_add(draft, user=lhasa_staff, uploaded=upload("工作进展.pdf", samples.pdf_bytes()))
    draft.refresh_from_db()
    assert draft.version == version + 1


# -- who and when --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_viewer", "administrator", "chengguan_staff", "shigatse_staff"])
def test_only_the_units_own_staff_may_attach_files(request, draft, persona):
    user = request.getfixturevalue(persona)
    assert not attachments.can_attach(user, draft)
    with pytest.raises(AttachmentRefused):
        attachment_add(draft, user=user, uploaded=upload("工作进展.pdf", samples.pdf_bytes()))


def test_a_submitted_report_refuses_new_files_and_keeps_its_files(draft, lhasa_staff, lhasa_attachment, media_root):
    submitted = submit(draft, lhasa_staff)
    assert not attachments.can_attach(lhasa_staff, submitted)
    with pytest.raises(AttachmentRefused):
        attachment_add(submitted, user=lhasa_staff, uploaded=upload("补充.pdf", samples.pdf_bytes()))
    lhasa_attachment.refresh_from_db()
    with pytest.raises(AttachmentRefused):
        attachment_delete(lhasa_attachment, user=lhasa_staff)
    assert Attachment.objects.filter(pk=lhasa_attachment.pk).exists()
    assert len(stored_files(media_root)) == 1


def test_an_approved_report_refuses_changes_even_through_a_stale_copy(draft, lhasa_staff, lhasa_attachment):
    Submission.objects.filter(pk=draft.pk).update(status=Submission.Status.APPROVED)
    # `draft` still says "draft": the service must look at the report as it is now.
    with pytest.raises(AttachmentRefused):
        attachment_add(draft, user=lhasa_staff, uploaded=upload("补充.pdf", samples.pdf_bytes()))
    with pytest.raises(AttachmentRefused):
        attachment_delete(lhasa_attachment, user=lhasa_staff)
    assert draft.attachments.count() == 1


def test_a_returned_report_takes_files_again(draft, lhasa_staff, reviewer):
    submitted = submit(draft, lhasa_staff)
    returned = submission_return(
        submitted,
        user=reviewer,
        version=submitted.version,
        reason="请补充现场照片。",
        now=datetime.datetime(2020, 9, 2, 10, tzinfo=SHANGHAI),
    )
    assert attachments.can_attach(lhasa_staff, returned)
    attachment_add(returned, user=lhasa_staff, uploaded=upload("现场照片.png", samples.png_bytes()))
    assert returned.attachments.count() == 1


@pytest.mark.parametrize("persona", ["reviewer", "lhasa_viewer", "shigatse_staff"])
def test_only_the_units_own_staff_may_delete_files(request, lhasa_attachment, persona):
    with pytest.raises(AttachmentRefused):
        attachment_delete(lhasa_attachment, user=request.getfixturevalue(persona))
    assert Attachment.objects.filter(pk=lhasa_attachment.pk).exists()


def test_deleting_removes_the_stored_file_once_committed(
    lhasa_attachment, lhasa_staff, django_capture_on_commit_callbacks
):
    path = Path(lhasa_attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        attachment_delete(lhasa_attachment, user=lhasa_staff)
        assert path.exists()
    assert not Attachment.objects.filter(pk=lhasa_attachment.pk).exists()
    for callback in callbacks:
        callback()
    assert not path.exists()


# -- through the pages ----------------------------------------------------------------------------------------


def upload_url(submission):
    return reverse("campaigns:attachment_add", args=[submission.deadline_id, submission.unit.code])


def test_staff_upload_a_file_and_return_to_their_page(login, lhasa_staff, draft):
    page = "/campaigns/deadlines/1/540100/"
    response = login(lhasa_staff).post(
        upload_url(draft),
        {"file": upload("阶段总结.docx", samples.docx_bytes()), "next": page},
        follow=False,
    )
    assert response.status_code == 302
    assert response.url == page
    attachment = draft.attachments.get()
    assert attachment.content_type == DOCX
    messages = [message.level_tag for message in response.wsgi_request._messages]
    assert messages == ["success"]


def test_a_refused_upload_goes_back_with_an_error(login, lhasa_staff, draft):
    response = login(lhasa_staff).post(
        upload_url(draft),
        {"file": upload("通知.pdf", samples.exe_bytes()), "next": "/campaigns/"},
    )
    assert response.url == "/campaigns/"
    assert not draft.attachments.exists()
    assert [message.level_tag for message in response.wsgi_request._messages] == ["error"]


@pytest.mark.parametrize("next_page", ["https://example.com/", "//example.com/x", "/\\example.com", "reports/"])
def test_the_upload_never_sends_the_user_to_another_site(login, lhasa_staff, draft, next_page):
    response = login(lhasa_staff).post(
        upload_url(draft),
        {"file": upload("工作进展.pdf", samples.pdf_bytes()), "next": next_page},
    )
    assert response.url == reverse("campaigns:tasks")


def test_the_upload_address_takes_no_get(login, lhasa_staff, draft):
    assert login(lhasa_staff).get(upload_url(draft)).status_code == 405


@pytest.mark.parametrize(("persona", "status"), [("shigatse_staff", 404), ("reviewer", 403), ("lhasa_viewer", 403)])
def test_others_cannot_upload_through_the_page(request, login, draft, persona, status):
    response = login(request.getfixturevalue(persona)).post(
        upload_url(draft), {"file": upload("工作进展.pdf", samples.pdf_bytes())}
    )
    assert response.status_code == status
    assert not draft.attachments.exists()


@pytest.mark.parametrize(("persona", "status"), [("shigatse_staff", 404), ("reviewer", 403), ("lhasa_viewer", 403)])
def test_others_cannot_delete_through_the_page(request, login, lhasa_attachment, persona, status):
    response = login(request.getfixturevalue(persona)).post(
        reverse("campaigns:attachment_delete", args=[lhasa_attachment.pk])
    )
    assert response.status_code == status
    assert Attachment.objects.filter(pk=lhasa_attachment.pk).exists()


def test_another_units_staff_cannot_download(login, shigatse_staff, lhasa_attachment):
    response = login(shigatse_staff).get(reverse("campaigns:attachment_download", args=[lhasa_attachment.pk]))
    assert response.status_code == 404


def test_a_download_carries_the_detected_type_and_forbids_sniffing(login, lhasa_viewer, draft, lhasa_staff):
    attachment = attachment_add(draft, user=lhasa_staff, uploaded=upload("会议照片.pdf", samples.png_bytes()))
    response = login(lhasa_viewer).get(reverse("campaigns:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E4%BC%9A%E8%AE%AE%E7%85%A7%E7%89%87.png" in response["Content-Disposition"]  # 会议照片.png
    assert b"".join(response.streaming_content) == samples.png_bytes()


def test_staff_confirm_then_delete_a_file_and_return_to_their_page(
    login, lhasa_staff, lhasa_attachment, django_capture_on_commit_callbacks
):
    client = login(lhasa_staff)
    url = reverse("campaigns:attachment_delete", args=[lhasa_attachment.pk])
    confirm = client.get(url, {"next": "/campaigns/deadlines/1/540100/"})
    assert confirm.status_code == 200
    assert "工作进展.pdf" in confirm.content.decode()
    path = Path(lhasa_attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": "/campaigns/deadlines/1/540100/"})
    assert response.url == "/campaigns/deadlines/1/540100/"
    assert not Attachment.objects.filter(pk=lhasa_attachment.pk).exists()
    assert not path.exists()


def test_the_delete_page_of_a_submitted_report_offers_no_delete(login, lhasa_staff, draft, lhasa_attachment):
    submit(draft, lhasa_staff)
    page = login(lhasa_staff).get(reverse("campaigns:attachment_delete", args=[lhasa_attachment.pk])).content.decode()
    assert 'method="post"' not in page.split("<main", 1)[1]


def render_panel(rf, user, submission, can_attach):
    request = rf.get("/campaigns/deadlines/1/540100/")
    request.user = user
    context = {
        "deadline": submission.deadline,
        "unit": submission.unit,
        "attachments": list(submission.attachments.select_related("uploaded_by")),
        "can_attach": can_attach,
        "next": request.path,
    }
    return render_to_string("campaigns/_attachments.html", context, request=request)


def test_the_panel_lists_files_and_offers_the_upload_form_to_staff(rf, lhasa_staff, draft, lhasa_attachment):
    html = render_panel(rf, lhasa_staff, draft, can_attach=True)
    assert "工作进展.pdf" in html
    assert reverse("campaigns:attachment_download", args=[lhasa_attachment.pk]) in html
    assert reverse("campaigns:attachment_delete", args=[lhasa_attachment.pk]) in html
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'enctype="multipart/form-data"' in form
    assert "data-submit-once" in form
    assert upload_url(draft) in form
    accept = re.search(r'accept="([^"]*)"', html).group(1).split(",")
    assert {".pdf", ".docx", ".xlsx", ".png", ".jpg", ".gif"} <= set(accept)
    assert ".doc" not in accept
    assert 'name="next" value="/campaigns/deadlines/1/540100/"' in html
    assert "<script" not in html
    assert "style=" not in html


def test_the_panel_shows_others_only_the_list(rf, lhasa_viewer, draft, lhasa_attachment):
    html = render_panel(rf, lhasa_viewer, draft, can_attach=False)
    assert "工作进展.pdf" in html
    assert "<form" not in html
    assert reverse("campaigns:attachment_delete", args=[lhasa_attachment.pk]) not in html


def test_the_panel_context_offers_the_form_to_the_units_staff_only(draft, lhasa_staff, lhasa_viewer, lhasa_attachment):
    context = attachments.panel_context(lhasa_staff, draft.deadline, draft.unit, draft, "/campaigns/")
    assert context["attachments"] == [lhasa_attachment]
    assert context["can_attach"] is True
    viewer = attachments.panel_context(lhasa_viewer, draft.deadline, draft.unit, draft, "/campaigns/")
    assert viewer["can_attach"] is False


def test_the_first_file_creates_the_draft_and_a_refused_one_leaves_none(login, lhasa_staff, lhasa_progress_deadline):
    client = login(lhasa_staff)
    url = reverse("campaigns:attachment_add", args=[lhasa_progress_deadline.pk, "540100"])
    client.post(url, {"file": upload("通知.pdf", samples.exe_bytes())})
    assert not Submission.objects.exists()
    client.post(url, {"file": upload("工作进展.pdf", samples.pdf_bytes())})
    report = Submission.objects.get()
    assert report.status == Submission.Status.DRAFT
    assert report.attachments.get().original_name == "工作进展.pdf"


def test_adding_and_deleting_files_write_rows_on_the_timeline(login, lhasa_staff, draft, lhasa_attachment, reviewer):
    added = attachment_add(draft, user=lhasa_staff, uploaded=upload("会议纪要.pdf", samples.pdf_bytes()))
    attachment_delete(added, user=lhasa_staff)
    rows = [(row.action, row.file_name, row.actor) for row in AttachmentChange.objects.order_by("pk")]
    assert rows == [("added", "会议纪要.pdf", lhasa_staff), ("deleted", "会议纪要.pdf", lhasa_staff)]
    page = login(reviewer).get(reverse("campaigns:report", args=[draft.deadline_id, "540100"])).content.decode()
    timeline = page.split('data-testid="timeline"', 1)[1]
    assert "上传附件：会议纪要.pdf" in timeline
    assert "删除：会议纪要.pdf" in timeline
