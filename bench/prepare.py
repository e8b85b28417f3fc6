"""Bring the database DATABASE_URL names up to date and to exactly <rows> enterprises.

    python bench/prepare.py <rows>

Migrates, loads the reference data and the campaigns, then adds generated enterprises
(enterprises.demo) or removes the most recently added until there are <rows>, so that a case's
figures do not depend on what an earlier run left behind. What is there already is kept, so a
second run at the same size on PostgreSQL is quick.

On PostgreSQL the generated rows go in by COPY (a million in one to one and a half minutes on two
cores). After any change the table is tidied as a registry in use for a while would be (see
tidy()), so that the plans measured are the plans production gets.
"""

import datetime
import io
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from case import setup_django

# Rows per COPY: a few tens of megabytes of text at a time.
COPY_BATCH = 50_000
# Bytes handed to the driver at a time: each hand-over waits for the generating thread to let go of the GIL.
COPY_CHUNK = 4 << 20


def note(text):
    print(text, file=sys.stderr, flush=True)


def _copy_text(value):
    """A value in the text format of PostgreSQL's COPY."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    for special, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(special, escaped)
    return text


def _copy_rows(factory, fields, now, size):
    """`size` generated enterprises as COPY text."""
    buffer = io.StringIO()
    for _ in range(size):
        enterprise = factory.build()
        enterprise.created_at = enterprise.updated_at = now
        buffer.write("\t".join(_copy_text(getattr(enterprise, field.attname)) for field in fields) + "\n")
    buffer.seek(0)
    return buffer


def copy_enterprises(count, *, seed=2019):
    """Insert `count` generated enterprises by COPY (PostgreSQL): the same rows as create_enterprises.

    The next batch is generated in a second thread while the server takes the last one in.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from enterprises.demo import EnterpriseFactory
    from enterprises.models import Enterprise

    factory = EnterpriseFactory(seed)
    factory.codes.update(Enterprise.objects.values_list("credit_code", flat=True))
    # Load each county's prefecture now, so that generating rows needs no query of its own.
    for counties in factory.counties_by_prefecture.values():
        for county in counties:
            _ = county.parent
    fields = [field for field in Enterprise._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(Enterprise._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    now = timezone.now()
    sizes = [min(COPY_BATCH, count - start) for start in range(0, count, COPY_BATCH)]
    with ThreadPoolExecutor(max_workers=1) as generator:
        upcoming = generator.submit(_copy_rows, factory, fields, now, sizes[0])
        for size in [*sizes[1:], 0]:
            buffer = upcoming.result()
            if size:
                upcoming = generator.submit(_copy_rows, factory, fields, now, size)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.copy_expert(statement, buffer, size=COPY_CHUNK)
    return count


def remove_surplus(rows):
    """Keep the first `rows` enterprises (by primary key); references to the others are cleared first."""
    from django.db import connection, transaction

    from enterprises.models import Enterprise, EnterpriseChange
    from members import tallies as member_tallies
    from members.models import Membership

    cutoff = Enterprise.objects.order_by("pk").values_list("pk", flat=True)[rows - 1] if rows else 0
    with transaction.atomic():
        EnterpriseChange.objects.filter(enterprise__gt=cutoff).update(enterprise=None)
        # Generated members working at the removed enterprises keep their membership without an employer.
        Membership.objects.filter(employer__gt=cutoff).update(employer=None)
        member_tallies.recount()
        Enterprise.objects.filter(parent_group__gt=cutoff).update(parent_group=None)
        # A plain DELETE: Django's delete() would load every row first to apply SET_NULL itself.
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Enterprise._meta.db_table)
            key = connection.ops.quote_name(Enterprise._meta.pk.column)
            cursor.execute(f"DELETE FROM {table} WHERE {key} > %s", [cutoff])
            return cursor.rowcount


def tidy(removed):
    """After a change, what a registry in use for a while would have: compact indexes, fresh statistics and (on
    PostgreSQL) a visibility map, without which no scan is index-only."""
    from django.db import connection

    from enterprises.models import Enterprise

    table = connection.ops.quote_name(Enterprise._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if removed:
                # The removed rows' index entries stay until the indexes are rebuilt.
                cursor.execute(f"REINDEX TABLE {table}")
            cursor.execute(f"VACUUM ANALYZE {table}")
        elif removed:
            cursor.execute("VACUUM")


def fill(rows):
    """Generate or remove enterprises until there are exactly `rows`; returns a note of what was done."""
    from django.db import connection

    from enterprises import tallies
    from enterprises.demo import create_enterprises
    from enterprises.models import Enterprise

    present = Enterprise.objects.count()
    start = time.perf_counter()
    if present < rows:
        generate = copy_enterprises if connection.vendor == "postgresql" else create_enterprises
        done = f"{generate(rows - present)} generated"
    elif present > rows:
        done = f"{remove_surplus(rows)} removed"
    else:
        return f"{present} enterprises"
    # Rows written around the registry's services (COPY, a plain DELETE): count them into the tallies as every
    # write path does.
    tallies.recount()
    tidy(removed=present > rows)
    return f"{Enterprise.objects.count()} enterprises ({done} in {time.perf_counter() - start:.1f} s)"


def main(rows):
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from campaigns.seeds import load_campaigns
    from enterprises import tallies
    from unions.reference import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    # The portal's campaigns, as production loads them: the dashboard shows the latest one's progress.
    load_campaigns()
    note(f"{connection.vendor}: {fill(rows)}")
    # A registry in use has been recounted since its tallies' stamps began (a database prepared before them has not).
    if tallies.stamps() is None:
        tallies.stamp(["registry"])


if __name__ == "__main__":
    main(int(sys.argv[1]))
