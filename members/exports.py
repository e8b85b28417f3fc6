"""The member list as a spreadsheet: one row generator, written to xlsx with bounded memory.

By default the ID and phone numbers are the masks the rolls keep beside them, and the encrypted columns are not
even read; full numbers are decrypted only for an export asked for with a reason (see members.views.files, which
logs it). Rows are read as tuples in chunks, never as model instances; text is written as text, never a formula.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.xlsx import write_sheet
from members.ethnicity import ETHNICITY_NAMES
from members.models import Membership, MembershipStatus, Person, Sex

CHUNK_SIZE = 2000
PROGRESS_EVERY = 5000
SHEET_TITLE = "会员名册"


def _columns(full_numbers):
    """(header, lookup, width) of each column; the number columns read the masks unless full numbers are asked for."""
    person = Person._meta
    return [
        (person.get_field("name").verbose_name, "person__name", 12),
        (person.get_field("sex").verbose_name, "person__sex", 6),
        (person.get_field("ethnicity").verbose_name, "person__ethnicity", 10),
        (person.get_field("id_number").verbose_name, "person__id_number" if full_numbers else "person__id_masked", 22),
        (person.get_field("birth_date").verbose_name, "person__birth_date", 12),
        (person.get_field("phone").verbose_name, "person__phone" if full_numbers else "person__phone_masked", 14),
        (person.get_field("rural_household").verbose_name, "person__rural_household", 10),
        (person.get_field("migrant_worker").verbose_name, "person__migrant_worker", 10),
        (Membership._meta.get_field("union").verbose_name, "union__name", 30),
        (Membership._meta.get_field("employer").verbose_name, "employer__name", 30),
        (Membership._meta.get_field("employer").verbose_name, "employer__credit_code", 22),
        (Membership._meta.get_field("joined_on").verbose_name, "joined_on", 12),
        (Membership._meta.get_field("card_number").verbose_name, "card_number", 16),
        (Membership._meta.get_field("status").verbose_name, "status", 10),
    ]


def _header(columns):
    titles = [str(title) for title, _lookup, _width in columns]
    titles[0] = pgettext("member import column", "Name")
    titles[10] = _("Employer's credit code")
    return titles


def _rows(queryset, columns, progress, total):
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in MembershipStatus.choices}
    yes, no = _("Yes"), _("No")
    lookups = [lookup for _title, lookup, _width in columns]
    rows = queryset.order_by("union__path", "person__name", "pk").values_list(*lookups)
    for done, row in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
        row = list(row)
        row[1] = sexes.get(row[1], row[1])
        row[2] = ETHNICITY_NAMES.get(row[2], row[2])
        row[6] = yes if row[6] else no
        row[7] = yes if row[7] else no
        row[13] = statuses.get(row[13], row[13])
        yield row
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)


def export_members(queryset, *, full_numbers=False, progress=None, file=None):
    """The memberships of `queryset` as xlsx, numbers masked unless `full_numbers`: written to `file` when given
    (the response streams it from there, so the workbook is never held in memory), else returned as bytes."""
    columns = _columns(full_numbers)
    total = queryset.count() if progress else None
    buffer = file if file is not None else io.BytesIO()
    write_sheet(
        buffer,
        title=SHEET_TITLE,
        header=_header(columns),
        widths=[width for _title, _lookup, width in columns],
        rows=_rows(queryset, columns, progress, total),
    )
    if progress:
        progress(total, total)
    return None if file is not None else buffer.getvalue()
