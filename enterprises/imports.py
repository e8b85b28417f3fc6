"""Spreadsheet import of the registry: check everything first, then write all of it or nothing.

Upload (`import_check`) reads the whole workbook once, cell by cell through the
widgets in `resources.py`, validates every row as the model would, compares it
with the registry in a few bulk queries and stores the outcome as an ImportBatch.
Confirmation (`import_commit`) writes the stored rows in one transaction, once.

A stored row is `[row number, action, pk, version, values, diff]`: `values` line up
with `batch.fields` (foreign keys already resolved to their keys, the group
headquarters as its credit code), `diff` maps a changed field to its old and new
text as shown in the preview.
"""

import datetime
import zipfile

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from enterprises import tallies
from enterprises.credit_code import validate_credit_code
from enterprises.forms import counties_for, reporting_units_for
from enterprises.models import Enterprise, EnterpriseChange, ImportBatch, UnionStatus
from enterprises.resources import COLUMNS, REQUIRED_COLUMNS, CellError, header_aliases
from enterprises.xlsx import SheetReader, XlsxError
from unions.models import UnionOrg

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100
# A workbook of 100,000 full rows unpacks to well under this; more means a zip bomb.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PACKING_RATIO = 200
MAX_STORED_ERRORS = 2000
QUERY_CHUNK = 900  # under SQLite's limit on query parameters

WIDGETS = {name: widget for name, widget, _example in COLUMNS}
FOREIGN_KEYS = {"county": "county_id", "responsible_unit": "responsible_unit_id", "parent_group": "parent_group_id"}
# How the registry's current value of each field is read for comparison.
STORED_AS = {**FOREIGN_KEYS, "parent_group": "parent_group__credit_code"}
DATE_FIELDS = {"registered_on", "union_founded_on"}
# Model validation for the plain fields; foreign keys are resolved from in-memory tables instead,
# and the credit code has its own check.
MODEL_RULES = {
    name: (field, {code for code, _label in field.flatchoices} if field.choices else None, tuple(field.validators))
    for name, field in ((name, Enterprise._meta.get_field(name)) for name in WIDGETS)
    if name not in FOREIGN_KEYS and name != "credit_code"
}


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def _open_rows(uploaded):
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
        raise ImportRefused(_("The file is damaged and cannot be opened. Save it again in Excel and retry.")) from exc
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
        raise ImportRefused(_("The file is damaged and cannot be opened. Save it again in Excel and retry.")) from exc
    return archive, reader.rows()


def _shown(value):
    """A cell's value as the error list shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)[:60]


def _is_blank(row):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


class RegistryImport:
    """Checks one uploaded workbook for one user."""

    def __init__(self, user):
        self.user = user
        self.aliases = header_aliases()
        self.counties = self._county_table()
        self.units = self._unit_table()
        self.default_units = {
            org.division_id: org.pk
            for org in UnionOrg.objects.filter(kind=UnionOrg.Kind.PREFECTURE_FEDERATION).only("pk", "division_id")
        }
        self.unit_names = dict(UnionOrg.objects.values_list("pk", "name"))
        self.errors = []
        self.error_total = 0
        self.invalid_rows = set()

    def _county_table(self):
        table = {}
        for county in counties_for(self.user):
            table[county.code] = county
            table[county.name] = county
            table[f"{county.parent.name}{county.name}"] = county
        return table

    def _unit_table(self):
        table = {}
        for unit in reporting_units_for(self.user):
            for key in (unit.code, unit.name, unit.short_name):
                if key:
                    table[key] = unit.pk
        return table

    def error(self, row_number, column, value, message):
        self.error_total += 1
        self.invalid_rows.add(row_number)
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append([row_number, column, _shown(value), str(message)])

    # -- reading ---------------------------------------------------------------------------------------

    def read_header(self, rows):
        for row_number, row in rows:
            if _is_blank(row):
                continue
            if len(row) > MAX_COLUMNS:
                raise ImportRefused(_("The first sheet has more than 100 columns; is it the registry template?"))
            mapping = []
            for index, title in enumerate(row):
                title = "" if title is None else str(title).strip()
                if not title:
                    continue
                field = self.aliases.get(title)
                if field is None:
                    self.error(
                        row_number, get_column_letter(index + 1), title, _("This column is not in the template.")
                    )
                elif field in {name for name, _i, _t in mapping}:
                    self.error(row_number, get_column_letter(index + 1), title, _("This column appears twice."))
                else:
                    mapping.append((field, index, title))
            missing = REQUIRED_COLUMNS - {name for name, _i, _t in mapping}
            for field in sorted(missing):
                label = str(Enterprise._meta.get_field(field).verbose_name)
                self.error(row_number, "", label, _("This column is missing; it must be in the file."))
            # Without the required columns no row can be checked; the errors above say what to add.
            return row_number, [] if missing else mapping
        raise ImportRefused(_("The first sheet is empty."))

    def clean_row(self, row_number, row, mapping):
        values = {}
        for field, index, title in mapping:
            raw = row[index] if index < len(row) else None
            try:
                values[field] = WIDGETS[field].clean(raw)
            except CellError as exc:
                self.error(row_number, title, raw, exc)
        if row_number in self.invalid_rows:
            return None
        return self.check_row(row_number, values, {field: title for field, _i, title in mapping})

    def check_row(self, row_number, values, titles):
        """Row-level rules: the model's own validation, scope, and the rules between fields."""
        for field in sorted(REQUIRED_COLUMNS):
            if values.get(field) in (None, ""):
                self.error(row_number, titles[field], "", _("This column must be filled in."))
        if row_number in self.invalid_rows:
            return None
        try:
            values["credit_code"] = validate_credit_code(values["credit_code"])
        except ValidationError as exc:
            self.error(row_number, titles["credit_code"], values["credit_code"], exc.messages[0])
        county = self.counties.get(values["county"])
        if county is None:
            self.error(
                row_number, titles["county"], values["county"], _("No such county in your area. Use its code or name.")
            )
        else:
            values["county"] = county.code
            self._resolve_unit(row_number, values, titles, county)
        self._check_between_fields(row_number, values, titles)
        self._check_with_model(row_number, values, titles)
        return None if row_number in self.invalid_rows else values

    def _resolve_unit(self, row_number, values, titles, county):
        given = values.get("responsible_unit", "")
        if not given:
            values["responsible_unit"] = self.default_units[county.parent_id]
        elif given in self.units:
            values["responsible_unit"] = self.units[given]
        else:
            self.error(
                row_number,
                titles["responsible_unit"],
                given,
                _("This reporting unit is not one you may file for. Leave it empty for the prefecture's federation."),
            )

    def _check_between_fields(self, row_number, values, titles):
        headcount, migrants = values.get("headcount"), values.get("migrant_workers")
        if headcount is not None and migrants is not None and migrants > headcount:
            self.error(
                row_number, titles["migrant_workers"], migrants, _("There cannot be more migrant workers than staff.")
            )
        if values.get("union_status") == UnionStatus.NONE and values.get("union_founded_on"):
            self.error(
                row_number,
                titles["union_founded_on"],
                values["union_founded_on"],
                _("An enterprise without a union has no union founding date."),
            )
        today = timezone.localdate()
        for field in DATE_FIELDS & values.keys():
            if values[field] and values[field] > today:
                self.error(row_number, titles[field], values[field], _("This date cannot be in the future."))
        if values.get("parent_group") and values["parent_group"].upper() == values.get("credit_code"):
            self.error(
                row_number,
                titles["parent_group"],
                values["parent_group"],
                _("An enterprise cannot be its own group headquarters."),
            )

    def _check_with_model(self, row_number, values, titles):
        """The model fields' own rules (blank, choices, lengths, ranges), as Model.clean_fields applies them.

        The widgets have already converted each cell to the field's type, so only the rules are run:
        SQLite would otherwise accept what PostgreSQL refuses (too long a name, too large a number).
        """
        for field, (model_field, choices, validators) in MODEL_RULES.items():
            if field not in values:
                continue
            value = values[field]
            try:
                if value in model_field.empty_values:
                    if not model_field.blank:
                        raise ValidationError(model_field.error_messages["blank"])
                    continue
                if choices is not None and value not in choices:
                    raise ValidationError(model_field.error_messages["invalid_choice"], params={"value": value})
                for validator in validators:
                    validator(value)
            except ValidationError as exc:
                self.error(row_number, titles.get(field, field), value, exc.messages[0])

    # -- comparing with the registry ----------------------------------------------------------------

    def existing(self, codes, fields):
        """Current values of the enterprises with these codes, and which of them the user may see."""
        lookups = ["id", "version", "credit_code", "headcount", "migrant_workers"]
        lookups += [STORED_AS.get(field, field) for field in fields]
        current, visible = {}, set()
        codes = list(codes)
        for start in range(0, len(codes), QUERY_CHUNK):
            chunk = codes[start : start + QUERY_CHUNK]
            for row in Enterprise.objects.filter(credit_code__in=chunk).values_list(*lookups):
                current[row[2]] = row
            visible.update(
                Enterprise.objects.visible_to(self.user)
                .filter(credit_code__in=chunk)
                .values_list("credit_code", flat=True)
            )
        return current, visible

    def display(self, field, value):
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field == "county":
            county = self.counties.get(value)
            return county.name if county else value
        if field == "responsible_unit":
            return self.unit_names.get(value, str(value))
        choices = Enterprise._meta.get_field(field).choices if field not in FOREIGN_KEYS else None
        if choices:
            return str(dict(choices).get(value, value))
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def _both_empty(old, new):
    return old in (None, "") and new in (None, "")


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def import_check(uploaded, *, user):
    """Read and check the whole file; the batch says what would change, or every error found."""
    checker = RegistryImport(user)
    archive, rows = _open_rows(uploaded)
    try:
        _header_row, mapping = checker.read_header(rows)
        fields = [field for field, _i, _t in mapping]
        cleaned, first_row_of_code, row_count = [], {}, 0
        for row_number, row in rows:
            if _is_blank(row):
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                raise ImportRefused(_("The file has more than 100,000 rows. Split it into several files."))
            values = checker.clean_row(row_number, row, mapping) if mapping else None
            if values is None:
                continue
            code = values["credit_code"]
            if code in first_row_of_code:
                checker.error(
                    row_number,
                    next(title for field, _i, title in mapping if field == "credit_code"),
                    code,
                    _("Row %(row)d and row %(first)d have the same credit code.")
                    % {"row": row_number, "first": first_row_of_code[code]},
                )
                continue
            first_row_of_code[code] = row_number
            # A tuple in the column order: a large file's checked rows take half the memory of dicts.
            cleaned.append((row_number, tuple(values[field] for field in fields)))
    except XlsxError as exc:
        raise ImportRefused(_("The file is damaged and cannot be opened. Save it again in Excel and retry.")) from exc
    finally:
        archive.close()
    if row_count == 0 and not checker.error_total:
        raise ImportRefused(_("The file has a header row but no enterprises."))
    return _classify(checker, uploaded.name, fields, cleaned, row_count)


def _classify(checker, file_name, fields, cleaned, row_count):
    at = {field: index for index, field in enumerate(fields)}
    code_at, group_at, migrants_at = at.get("credit_code"), at.get("parent_group"), at.get("migrant_workers")
    codes_in_file = {values[code_at] for _n, values in cleaned}
    current, visible = checker.existing(codes_in_file, fields)
    stored, counts = [], {"new": 0, "changed": 0, "unchanged": 0}
    for row_number, values in cleaned:
        code = values[code_at]
        group = (values[group_at] or "").upper() if group_at is not None else ""
        if group and group not in codes_in_file and group not in visible:
            checker.error(
                row_number, "", group, _("No enterprise with the code %(code)s in your area.") % {"code": group}
            )
            continue
        existing = current.get(code)
        if existing is None:
            action, pk, version, diff = "new", None, None, None
        elif code not in visible:
            checker.error(
                row_number, "", code, _("This enterprise belongs to another unit's area; it cannot be imported here.")
            )
            continue
        else:
            pk, version, old = existing[0], existing[1], existing[5:]
            migrants = values[migrants_at] if migrants_at is not None else existing[4]
            if migrants is not None and migrants > values[at["headcount"]]:
                checker.error(row_number, "", migrants, _("There cannot be more migrant workers than staff."))
                continue
            diff = {
                field: [checker.display(field, old[index]), checker.display(field, values[index])]
                for index, field in enumerate(fields)
                if old[index] != values[index] and index != code_at and not _both_empty(old[index], values[index])
            }
            action = "changed" if diff else "unchanged"
        counts[action] += 1
        if action != "unchanged":
            stored.append([row_number, action, pk, version, [_json_value(value) for value in values], diff])
    refused = bool(checker.error_total)
    return ImportBatch.objects.create(
        created_by=checker.user,
        file_name=file_name[:200],
        status=ImportBatch.Status.REFUSED if refused else ImportBatch.Status.PREVIEWED,
        row_count=row_count,
        new_count=counts["new"],
        changed_count=counts["changed"],
        unchanged_count=counts["unchanged"],
        invalid_count=len(checker.invalid_rows),
        errors=checker.errors,
        error_total=checker.error_total,
        fields=fields if not refused else [],
        rows=stored if not refused else [],
    )


class ImportNotPossible(Exception):
    """The confirmation cannot be carried out; the message says why."""


def _values(fields, row_values):
    values = {}
    for field, value in zip(fields, row_values, strict=True):
        if field in DATE_FIELDS and value:
            value = datetime.date.fromisoformat(value)
        if field == "parent_group":
            continue
        values[FOREIGN_KEYS.get(field, field)] = value
    return values


def import_commit(batch, *, user):
    """Write every checked row in one transaction; a second confirmation of the same batch writes nothing."""
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, created_by=user, status=ImportBatch.Status.PREVIEWED).update(
            status=ImportBatch.Status.COMMITTED, committed_at=timezone.now()
        )
        if not claimed:
            raise ImportNotPossible(_("This file has already been imported, or it had errors and cannot be."))
        fields, rows = batch.fields, batch.rows
        _check_still_as_previewed(rows)
        new_codes = _create_new(fields, [row for row in rows if row[1] == "new"])
        _update_changed(fields, [row for row in rows if row[1] == "changed"])
        if "parent_group" in fields:
            _link_groups(fields, rows)
        # Rows may have moved between counties and units: every county is recounted, once.
        tallies.recount()
        _record_history(batch, user, new_codes)
        # The rows now live in the registry and its history; the batch keeps its counts and errors.
        ImportBatch.objects.filter(pk=batch.pk).update(rows=[])
    batch.refresh_from_db()
    return batch


def _check_still_as_previewed(rows):
    """Refuse if an enterprise the preview compared against has since been changed or deleted."""
    expected = {row[2]: (row[3], row[0]) for row in rows if row[1] == "changed"}
    found = {}
    pks = list(expected)
    for start in range(0, len(pks), QUERY_CHUNK):
        chunk = pks[start : start + QUERY_CHUNK]
        found.update(Enterprise.objects.filter(pk__in=chunk).values_list("pk", "version"))
    for pk, (version, row_number) in expected.items():
        if found.get(pk) != version:
            raise ImportNotPossible(
                _(
                    "Row %(row)d's enterprise was changed or deleted by someone else after the check. "
                    "Upload the file again."
                )
                % {"row": row_number}
            )


def _create_new(fields, rows):
    enterprises = [Enterprise(**_values(fields, row[4])) for row in rows]
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    return [enterprise.credit_code for enterprise in enterprises]


def _update_changed(fields, rows):
    if not rows:
        return
    enterprises = []
    for row in rows:
        enterprise = Enterprise(pk=row[2], **_values(fields, row[4]))
        enterprises.append(enterprise)
    columns = [
        FOREIGN_KEYS.get(field, field).removesuffix("_id")
        for field in fields
        if field not in {"parent_group", "credit_code"}
    ]
    Enterprise.objects.bulk_update(enterprises, columns, batch_size=500)
    pks = [row[2] for row in rows]
    for start in range(0, len(pks), QUERY_CHUNK):
        Enterprise.objects.filter(pk__in=pks[start : start + QUERY_CHUNK]).update(
            version=F("version") + 1, updated_at=timezone.now()
        )


def _link_groups(fields, rows):
    """Point subsidiaries at their group headquarters, which may be new rows of the same file."""
    index = fields.index("parent_group")
    code_index = fields.index("credit_code")
    wanted = {
        row[4][code_index]: (row[4][index] or "").upper() or None
        for row in rows
        if row[4][index] or (row[5] and "parent_group" in row[5])
    }
    if not wanted:
        return
    groups = {code for code in wanted.values() if code}
    ids = {}
    group_list = list(groups)
    for start in range(0, len(group_list), QUERY_CHUNK):
        ids.update(
            Enterprise.objects.filter(credit_code__in=group_list[start : start + QUERY_CHUNK]).values_list(
                "credit_code", "pk"
            )
        )
    targets = list(wanted)
    enterprises = []
    for start in range(0, len(targets), QUERY_CHUNK):
        for enterprise in Enterprise.objects.filter(credit_code__in=targets[start : start + QUERY_CHUNK]).only(
            "pk", "credit_code"
        ):
            enterprise.parent_group_id = ids.get(wanted[enterprise.credit_code])
            enterprises.append(enterprise)
    Enterprise.objects.bulk_update(enterprises, ["parent_group"], batch_size=500)


def _record_history(batch, user, new_codes):
    """One history row per enterprise: changed ones with their old and new values, new ones as imported."""
    reason = (_("Imported from %(file)s") % {"file": batch.file_name})[:200]
    name_index = batch.fields.index("name")
    code_index = batch.fields.index("credit_code")
    changes = [
        EnterpriseChange(
            enterprise_id=row[2],
            credit_code=row[4][code_index],
            name=row[4][name_index],
            action=EnterpriseChange.Action.IMPORTED,
            changed_by=user,
            fields=row[5],
            reason=reason,
        )
        for row in batch.rows
        if row[1] == "changed"
    ]
    EnterpriseChange.objects.bulk_create(changes, batch_size=1000)
    _record_new_in_bulk(new_codes, user, reason)


def _record_new_in_bulk(codes, user, reason):
    # The database copies code and name of the rows just inserted: no model instance per row.
    change, enterprise = EnterpriseChange._meta, Enterprise._meta
    columns = ", ".join(
        connection.ops.quote_name(change.get_field(name).column)
        for name in ("enterprise", "credit_code", "name", "action", "changed_by", "changed_at", "fields", "reason")
    )
    now = change.get_field("changed_at").get_db_prep_value(timezone.now(), connection)
    empty = change.get_field("fields").get_db_prep_value({}, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(codes), QUERY_CHUNK):
            chunk = codes[start : start + QUERY_CHUNK]
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(change.db_table)} ({columns}) "
                f"SELECT id, credit_code, name, %s, %s, %s, %s, %s "
                f"FROM {connection.ops.quote_name(enterprise.db_table)} "
                f"WHERE credit_code IN ({', '.join(['%s'] * len(chunk))})",
                [EnterpriseChange.Action.IMPORTED, user.pk, now, empty, reason, *chunk],
            )
