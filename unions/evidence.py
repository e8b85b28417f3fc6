"""Evidence files of the 八有 checklist: what is accepted, judged by the content and never by the name.

Accepted: PDF; PNG, JPEG or GIF images; Word (.docx) and Excel (.xlsx) documents whose zip unpacks to no more
than a document of its size holds and carries no macros. At most 10 MB.
"""

import os
import zipfile

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 200
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", GIF: ".gif", DOCX: ".docx", XLSX: ".xlsx"}
# What the file picker offers; the server decides by content anyway.
ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.docx,.xlsx"

MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF), (b"GIF89a", GIF))
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


class EvidenceRefused(Exception):
    """A file that may not be kept as evidence; the message says why."""


def clean_name(name):
    """The uploader's file name without folders or control characters, short enough to store."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    return stem[: MAX_NAME_LENGTH - len(extension)] + extension if len(extension) <= 10 else name[:MAX_NAME_LENGTH]


def download_name(name, content_type):
    """The stored display name, with an extension that matches what the content really is."""
    extension = EXTENSIONS.get(content_type, "")
    stem, current = os.path.splitext(name)
    if not extension or current.lower() == extension or (content_type == JPEG and current.lower() == ".jpeg"):
        return name
    return f"{stem or 'evidence'}{extension}"


def _refused_type(name):
    return EvidenceRefused(
        _(
            "%(name)s cannot be kept as evidence: only PDF, Word (.docx), Excel (.xlsx) and PNG, JPEG or GIF images "
            "are accepted, each at most %(size)s."
        )
        % {"name": name, "size": filesizeformat(MAX_BYTES)}
    )


def _office_type(uploaded, name):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise EvidenceRefused(_("%(name)s is damaged and cannot be opened.") % {"name": name}) from exc
    finally:
        uploaded.seek(0)
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise EvidenceRefused(
            _("%(name)s unpacks to far more data than a document of its size holds.") % {"name": name}
        )
    names = {member.filename for member in members}
    if any(member.lower().endswith("vbaproject.bin") for member in names):
        raise EvidenceRefused(_("%(name)s contains macros; save it without macros.") % {"name": name})
    for main_part, content_type in OFFICE_MAIN_PARTS:
        if "[Content_Types].xml" in names and main_part in names:
            return content_type
    raise _refused_type(name)


def check_evidence_file(uploaded):
    """(display name, content type) of an acceptable evidence file; EvidenceRefused otherwise."""
    name = clean_name(uploaded.name) or "evidence"
    if uploaded.size > MAX_BYTES:
        raise EvidenceRefused(
            _("%(name)s is larger than %(size)s. Compress it or keep a smaller scan.")
            % {"name": name, "size": filesizeformat(MAX_BYTES)}
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not head:
        raise EvidenceRefused(_("%(name)s is empty.") % {"name": name})
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return name, content_type
    if head.startswith(ZIP_MAGIC):
        return name, _office_type(uploaded, name)
    raise _refused_type(name)
