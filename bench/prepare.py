"""Bring the database DATABASE_URL names up to date and to at least <rows> enterprises.

    python bench/prepare.py <rows>

Migrates, loads the reference data and adds generated enterprises (enterprises.demo) until
there are enough; what is already there is kept, so a second run on PostgreSQL is quick.
"""

import sys
import time

from case import setup_django


def main(rows):
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from enterprises.demo import create_enterprises
    from enterprises.models import Enterprise
    from unions.reference import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    missing = rows - Enterprise.objects.count()
    start = time.perf_counter()
    created = create_enterprises(missing) if missing > 0 else 0
    print(
        f"{connection.vendor}: {Enterprise.objects.count()} enterprises "
        f"({created} generated in {time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
