"""The registry as a spreadsheet: one row generator, rendered to xlsx or CSV with bounded memory.

Rows are read as tuples in chunks (never as model instances); county and unit names come from
small dictionaries loaded once per export. Text that a spreadsheet would take for a formula is
always written as text.
"""

import csv
import io
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ERROR_CODES

from enterprises.models import Enterprise
from enterprises.resources import column_header
from enterprises.services import ENTERED_FIELDS
from enterprises.xlsx import write_sheet
from unions.models import Division, UnionOrg

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows fetched from the database per round trip (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000
# Bytes per piece of the streamed workbook.
STREAM_BLOCK_SIZE = 64 * 1024
# CSV rows per piece of the streamed response.
CSV_ROWS_PER_CHUNK = 1000
# Excel and LibreOffice read a cell starting with one of these as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")
# Column widths (in characters) wider than the default, for the long text fields.
WIDTHS = {
    "credit_code": 22,
    "name": 34,
    "address": 40,
    "responsible_unit": 22,
    "industry": 30,
    "key_sector": 18,
    "development_zone": 22,
    "registered_on": 12,
    "union_status": 18,
    "union_founded_on": 12,
    "parent_group": 22,
    "operator_post": 18,
    "notes": 40,
}
DEFAULT_WIDTH = 10


@dataclass(frozen=True)
class Column:
    header: str
    # What `values_list` selects for this column.
    lookup: str
    # Turns the stored value into the one shown; None shows it as stored.
    render: Callable | None
    width: int


def _display_width(text):
    """Characters as a spreadsheet counts them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _column(header, lookup, render=None, width=DEFAULT_WIDTH):
    return Column(str(header), lookup, render, max(width, _display_width(str(header)) + 2))


def _labels(choices):
    """code → label, with an empty code shown empty as the change history shows it."""
    labels = {code: str(label) for code, label in choices}
    labels[""] = ""
    return labels.get


def export_columns():
    """The import template's columns and headers, so that an export can be corrected and imported back."""
    counties = dict(Division.objects.filter(level=Division.Level.COUNTY).values_list("code", "name"))
    units = dict(UnionOrg.objects.values_list("pk", "name"))
    yes, no = _("Yes"), _("No")

    def yes_no(value):
        return yes if value else no

    columns = []
    for name in ENTERED_FIELDS:
        field = Enterprise._meta.get_field(name)
        header, width = column_header(name), WIDTHS.get(name, DEFAULT_WIDTH)
        if name == "county":
            columns.append(_column(header, "county_id", counties.get, width))
        elif name == "responsible_unit":
            columns.append(_column(header, "responsible_unit_id", units.get, width))
        elif name == "parent_group":
            columns.append(_column(header, "parent_group__credit_code", None, width))
        elif field.get_internal_type() == "BooleanField":
            columns.append(_column(header, name, yes_no, width))
        elif field.choices:
            columns.append(_column(header, name, _labels(field.choices), width))
        else:
            columns.append(_column(header, name, None, width))
    return columns


def export_headers():
    return [column.header for column in export_columns()]


def export_rows(queryset, columns):
    """One list of shown values per enterprise of `queryset`, in its order (dates stay dates)."""
    lookups = list(dict.fromkeys(column.lookup for column in columns))
    plan = [(lookups.index(column.lookup), column.render) for column in columns]
    for record in queryset.values_list(*lookups).iterator(chunk_size=CHUNK_SIZE):
        yield [record[index] if render is None else render(record[index]) for index, render in plan]


def is_formula_like(text):
    return bool(text) and (text[0] in FORMULA_STARTS or text in ERROR_CODES)


# xlsx


def _as_is(rows):
    return rows


def write_xlsx(queryset, file, wrap_rows=_as_is):
    """Write the export to `file` (a path or a binary file), streaming rows straight into the workbook.

    `wrap_rows` sees the rows go by (a background job counts them)."""
    columns = export_columns()
    write_sheet(
        file,
        title=_("Enterprise registry"),
        header=[column.header for column in columns],
        widths=[column.width for column in columns],
        rows=wrap_rows(export_rows(queryset, columns)),
    )


def xlsx_response(queryset, filename):
    """The workbook is built in a temporary file (deleted when the response closes), then streamed."""
    # Not a `with` block: the response closes the file once it has been sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(queryset, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response.block_size = STREAM_BLOCK_SIZE
    return response


# CSV


def _csv_value(value):
    if value.__class__ is str and is_formula_like(value):
        return "'" + value
    return value


def csv_chunks(queryset, wrap_rows=_as_is):
    """UTF-8 with a byte-order mark, so that Excel reads the Chinese; one piece per thousand rows."""
    columns = export_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_csv_value(column.header) for column in columns])
    for number, row in enumerate(wrap_rows(export_rows(queryset, columns)), 1):
        writer.writerow([_csv_value(value) for value in row])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _first_piece_read(chunks):
    """The pieces, the first of them already read: in the view, where a failing database still gets its page."""
    first = next(chunks)

    def pieces():
        yield first
        yield from chunks

    return pieces()


def csv_response(queryset, filename):
    """Streamed without a length. If the database fails before the first piece, the view raises and the user gets
    the try-again page (campaign_portal.middleware); if it fails later, the error propagates out of the response's
    iteration and the WSGI server closes the connection before the end of the chunked body, so that the browser
    reports a failed download instead of keeping a cut-off file that looks complete."""
    response = StreamingHttpResponse(_first_piece_read(csv_chunks(queryset)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


RESPONSES = {"xlsx": xlsx_response, "csv": csv_response}
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}


def export_bytes(queryset, kind, wrap_rows=_as_is):
    """The whole export as bytes, for a background job to store (kind is xlsx or csv)."""
    if kind == "csv":
        return b"".join(csv_chunks(queryset, wrap_rows))
    with tempfile.TemporaryFile() as file:
        write_xlsx(queryset, file, wrap_rows)
        file.seek(0)
        return file.read()


def export_filename(user, extension):
    """企业名录_<the user's unit>_<date in Asia/Shanghai>; 全区 for those who see every unit."""
    organisation = user.organisation
    if user.sees_everything or organisation is None:
        area = _("Whole region")
    else:
        area = organisation.short_name or organisation.name
    name = f"{_('Enterprise registry')}_{area}_{timezone.localdate():%Y%m%d}.{extension}"
    return name.replace("/", "_").replace("\\", "_")
