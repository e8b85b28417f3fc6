"""Reads of the registry that are more than a QuerySet method."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from enterprises.models import Enterprise
from enterprises.resources import COLUMNS, headers

PREVIEW_ROWS = 200


def import_template_file():
    """The import template: Chinese headers and one example row, as an in-memory xlsx."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录"
    sheet.append(headers())
    sheet.append([example for _name, _widget, example in COLUMNS])
    for index, title in enumerate(headers(), start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(title) * 2 + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def preview_context(batch):
    """What the preview page shows: the counts, every stored error, and the first rows of each kind."""
    new_rows, changed_rows = [], []
    if batch.fields:
        name_at = batch.fields.index("name")
        code_at = batch.fields.index("credit_code")
        for row_number, action, _pk, _version, values, diff in batch.rows:
            target = new_rows if action == "new" else changed_rows
            if len(target) < PREVIEW_ROWS:
                changes = [
                    (Enterprise._meta.get_field(field).verbose_name, old, new)
                    for field, (old, new) in (diff or {}).items()
                ]
                target.append({"row": row_number, "name": values[name_at], "code": values[code_at], "changes": changes})
    return {
        "batch": batch,
        "new_rows": new_rows,
        "changed_rows": changed_rows,
        "preview_limit": PREVIEW_ROWS,
        "errors_not_shown": batch.error_total - len(batch.errors),
    }
