"""Files attached to plans, progress and summary reports.

A file's type is read from its content, never from its name: a PDF, a PNG, JPEG or GIF
image, or a Word (.docx) or Excel (.xlsx) document, whose zip is checked for members
that would unpack to far more than a document of its size holds. The uploader's name is
kept for display; a download carries the detected type and an extension that matches it.
Only the unit's own staff add and remove files, and only while the report is a draft or
returned for correction.
"""

import os
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Attachment, AttachmentChange, ReportKind, Submission
from campaigns.services import WorkflowError, submission_for

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 20
MAX_NAME_LENGTH = Attachment._meta.get_field("original_name").max_length
# A 10 MB Office document unpacks to well under this; more, or members packed tighter than
# any real document is, means a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 200
PACKING_CHECKED_FROM = 1024 * 1024
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str
    other_extensions: tuple = ()

    @property
    def extensions(self):
        return (self.extension, *self.other_extensions)


PDF = FileType("application/pdf", ".pdf", "PDF")
PNG = FileType("image/png", ".png", "PNG")
JPEG = FileType("image/jpeg", ".jpg", "JPEG", (".jpeg", ".jpe"))
GIF = FileType("image/gif", ".gif", "GIF")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel")
FILE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG, GIF)
BY_CONTENT_TYPE = {file_type.content_type: file_type for file_type in FILE_TYPES}
# What the upload form offers in the browser's file picker; the server decides by content anyway.
ACCEPT = ",".join([ext for file_type in FILE_TYPES for ext in file_type.extensions] + list(BY_CONTENT_TYPE))

SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_PARTS = ((DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"))


class AttachmentRefused(WorkflowError):
    """A file that may not be attached, or a report whose files may not change now; the message says why."""


# -- the scoped door -------------------------------------------------------------------------------------


def get_attachment_for_user(user, pk):
    """An attachment of a report the user may see (404 otherwise: its existence is not revealed)."""
    queryset = Attachment.objects.filter(submission__in=Submission.objects.visible_to(user)).select_related(
        "submission__unit", "submission__deadline__stage__campaign", "uploaded_by"
    )
    return get_object_or_404(queryset, pk=pk)


def can_attach(user, submission):
    """Whether the report page should offer the upload form and delete links to this user."""
    return (
        user.is_staff_of(submission.unit) and not submission.is_locked and submission.deadline.kind != ReportKind.SURVEY
    )


def panel_context(user, deadline, unit, submission, next_path):
    """What templates/campaigns/_attachments.html needs, for the report page to include.

    Before anything is saved there is no report yet: the unit's staff may still attach the first file.
    """
    if submission is None:
        allowed = user.is_staff_of(unit) and deadline.kind != ReportKind.SURVEY
        attachments = []
    else:
        allowed = can_attach(user, submission)
        attachments = list(submission.attachments.select_related("uploaded_by"))
    return {"deadline": deadline, "unit": unit, "attachments": attachments, "can_attach": allowed, "next": next_path}


# -- names and types -------------------------------------------------------------------------------------


def display_name(name):
    """The uploader's file name without folders or control characters, short enough to store."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > 10:
        return name[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension


def download_name(attachment):
    """The uploader's name, with the extension of the type the content really has."""
    file_type = BY_CONTENT_TYPE.get(attachment.content_type)
    if file_type is None:
        return attachment.original_name
    stem, extension = os.path.splitext(attachment.original_name)
    if extension.lower() in file_type.extensions:
        return attachment.original_name
    return f"{stem or Attachment._meta.verbose_name}{file_type.extension}"


def type_label(content_type):
    file_type = BY_CONTENT_TYPE.get(content_type)
    return file_type.label if file_type else content_type


def _not_accepted(name):
    return AttachmentRefused(
        _(
            "%(name)s cannot be attached: only PDF, Word (.docx), Excel (.xlsx) and PNG, JPEG or GIF images "
            "are accepted, each at most %(size)s."
        )
        % {"name": name, "size": filesizeformat(MAX_BYTES)}
    )


def _office_type(uploaded, name):
    """A .docx or .xlsx by the parts its zip holds, once the zip is known not to be a bomb."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise AttachmentRefused(
            _("%(name)s is damaged and cannot be opened. Save it again, then attach the new copy.") % {"name": name}
        ) from exc
    finally:
        uploaded.seek(0)
    packed_too_tightly = any(
        member.file_size > PACKING_CHECKED_FROM and member.file_size > member.compress_size * MAX_PACKING_RATIO
        for member in members
    )
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or packed_too_tightly:
        raise AttachmentRefused(
            _("%(name)s unpacks to far more data than a document of its size holds, so it was not accepted.")
            % {"name": name}
        )
    names = {member.filename for member in members}
    if any(member.lower().endswith("vbaproject.bin") for member in names):
        raise AttachmentRefused(
            _("%(name)s contains macros. Save it as a Word or Excel document without macros and attach it again.")
            % {"name": name}
        )
    if "[Content_Types].xml" in names:
        for file_type, main_part in OFFICE_PARTS:
            if main_part in names:
                return file_type
    raise _not_accepted(name)


def detect_type(uploaded, name):
    """The file's type by its first bytes (and, for a zip, its members); refused if it is none we accept."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not head:
        raise AttachmentRefused(_("%(name)s is empty.") % {"name": name})
    for signature, file_type in SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head.startswith(ZIP_SIGNATURE):
        return _office_type(uploaded, name)
    if head.startswith(OLE2_SIGNATURE):
        raise AttachmentRefused(
            _(
                "%(name)s is an old-format (.doc, .xls) or password-protected Office file. "
                "Save it as .docx or .xlsx without a password and attach it again."
            )
            % {"name": name}
        )
    raise _not_accepted(name)


# -- writes ----------------------------------------------------------------------------------------------


def _check_may_change(submission, user, refusal):
    if not user.is_staff_of(submission.unit):
        raise AttachmentRefused(refusal)
    if submission.is_locked:
        raise AttachmentRefused(_("A submitted or approved report cannot be changed."))


def _check_room(count):
    if count >= MAX_FILES:
        raise AttachmentRefused(
            _("A report may have at most %(count)d attachments. Delete one before adding another.")
            % {"count": MAX_FILES}
        )


def _lock_for_change(submission):
    """Hold the report's row until commit, so a submit or another upload waits for this change."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.is_locked:
        raise AttachmentRefused(_("A submitted or approved report cannot be changed."))
    return current


def _mark_changed(submission):
    Submission.objects.filter(pk=submission.pk).update(version=F("version") + 1, updated_at=timezone.now())


def attachment_add(submission, *, user, uploaded):
    """Attach an uploaded file to a draft or returned report of the user's own unit."""
    _check_may_change(submission, user, _("Only the unit's own staff may attach files to its report."))
    if submission.deadline.kind == ReportKind.SURVEY:
        raise AttachmentRefused(_("Files can be attached to plans, progress reports and summary reports only."))
    _check_room(submission.attachments.count())
    name = display_name(uploaded.name) or str(Attachment._meta.verbose_name)
    if uploaded.size > MAX_BYTES:
        raise AttachmentRefused(
            _("%(name)s is larger than %(size)s, the most one attachment may be. Compress it or split it.")
            % {"name": name, "size": filesizeformat(MAX_BYTES)}
        )
    file_type = detect_type(uploaded, name)
    with transaction.atomic():
        current = _lock_for_change(submission)
        _check_room(current.attachments.count())
        attachment = Attachment(
            submission=current,
            original_name=name,
            content_type=file_type.content_type,
            size=uploaded.size,
            uploaded_by=user,
        )
        attachment.file.save(name, uploaded, save=False)
        try:
            attachment.save()
            _mark_changed(current)
            _log(current, AttachmentChange.Action.ADDED, name, user)
        except Exception:
            # The row is not saved, so nothing else would ever remove the stored file.
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def attachment_delete(attachment, *, user):
    """Remove an attachment from a draft or returned report; its file goes once the removal is committed."""
    submission = attachment.submission
    _check_may_change(submission, user, _("Only the unit's own staff may remove its report's attachments."))
    storage, stored_name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        current = _lock_for_change(submission)
        deleted, _rows = Attachment.objects.filter(pk=attachment.pk).delete()
        if deleted:
            _mark_changed(current)
            _log(current, AttachmentChange.Action.DELETED, attachment.original_name, user)
            transaction.on_commit(lambda: storage.delete(stored_name))


def _log(submission, action, name, user):
    """A line on the report's timeline: which file came or went, who, when."""
    AttachmentChange.objects.create(submission=submission, action=action, file_name=name, actor=user)


@transaction.atomic
def report_attach(deadline, unit, *, user, uploaded):
    """Attach a file to the unit's report, creating the draft with it when nothing was saved before.

    A refused file leaves no draft behind: the draft and the file are one change.
    """
    if not user.is_staff_of(unit):
        raise AttachmentRefused(_("Only the unit's own staff may attach files to its report."))
    return attachment_add(submission_for(deadline, unit), user=user, uploaded=uploaded)
