"""Fill the deadline-day benchmark's database: what a portal in use has, with DEBUG off.

    python bench/load_seed.py <portal root> <enterprises>

Run by bench/load.py in a process of its own, against the portal at <portal root> (this tree, or a revision
checked out for comparison) and the database DATABASE_URL names. Migrates, loads the reference data and the
campaigns, the demo accounts and demo data through the loaders' functions (the load_demo_data command refuses
DEBUG off, which the benchmark keeps), generates enterprises until there are <enterprises>, and recounts the
tallies. A loader an older revision lacks is left out with a note; so is one that fails, after its transaction
was rolled back. Prints one JSON line: what was loaded and how long each step took.
"""

import importlib
import json
import os
import sys
import time

# The demo loaders, in the order load_demo_data calls them (module, function).
DEMO_LOADERS = (
    ("unions.demo", "load_demo_accounts"),
    ("enterprises.demo", "load_demo_registry"),
    ("enterprises.demo", "load_demo_groups"),
    ("enterprises.demo", "load_demo_grassroots"),
    ("members.demo", "load_demo_members"),
    ("campaigns.demo", "load_demo_campaign"),
    ("campaigns.demo", "load_demo_reports"),
    ("campaigns.demo_members", "load_demo_members_campaign"),
    ("campaigns.demo_practices", "load_demo_practices"),
    ("campaigns.demo_push", "load_demo_push"),
    ("members.demo_joining", "load_demo_applications"),
)


def note(text):
    print(text, file=sys.stderr, flush=True)


def loader(module, name):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def timed(steps, name, work):
    started = time.perf_counter()
    outcome = work()
    steps[name] = round(time.perf_counter() - started, 1)
    return outcome


def load_demo(steps, skipped):
    from django.db import transaction

    for module, name in DEMO_LOADERS:
        function = loader(module, name)
        if function is None:
            skipped.append(name)
            note(f"{name}: not in this revision, left out")
            continue
        try:
            with transaction.atomic():
                timed(steps, name, function)
        except Exception as exc:  # noqa: BLE001 - a demo part that fails is left out, the rest still loads
            if name == "load_demo_accounts":
                raise
            skipped.append(name)
            note(f"{name} failed and was left out: {type(exc).__name__}: {exc}")


def generate(rows):
    """Enterprises from the project's generator until there are `rows`; returns how many were added."""
    from django.core.management import call_command

    from enterprises.models import Enterprise

    missing = rows - Enterprise.objects.count()
    if missing > 0:
        with open(os.devnull, "w") as quiet:
            try:
                call_command("generate_enterprises", missing, seed=2026, stdout=quiet)
            except TypeError:  # a revision whose generator takes no seed
                call_command("generate_enterprises", missing, stdout=quiet)
    return max(0, missing)


def recount():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    for command in ("recount_tallies", "recount_member_tallies"):
        try:
            call_command(command, verbosity=0)
        except CommandError:
            note(f"{command}: not in this revision")


def analyse():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main(root, rows):
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from enterprises.models import Enterprise

    steps, skipped = {}, []
    timed(steps, "migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    timed(steps, "load_reference_data", lambda: call_command("load_reference_data", verbosity=0))
    timed(steps, "load_campaigns", lambda: call_command("load_campaigns", verbosity=0))
    load_demo(steps, skipped)
    added = timed(steps, "generate_enterprises", lambda: generate(rows))
    timed(steps, "recount", recount)
    timed(steps, "vacuum_analyze", analyse)
    print(
        json.dumps(
            {"enterprises": Enterprise.objects.count(), "generated": added, "seconds": steps, "left_out": skipped}
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
