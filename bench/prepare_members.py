"""Bring the database DATABASE_URL names to exactly <rows> members (after bench/prepare.py has run).

    python bench/prepare_members.py <rows>

Generated as the demo generates them (members.demo), every ID and phone number encrypted and indexed as the
portal stores them, but written by plain INSERTs (SQLite) or COPY (PostgreSQL) rather than through the ORM:
a million members go in within a few minutes. What is there already is kept.
"""

import io
import sys
import time

from case import setup_django

BATCH = 20_000


def note(text):
    print(text, file=sys.stderr, flush=True)


PERSON_COLUMNS = [
    "name", "sex", "ethnicity", "id_number", "id_index", "id_masked", "birth_date", "phone", "phone_masked",
    "rural_household", "migrant_worker", "version", "created_at", "updated_at",
]  # fmt: skip
MEMBERSHIP_COLUMNS = [
    "person_id", "union_id", "employer_id", "joined_on", "card_number", "status", "ended_on", "end_reason",
    "version", "created_at", "updated_at",
]  # fmt: skip


def _write(connection, table, columns, rows):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from prepare import _copy_text

            buffer = io.StringIO("".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows))
            statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
            cursor.copy_expert(statement, buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES ({marks})", rows)


def add_members(count, seed):
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from enterprises.models import Enterprise
    from members import crypto
    from members.demo import MemberFactory, _county_of, demo_unions
    from members.models import Membership, Person

    factory = MemberFactory(seed)
    unions = demo_unions()
    employers = {}
    for union in unions:
        county = _county_of(union)
        employers.setdefault(
            county, list(Enterprise.objects.filter(county_id=county).values_list("pk", flat=True)[:500])
        )
    pick = random.Random(seed)
    now = timezone.now()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        chosen = [pick.choice(unions) for _ in range(size)]
        # A union above the counties (a prefecture's own grassroots union) gives its members any county's numbers.
        people = [factory.person(_county_of(union) or pick.choice(factory.tibetan_counties)) for union in chosen]
        rows = [
            (p.name, p.sex, p.ethnicity, crypto.encrypt(p.id_number), p.id_index, p.id_masked, p.birth_date,
             crypto.encrypt(p.phone), p.phone_masked, p.rural_household, p.migrant_worker, 1, now, now)
            for p in people
        ]  # fmt: skip
        with transaction.atomic():
            first = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            _write(connection, Person._meta.db_table, PERSON_COLUMNS, rows)
            ids = list(Person.objects.filter(pk__gte=first).order_by("pk").values_list("pk", flat=True))
            memberships = []
            for person_id, person, union in zip(ids, people, chosen, strict=True):
                m = factory.membership(person, union, None)
                staff = employers.get(_county_of(union)) or []
                employer = pick.choice(staff) if staff and pick.random() < 0.7 else None
                memberships.append(
                    (person_id, union.pk, employer, m.joined_on, m.card_number, "member", None, "", 1, now, now)
                )
            _write(connection, Membership._meta.db_table, MEMBERSHIP_COLUMNS, memberships)
        made += size
        if made % 100_000 == 0:
            note(f"  {made} members")
    return made


def tidy(connection):
    """Fresh statistics and, on PostgreSQL, a visibility map, as autovacuum leaves rolls in use for a while: right
    after a million-row COPY the planner probes the new index entries one by one and plans take ~100 ms."""
    from members.models import Membership, Person

    with connection.cursor() as cursor:
        for model in (Person, Membership):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")


def main(rows):
    setup_django()
    from django.db import connection

    from members import tallies
    from members.models import Membership, MembershipChange, Person

    present = Person.objects.count()
    start = time.perf_counter()
    if present < rows:
        done = f"{add_members(rows - present, seed=present + 1)} generated"
    elif present > rows:
        cutoff = Person.objects.order_by("pk").values_list("pk", flat=True)[rows - 1] if rows else 0
        MembershipChange.objects.filter(membership__person__gt=cutoff).delete()
        Membership.objects.filter(person__gt=cutoff)._raw_delete(Membership.objects.db)
        Person.objects.filter(pk__gt=cutoff)._raw_delete(Person.objects.db)
        done = f"{present - rows} removed"
    else:
        tidy(connection)
        note(f"{connection.vendor}: {present} members")
        return
    # Written around the services: counted into the tallies as every write path does.
    tallies.recount()
    tidy(connection)
    note(f"{connection.vendor}: {Person.objects.count()} members ({done} in {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]))
