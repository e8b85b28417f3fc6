"""The upload: read and check every row, then the whole file against the rolls, and store the preview."""

import datetime
import json
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from campaign_portal.dates import long_date
from enterprises.credit_code import compact
from enterprises.imports.files import MAX_COLUMNS, ImportRefused, is_blank, open_rows, refusal
from enterprises.models import Enterprise
from enterprises.resources import CellError, ChinaDateWidget, YesNoWidget, as_text
from enterprises.xlsx import XlsxError
from members import crypto
from members.ethnicity import ethnicity_code
from members.idnumbers import birth_date_of, mask_id, mask_phone, normalise_id, normalise_phone
from members.imports.columns import COLUMN_OF, COLUMNS, REQUIRED_FIELDS, SEXES, chunks, column_for, status_labels
from members.models import MemberImportBatch, Membership, MembershipStatus, Person
from members.services import MEMBER_HOLDING_KINDS, already_a_member_message

MAX_ROWS = 100_000
# Every error is listed, up to this many: a file with more is better corrected from the first ones.
MAX_STORED_ERRORS = 10_000
NAME_LENGTH = Person._meta.get_field("name").max_length
CARD_LENGTH = Membership._meta.get_field("card_number").max_length
_YES_NO = YesNoWidget(default=False)
_DATE = ChinaDateWidget()
# Positions in a checked row (see members.imports for the layout).
ROW, ID_NUMBER, EMPLOYER, CARD, PERSON = 0, 4, 8, 10, 12


# A run of digits as long as an ID number's, wherever it was typed (a file without its header row, a number in the
# phone column): the error list shows it masked too.
LOOKS_LIKE_AN_ID = re.compile(r"[0-9]{14,17}[0-9Xx]")


def _shown(value):
    """A cell's value as the error list shows it: short, and never a full ID number."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return long_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return LOOKS_LIKE_AN_ID.sub(lambda match: mask_id(match.group()), str(value))[:60]


def _masked(raw):
    """An ID cell as an error may show it: masked, whatever was typed."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return mask_id(as_text(raw))


class MemberRowChecker:
    """Checks the rows of one upload for one union and collects every error, with its row and column."""

    def __init__(self, user, union):
        self.user, self.union = user, union
        self.statuses = status_labels()
        self.today = timezone.localdate()
        self.errors = []  # (row, column position, header, value, message)
        self.error_total = 0
        self.invalid_rows = set()
        self.mapping = []  # (column, position in the row)

    def error(self, row_number, column, value, message):
        self.error_total += 1
        self.invalid_rows.add(row_number)
        if len(self.errors) < MAX_STORED_ERRORS:
            position = COLUMNS.index(column) if column is not None else -1
            header = column.header if column is not None else ""
            self.errors.append((row_number, position, header, _shown(value), str(message)))

    def read_header(self, rows):
        for row_number, row in rows:
            if is_blank(row):
                continue
            if len(row) > MAX_COLUMNS:
                raise ImportRefused(_("The first sheet has more than 100 columns; is it the member import template?"))
            seen = set()
            for index, title in enumerate(row):
                title = as_text(title)
                column = column_for(title)
                if not title:
                    continue
                if column is None:
                    self._header_error(row_number, index, title, _("This column is not in the template."))
                elif column.field in seen:
                    self._header_error(row_number, index, title, _("This column appears twice."))
                else:
                    seen.add(column.field)
                    self.mapping.append((column, index))
            missing = [column for column in COLUMNS if column.required and column.field not in seen]
            for column in missing:
                self.error(row_number, column, column.header, _("This column is missing; it must be in the file."))
            if missing:
                self.mapping = []  # no row can be checked; the errors above say what to add
            return
        raise ImportRefused(_("The first sheet is empty."))

    def _header_error(self, row_number, index, title, message):
        self.error_total += 1
        self.invalid_rows.add(row_number)
        self.errors.append((row_number, -1, get_column_letter(index + 1), _shown(title), str(message)))

    def clean_row(self, row_number, row):
        """The row's values by field (None where a cell could not be read), each error recorded."""
        values, failed = {}, set()
        for column, index in self.mapping:
            raw = row[index] if index < len(row) else None
            try:
                values[column.field] = getattr(self, f"_clean_{column.field}")(raw)
            except (CellError, ValidationError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                shown = _masked(raw) if column.field == "id_number" else raw
                if column.field == "phone":
                    shown = mask_phone(as_text(raw))
                self.error(row_number, column, shown, message)
                values[column.field] = None
                failed.add(column.field)
        self._check_required(row_number, values, failed)
        self._check_between_fields(row_number, values)
        return values

    def _check_required(self, row_number, values, failed):
        for field in REQUIRED_FIELDS - failed:
            if values.get(field) in (None, ""):
                self.error(row_number, COLUMN_OF[field], "", _("This column must be filled in."))

    def _check_between_fields(self, row_number, values):
        number, sex = values.get("id_number"), values.get("sex")
        if number and sex and int(number[16]) % 2 != (sex == "M"):
            self.error(row_number, COLUMN_OF["sex"], values["sex"], _("The sex does not match the ID number."))
        if values.get("migrant_worker") and not values.get("rural_household"):
            self.error(
                row_number,
                COLUMN_OF["migrant_worker"],
                _("Yes"),
                _("A migrant worker has a rural household registration."),
            )
        joined = values.get("joined_on")
        if joined and joined > self.today:
            self.error(row_number, COLUMN_OF["joined_on"], joined, _("This date cannot be in the future."))
        elif joined and number and joined < birth_date_of(number):
            self.error(
                row_number,
                COLUMN_OF["joined_on"],
                joined,
                _("The date joined is before the birth date in the ID number."),
            )

    def _clean_name(self, raw):
        name = as_text(raw)
        if len(name) > NAME_LENGTH:
            raise CellError(_("A name has at most %(limit)d characters.") % {"limit": NAME_LENGTH})
        return name

    def _clean_sex(self, raw):
        text = as_text(raw).upper()
        if not text:
            return None
        if text not in SEXES:
            raise CellError(_("Enter 男 or 女."))
        return SEXES[text]

    def _clean_ethnicity(self, raw):
        if raw is None or raw == "":
            return None
        code = ethnicity_code(as_text(raw))
        if code is None:
            raise CellError(_("Choose an ethnic group from the list, such as 藏族 or 汉族."))
        return code

    def _clean_id_number(self, raw):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raise CellError(
                _(
                    "The ID number was typed as a number, and Excel keeps only 15 significant digits: "
                    "format the column as text and type the number again."
                )
            )
        if raw is None or raw == "":
            return None
        return normalise_id(raw, today=self.today)

    def _clean_phone(self, raw):
        return normalise_phone(as_text(raw))

    def _clean_rural_household(self, raw):
        return _YES_NO.clean(raw)

    _clean_migrant_worker = _clean_rural_household

    def _clean_employer(self, raw):
        return compact(as_text(raw)) or None

    def _clean_joined_on(self, raw):
        value = _DATE.clean(raw)
        return value.date() if isinstance(value, datetime.datetime) else value

    def _clean_card_number(self, raw):
        card = as_text(raw)
        if len(card) > CARD_LENGTH:
            raise CellError(_("A member card number has at most %(limit)d characters.") % {"limit": CARD_LENGTH})
        return card or None

    def _clean_status(self, raw):
        text = as_text(raw)
        if not text:
            return MembershipStatus.MEMBER
        if text not in self.statuses:
            raise CellError(_("Choose 会员 or 保留会籍: an import enrols current members."))
        return self.statuses[text]

    def stored_row(self, row_number, values):
        return [
            row_number,
            values.get("name") or "",
            values.get("sex"),
            values.get("ethnicity"),
            values.get("id_number"),
            values.get("phone") or "",
            bool(values.get("rural_household")),
            bool(values.get("migrant_worker")),
            values.get("employer"),
            values["joined_on"].isoformat() if values.get("joined_on") else None,
            values.get("card_number"),
            values.get("status") or MembershipStatus.MEMBER,
            None,
        ]

    def sorted_errors(self):
        return [[row, header, value, message] for row, _position, header, value, message in sorted(self.errors)]


def _read(checker, uploaded, progress):
    """Every data row, checked cell by cell, in the stored layout; and how many rows the file has."""
    archive, rows = open_rows(uploaded)
    checked, row_count = [], 0
    try:
        checker.read_header(rows)
        for row_number, row in rows:
            if is_blank(row):
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                raise ImportRefused(_("The file has more than 100,000 rows. Split it into several files."))
            if checker.mapping:
                checked.append(checker.stored_row(row_number, checker.clean_row(row_number, row)))
            if progress and row_count % 5000 == 0:
                progress(row_count, None)
    except XlsxError as exc:
        raise refusal(exc) from exc
    finally:
        archive.close()
    return checked, row_count


def _check_duplicate_numbers(checker, rows):
    """Within the file, through the blind index; returns each row's index (None for a row without a number)."""
    first_row_of, indexes = {}, []
    column = COLUMN_OF["id_number"]
    for row in rows:
        number = row[ID_NUMBER]
        index = crypto.blind_index(number) if number else None
        indexes.append(index)
        if index is None:
            continue
        if index in first_row_of:
            checker.error(
                row[ROW],
                column,
                mask_id(number),
                _("Same ID number as row %(row)d.") % {"row": first_row_of[index]},
            )
        else:
            first_row_of[index] = row[ROW]
    return indexes


def _check_existing_people(checker, rows, indexes):
    """Against the rolls, through the blind index: a current member is an error; a former one joins again."""
    row_of_index = {index: row for row, index in zip(rows, indexes, strict=True) if index}
    people = {}
    for chunk in chunks(list(row_of_index)):
        people.update(Person.objects.filter(id_index__in=chunk).values_list("pk", "id_index"))
    current = {}
    for chunk in chunks(list(people)):
        memberships = (
            Membership.objects.current()
            .filter(person_id__in=chunk)
            .select_related("person", "union")
            .defer("person__id_number", "person__phone")
        )
        current.update((membership.person_id, membership) for membership in memberships)
    for person_pk, index in people.items():
        row = row_of_index[index]
        if person_pk in current:
            checker.error(
                row[ROW], COLUMN_OF["id_number"], mask_id(row[ID_NUMBER]), already_a_member_message(current[person_pk])
            )
        else:
            row[PERSON] = person_pk


def _check_employers(checker, rows):
    """Each employer by its credit code, among the enterprises the user can see; the row gets its key."""
    codes = list({row[EMPLOYER] for row in rows if row[EMPLOYER]})
    found = {}
    visible = Enterprise.objects.visible_to(checker.user)
    for chunk in chunks(codes):
        found.update(visible.filter(credit_code__in=chunk).values_list("credit_code", "pk"))
    for row in rows:
        code = row[EMPLOYER]
        if code and code not in found:
            checker.error(
                row[ROW],
                COLUMN_OF["employer"],
                code,
                _("No enterprise with this credit code in the registry you can see."),
            )
        row[EMPLOYER] = found.get(code)


def _check_card_numbers(checker, rows):
    first_row_of = {}
    for row in rows:
        card = row[CARD]
        if not card:
            continue
        if card in first_row_of:
            checker.error(
                row[ROW],
                COLUMN_OF["card_number"],
                card,
                _("Same member card number as row %(row)d.") % {"row": first_row_of[card]},
            )
        else:
            first_row_of[card] = row[ROW]
    for chunk in chunks(list(first_row_of)):
        for card in Membership.objects.filter(card_number__in=chunk).values_list("card_number", flat=True):
            checker.error(
                first_row_of[card], COLUMN_OF["card_number"], card, _("This member card number is already in use.")
            )


def _check_union(user, union):
    if union.kind not in MEMBER_HOLDING_KINDS or not user.can_edit(union):
        raise ImportRefused(_("You may not import members into %(union)s.") % {"union": union.name})


def member_import_check(uploaded, *, user, union, progress=None):
    """Read and check the whole file for `union`; the batch holds the rows ready to save, or every error found."""
    _check_union(user, union)
    checker = MemberRowChecker(user, union)
    rows, row_count = _read(checker, uploaded, progress)
    if row_count == 0 and not checker.error_total:
        raise ImportRefused(_("The file has a header row but no members."))
    if rows:
        indexes = _check_duplicate_numbers(checker, rows)
        _check_existing_people(checker, rows, indexes)
        _check_employers(checker, rows)
        _check_card_numbers(checker, rows)
    if progress:
        progress(row_count, row_count)
    valid = not checker.error_total
    return MemberImportBatch.objects.create(
        created_by=user,
        union=union,
        file_name=(uploaded.name or "")[:200],
        status=MemberImportBatch.Status.PREVIEWED if valid else MemberImportBatch.Status.REFUSED,
        row_count=row_count,
        invalid_count=len(checker.invalid_rows),
        errors=checker.sorted_errors(),
        error_total=checker.error_total,
        rows=json.dumps(rows, separators=(",", ":"), ensure_ascii=False) if valid else "",
    )
