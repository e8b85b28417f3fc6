"""Confirmation: save every checked row of a preview in one transaction, once.

The rows go in batches (people, then their memberships, then the history rows of both), each person's numbers
encrypted once, as they are inserted.
"""

import json
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from members import crypto, tallies
from members.ethnicity import ETHNICITY_NAMES
from members.idnumbers import birth_date_of, mask_id, mask_phone
from members.imports.columns import chunks
from members.models import MemberImportBatch, Membership, MembershipChange, MembershipStatus, Person, PersonChange, Sex
from members.services import PERSON_FIELDS, _person_snapshot

logger = logging.getLogger(__name__)
ROWS_PER_BATCH = 2000


class ImportNotPossible(Exception):
    """The confirmation cannot be carried out; the message says why."""


def member_import_commit(batch, *, user, progress=None):
    """Save every checked row in one transaction; a second confirmation of the same batch saves nothing."""
    with transaction.atomic():
        claimed = MemberImportBatch.objects.filter(
            pk=batch.pk, created_by=user, status=MemberImportBatch.Status.PREVIEWED
        ).update(status=MemberImportBatch.Status.COMMITTED, committed_at=timezone.now())
        if not claimed:
            raise ImportNotPossible(_("This file has already been imported, or it had errors and cannot be."))
        union = batch.union
        if not user.can_edit(union):
            raise ImportNotPossible(_("You may not import members into %(union)s.") % {"union": union.name})
        rows = json.loads(MemberImportBatch.objects.values_list("rows", flat=True).get(pk=batch.pk))
        writer = _Writer(user, union, batch.file_name, rows)
        try:
            with transaction.atomic():
                for done in writer.write():
                    if progress:
                        progress(done, len(rows))
        except IntegrityError as exc:
            # Someone enrolled one of these people, or used one of the card numbers, after the check.
            logger.info("Member import %s refused at confirmation: %s", batch.pk, type(exc).__name__)
            raise ImportNotPossible(
                _(
                    "Someone else enrolled one of these people or used one of these card numbers after the check. "
                    "Upload the file again to see which."
                )
            ) from exc
        # The member figures of the union, in the same transaction, as every write to the rolls keeps them.
        tallies.recount([union.pk])
        # The rows now live in the rolls; the batch keeps its counts.
        MemberImportBatch.objects.filter(pk=batch.pk).update(rows="")
    batch.refresh_from_db()
    return batch


def _max_query_params():
    """How many parameters one statement may have: SQLite's own limit (32,766 since 3.32), not the 999 Django
    assumes for every build, which would make a large import thousands of small statements."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def _insert(model, fields, rows, returning=None):
    """INSERT the rows (tuples of database values, in `fields` order) in as few statements as the database takes;
    with `returning`, the values of those columns for each row inserted.

    The ORM's bulk_create prepares every value of every row through its field, which made four fifths of a large
    import's time; here each value is made ready once, by the writer, and the rows go in as they are.
    """
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(field).column) for field in fields)
    tail = f" RETURNING {', '.join(quote(meta.get_field(field).column) for field in returning)}" if returning else ""
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = min(1000, _max_query_params() // len(fields))
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([placeholders] * len(batch))}{tail}",
                [value for row in batch for value in row],
            )
            if returning:
                returned.extend(cursor.fetchall())
    return returned


class _Writer:
    PERSON_COLUMNS = [
        "name",
        "sex",
        "ethnicity",
        "id_number",
        "id_index",
        "id_masked",
        "birth_date",
        "phone",
        "phone_masked",
        "rural_household",
        "migrant_worker",
        "version",
        "created_at",
        "updated_at",
    ]
    MEMBERSHIP_COLUMNS = [
        "person",
        "union",
        "employer",
        "joined_on",
        "card_number",
        "status",
        "end_reason",
        "version",
        "created_at",
        "updated_at",
    ]
    CHANGE_COLUMNS = ["membership", "action", "changes", "by", "at", "note"]
    PERSON_CHANGE_COLUMNS = ["person", "changes", "by", "at"]

    def __init__(self, user, union, file_name, rows):
        self.user, self.union, self.rows = user, union, rows
        self.note = (_("Imported from %(file)s") % {"file": file_name})[:200]
        self.employers = self._employers()
        self.now = MemberImportBatch._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
        # What the history shows of each value, as services' snapshots show it; looked up here, in the request's
        # language, because the rows are prepared in a second thread.
        self.status_shown = {value: str(label) for value, label in MembershipStatus.choices}
        self.sex_shown = {value: str(label) for value, label in Sex.choices}
        self.yes_no = {True: _("Yes"), False: _("No")}

    def _employers(self):
        keys = list({row[8] for row in self.rows if row[8]})
        employers = {}
        for chunk in chunks(keys):
            employers.update(Enterprise.objects.filter(pk__in=chunk).values_list("pk", "name"))
        return employers

    def write(self):
        """Write batch after batch, yielding the rows done; the next batch is prepared (encrypted, its history
        rows made) in a second thread while the database takes the last one in."""
        starts = range(0, len(self.rows), ROWS_PER_BATCH)
        with ThreadPoolExecutor(max_workers=1) as preparer:
            upcoming = preparer.submit(self._prepare, self.rows[:ROWS_PER_BATCH])
            for start in starts:
                prepared = upcoming.result()
                following = self.rows[start + ROWS_PER_BATCH : start + 2 * ROWS_PER_BATCH]
                if following:
                    upcoming = preparer.submit(self._prepare, following)
                chunk = self.rows[start : start + ROWS_PER_BATCH]
                people = self._create_people(prepared)
                people.update(self._update_returning([row for row in chunk if row[12] is not None]))
                self._create_memberships(chunk, people, prepared)
                yield start + len(chunk)

    def _prepare(self, rows):
        """What a batch's rows become, without the database: the new people's columns (their numbers encrypted
        once each) and the history rows' changes. No query and no translation here: this runs in a second thread."""
        people, person_changes, membership_changes = [], [], {}
        for row in rows:
            membership_changes[row[0]] = json.dumps(self._membership_snapshot(row))
            if row[12] is not None:
                continue
            number, phone = row[4], row[5]
            person = (
                row[1],
                row[2],
                row[3],
                crypto.encrypt(number),
                crypto.blind_index(number),
                mask_id(number),
                birth_date_of(number).isoformat(),
                crypto.encrypt(phone) if phone else "",
                mask_phone(phone),
                row[6],
                row[7],
                1,
                self.now,
                self.now,
            )
            people.append((row[0], person))
            person_changes.append(json.dumps(self._new_person_snapshot(row, person)))
        return people, person_changes, membership_changes

    def _create_people(self, prepared):
        """Insert the batch's new people and their history rows; returns each row's person key."""
        people, person_changes, _memberships = prepared
        if not people:
            return {}
        inserted = _insert(
            Person, self.PERSON_COLUMNS, [person for _row, person in people], returning=["id", "id_index"]
        )
        key_of_index = {index: pk for pk, index in inserted}
        keys = [key_of_index[person[4]] for _row, person in people]
        history = [(key, changes, self.user.pk, self.now) for key, changes in zip(keys, person_changes, strict=True)]
        _insert(PersonChange, self.PERSON_CHANGE_COLUMNS, history)
        return {row_number: key for (row_number, _person), key in zip(people, keys, strict=True)}

    def _update_returning(self, rows):
        """People the rolls know from an ended membership: their details as the file gives them now."""
        if not rows:
            return {}
        found = Person.objects.without_secrets().in_bulk([row[12] for row in rows])
        people, changes = {}, []
        for row in rows:
            person = found[row[12]]
            before = _person_snapshot(person)
            person.name, person.sex, person.ethnicity = row[1], row[2], row[3]
            person.rural_household, person.migrant_worker = row[6], row[7]
            person.phone, person.phone_masked = row[5], mask_phone(row[5])
            after = _person_snapshot(person)
            diff = {field: [before[field], value] for field, value in after.items() if before[field] != value}
            if diff:
                changes.append(PersonChange(person=person, by=self.user, changes=diff))
            people[row[0]] = person
        Person.objects.bulk_update(list(people.values()), [*PERSON_FIELDS, "phone", "phone_masked"])
        Person.objects.filter(pk__in=[person.pk for person in people.values()]).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        PersonChange.objects.bulk_create(changes)
        return {row_number: person.pk for row_number, person in people.items()}

    def _create_memberships(self, rows, people, prepared):
        values = [
            (people[row[0]], self.union.pk, row[8], row[9], row[10], row[11], "", 1, self.now, self.now) for row in rows
        ]
        inserted = _insert(Membership, self.MEMBERSHIP_COLUMNS, values, returning=["id", "person"])
        membership_of = {person: pk for pk, person in inserted}
        joined = MembershipChange.Action.JOINED.value
        snapshots = prepared[2]
        changes = [
            (membership_of[people[row[0]]], joined, snapshots[row[0]], self.user.pk, self.now, self.note)
            for row in rows
        ]
        _insert(MembershipChange, self.CHANGE_COLUMNS, changes)

    def _new_person_snapshot(self, row, person):
        """The new person's history row, as services writes it for a person enrolled by hand."""
        snapshot = {
            "name": ["", row[1]],
            "sex": ["", self.sex_shown[row[2]]],
            "ethnicity": ["", ETHNICITY_NAMES[row[3]]],
            "rural_household": ["", self.yes_no[row[6]]],
            "migrant_worker": ["", self.yes_no[row[7]]],
            "id_number": ["", person[5]],
        }
        if person[8]:
            snapshot["phone"] = ["", person[8]]
        return snapshot

    def _membership_snapshot(self, row):
        """The history row's changes, as services._membership_snapshot(membership, blank=True) writes them."""
        snapshot = {"union": ["", self.union.name]}
        if row[8]:
            snapshot["employer"] = ["", self.employers[row[8]]]
        snapshot["joined_on"] = ["", row[9]]
        if row[10]:
            snapshot["card_number"] = ["", row[10]]
        snapshot["status"] = ["", self.status_shown[row[11]]]
        return snapshot
