"""Confirmation: write every checked row of a preview in one transaction, once."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises import tallies
from enterprises.imports.columns import DATE_FIELDS, FOREIGN_KEYS, chunks
from enterprises.models import Enterprise, EnterpriseChange, ImportBatch

# Rows written per statement group, and so how often a background import reports its progress.
WRITE_BATCH = 1000


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


def import_commit(batch, *, user, progress=None):
    """Write every checked row in one transaction; a second confirmation of the same batch writes nothing.

    `progress(done, total)`, when given, hears how many rows have been written (a background job's)."""
    progress = progress or _no_progress
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, created_by=user, status=ImportBatch.Status.PREVIEWED).update(
            status=ImportBatch.Status.COMMITTED, committed_at=timezone.now()
        )
        if not claimed:
            raise ImportNotPossible(_("This file has already been imported, or it had errors and cannot be."))
        fields, rows = batch.fields, batch.rows
        counties_before = _check_still_as_previewed(rows)
        new_rows = [row for row in rows if row[1] == "new"]
        changed_rows = [row for row in rows if row[1] == "changed"]
        total = len(new_rows) + len(changed_rows)
        progress(0, total)
        new_codes = _create_new(fields, new_rows, lambda done: progress(done, total))
        _update_changed(fields, changed_rows, lambda done: progress(len(new_rows) + done, total))
        if "parent_group" in fields:
            _link_groups(fields, rows)
        # The counties the file touched, once each: where its rows are now, and where the changed ones were.
        county_at = fields.index("county")
        tallies.recount(counties_before | {row[4][county_at] for row in rows})
        _record_history(batch, user, new_codes)
        # The rows now live in the registry and its history; the batch keeps its counts and errors.
        ImportBatch.objects.filter(pk=batch.pk).update(rows=[])
    batch.refresh_from_db()
    return batch


def _no_progress(done, total=None):
    pass


def _check_still_as_previewed(rows):
    """Refuse if an enterprise the preview compared against has since been changed or deleted; return the
    counties the changed enterprises are in."""
    expected = {row[2]: (row[3], row[0]) for row in rows if row[1] == "changed"}
    found, counties = {}, set()
    for chunk in chunks(list(expected)):
        for pk, version, county in Enterprise.objects.filter(pk__in=chunk).values_list("pk", "version", "county_id"):
            found[pk] = version
            counties.add(county)
    for pk, (version, row_number) in expected.items():
        if found.get(pk) != version:
            raise ImportNotPossible(
                _(
                    "Row %(row)d's enterprise was changed or deleted by someone else after the check. "
                    "Upload the file again."
                )
                % {"row": row_number}
            )
    return counties


def _codes_taken(codes):
    taken = set()
    for chunk in chunks(codes):
        taken.update(Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", flat=True))
    return taken


def _refuse_codes_taken(fields, rows):
    """Refuse if someone else has added an enterprise with one of the new rows' codes since the check."""
    code_index = fields.index("credit_code")
    taken = _codes_taken([row[4][code_index] for row in rows])
    for row in rows:
        if row[4][code_index] in taken:
            raise ImportNotPossible(
                _(
                    "Row %(row)d: an enterprise with the credit code %(code)s was added to the registry by someone "
                    "else after the check. Upload the file again: the row will then update it."
                )
                % {"row": row[0], "code": row[4][code_index]}
            )


def _create_new(fields, rows, progress):
    _refuse_codes_taken(fields, rows)
    enterprises = [Enterprise(**_values(fields, row[4])) for row in rows]
    try:
        with transaction.atomic():
            for start in range(0, len(enterprises), WRITE_BATCH):
                Enterprise.objects.bulk_create(enterprises[start : start + WRITE_BATCH])
                progress(min(start + WRITE_BATCH, len(enterprises)))
    except IntegrityError:
        # Added by someone else between the check above and the insert: the same refusal, and nothing is written.
        _refuse_codes_taken(fields, rows)
        raise
    return [enterprise.credit_code for enterprise in enterprises]


def _update_changed(fields, rows, progress):
    if not rows:
        return
    enterprises = [Enterprise(pk=row[2], **_values(fields, row[4])) for row in rows]
    columns = [
        FOREIGN_KEYS.get(field, field).removesuffix("_id")
        for field in fields
        if field not in {"parent_group", "credit_code"}
    ]
    for start in range(0, len(enterprises), WRITE_BATCH):
        Enterprise.objects.bulk_update(enterprises[start : start + WRITE_BATCH], columns, batch_size=500)
        progress(min(start + WRITE_BATCH, len(enterprises)))
    for chunk in chunks([row[2] for row in rows]):
        Enterprise.objects.filter(pk__in=chunk).update(version=F("version") + 1, updated_at=timezone.now())


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
    ids = {}
    for chunk in chunks(list({code for code in wanted.values() if code})):
        ids.update(Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "pk"))
    enterprises = []
    for chunk in chunks(list(wanted)):
        for enterprise in Enterprise.objects.filter(credit_code__in=chunk).only("pk", "credit_code"):
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
        for chunk in chunks(codes):
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(change.db_table)} ({columns}) "
                f"SELECT id, credit_code, name, %s, %s, %s, %s, %s "
                f"FROM {connection.ops.quote_name(enterprise.db_table)} "
                f"WHERE credit_code IN ({', '.join(['%s'] * len(chunk))})",
                [EnterpriseChange.Action.IMPORTED, user.pk, now, empty, reason, *chunk],
            )
