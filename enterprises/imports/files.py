"""Opening an upload, or refusing it before it is read: wrong kind, too large, or a zip bomb."""

import zipfile

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from enterprises.xlsx import SheetReader, XlsxError, XlsxTooLarge
from enterprises.xlsx import reading as xlsx

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 100
# A workbook of 100,000 full rows unpacks to well under this; more means a zip bomb.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PACKING_RATIO = 200


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def damaged():
    return ImportRefused(_("The file is damaged and cannot be opened. Save it again in Excel and retry."))


def refusal(error):
    """The ImportRefused for a workbook the reader could not read: too large in some part, or damaged."""
    if not isinstance(error, XlsxTooLarge):
        return damaged()
    if error.what == "cell" and error.row:
        return ImportRefused(
            _(
                "Row %(row)d, column %(column)s holds more than %(limit)s characters, more than Excel allows in a "
                "cell. The file was not read."
            )
            % {"row": error.row, "column": get_column_letter(error.column + 1), "limit": f"{xlsx.MAX_CELL_CHARS:,}"}
        )
    if error.what == "cell":
        return ImportRefused(
            _("A cell of the file holds more than %(limit)s characters, more than Excel allows. The file was not read.")
            % {"limit": f"{xlsx.MAX_CELL_CHARS:,}"}
        )
    if error.what == "tag":
        return ImportRefused(
            _("The file holds a piece of XML far larger than any workbook's (over 4 MB in one tag); it was not read.")
        )
    return ImportRefused(
        _(
            "The file holds far more text than a registry of 100,000 rows; it was not read. "
            "Is it the registry template? Split it into several files if it is."
        )
    )


def open_rows(uploaded):
    """The first sheet's rows as tuples of values, after the checks that keep a bad file from costing memory."""
    if uploaded.size > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 20 MB. Split it into several files."))
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(_("This is an old .xls workbook. Save it as .xlsx (Excel Workbook) and upload again."))
    if not head.startswith(b"PK"):
        raise ImportRefused(_("This is not an Excel .xlsx file. Download the template and fill that in."))
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except zipfile.BadZipFile as exc:
        raise damaged() from exc
    if "xl/workbook.xml" not in names:
        raise ImportRefused(_("This is not an Excel .xlsx file. Download the template and fill that in."))
    unpacked = sum(member.file_size for member in members)
    packed_too_tightly = any(
        member.compress_size and member.file_size / member.compress_size > MAX_PACKING_RATIO
        for member in members
        if member.file_size > 1024 * 1024
    )
    if unpacked > MAX_UNPACKED_BYTES or packed_too_tightly:
        raise ImportRefused(_("The file unpacks to far more data than a registry can hold; it was not read."))
    uploaded.seek(0)
    archive = zipfile.ZipFile(uploaded)
    try:
        reader = SheetReader(archive, max_columns=MAX_COLUMNS)
    except XlsxError as exc:
        archive.close()
        raise refusal(exc) from exc
    return archive, reader.rows()


def is_blank(row):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)
