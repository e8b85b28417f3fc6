"""The upload: read and check the whole file, compare it with the registry, store the preview."""

from django.utils.translation import gettext as _

from enterprises.imports.compare import classify
from enterprises.imports.files import ImportRefused, is_blank, open_rows, refusal
from enterprises.imports.rows import RowChecker
from enterprises.xlsx import XlsxError

MAX_ROWS = 100_000


def _check_unique_code(checker, row_number, code, first_row_of_code):
    if code in first_row_of_code:
        checker.error(
            row_number,
            checker.titles["credit_code"],
            code,
            _("Row %(row)d and row %(first)d have the same credit code.")
            % {"row": row_number, "first": first_row_of_code[code]},
        )
    else:
        first_row_of_code[code] = row_number


def import_check(uploaded, *, user):
    """Read and check the whole file; the batch says what would change, or every error found."""
    checker = RowChecker(user)
    archive, rows = open_rows(uploaded)
    try:
        _header_row, mapping = checker.read_header(rows)
        fields = [field for field, _i, _t in mapping]
        if mapping and "responsible_unit" not in fields:
            fields.append("responsible_unit")  # every new row needs one, even from a file without its column
        cleaned, first_row_of_code, row_count = [], {}, 0
        for row_number, row in rows:
            if is_blank(row):
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                raise ImportRefused(_("The file has more than 100,000 rows. Split it into several files."))
            if not mapping:
                continue
            values, failed = checker.clean_row(row_number, row, mapping)
            if "credit_code" not in failed:
                _check_unique_code(checker, row_number, values["credit_code"], first_row_of_code)
            # A tuple in the column order: a large file's checked rows take half the memory of dicts. A row with
            # errors is kept too (its values as far as they could be read), for the checks against the registry.
            valid = row_number not in checker.invalid_rows
            cleaned.append((row_number, tuple(values.get(field) for field in fields), valid))
    except XlsxError as exc:
        raise refusal(exc) from exc
    finally:
        archive.close()
    if row_count == 0 and not checker.error_total:
        raise ImportRefused(_("The file has a header row but no enterprises."))
    return classify(checker, uploaded.name, fields, cleaned, row_count)
