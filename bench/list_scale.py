"""The enterprise list at two sizes of the registry: what a filtered page past the first costs at each.

    python bench/list_scale.py [--small 30000] [--large 1000000] [--tries 5]

For each size it loads a PostgreSQL database of its own (the server of BENCH_PG_URL, else 127.0.0.1:5432) as the
deadline-day benchmark does (bench/load_seed.py: the demo data and accounts, generated enterprises up to the
size, the tallies recounted), collects the static files, and opens the list as each kind of account does, in a
process of its own with DEBUG off: the median time of a few tries after one to warm up, and the queries it
made. Then it drops the database. Prints a JSON line per account and page, with both sizes' times and their
ratio, and a summary line; the target is a ratio of at most 1.5 and at most 15 queries.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from portal import create_database, drop_database, free_port, note, portal_env, server_url  # noqa: E402

ACCOUNTS = ("zzb_reviewer", "lasa_staff", "rikaze_staff", "chengguan_staff")
# The list as people filter it (as bench/load.py's users do), each past the first page.
PAGES = (
    "page=3",
    "band=100&page=4",
    "union_status=none&page=5",
    "band=50&union_status=none&page=2",
    "party_org=none&band=25&page=3",
    "four_criteria=on&page=2",
    "q=有限公司&page=2",
    "sort=-headcount&page=3",
    "sort=name&page=2",
)
TARGET_RATIO = 1.5
TARGET_QUERIES = 15


def measure(tries):
    """In the portal's process: {account: {page: [median ms, queries, status]}}."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for username in ACCOUNTS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        for query in PAGES:
            url = f"/enterprises/?{query}"
            client.get(url)
            times = []
            for _ in range(tries):
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(1000 * (time.perf_counter() - started))
            results.setdefault(username, {})[query] = [
                round(statistics.median(times), 1),
                len(queries.captured_queries),
                response.status_code,
            ]
    return results


def at_size(size, tries, server):
    name = f"portal_bench_scale_{size}_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        env = portal_env(create_database(server, name), free_port(), folder / "static")
        note(f"{size} enterprises: loading {name}")
        started = time.perf_counter()
        for command in (
            [sys.executable, str(BENCH / "load_seed.py"), str(ROOT), str(size)],
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        ):
            subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        note(f"{size} enterprises: loaded in {time.perf_counter() - started:.0f} s; measuring")
        done = subprocess.run(
            [sys.executable, __file__, "--measure", "--tries", str(tries)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        drop_database(server, name)
        shutil.rmtree(folder, ignore_errors=True)


def lines(small, large, sizes):
    rows = []
    for username in ACCOUNTS:
        for query in PAGES:
            (small_ms, small_queries, small_status), (large_ms, large_queries, large_status) = (
                small[username][query],
                large[username][query],
            )
            rows.append(
                {
                    "kind": "list_page",
                    "account": username,
                    "query": query,
                    f"ms_{sizes[0]}": small_ms,
                    f"ms_{sizes[1]}": large_ms,
                    "ratio": round(large_ms / small_ms, 2) if small_ms else None,
                    "queries": max(small_queries, large_queries),
                    "status": sorted({small_status, large_status}),
                }
            )
    within = [row for row in rows if row["ratio"] is not None and row["ratio"] <= TARGET_RATIO]
    worst = max(rows, key=lambda row: row["ratio"] or 0)
    summary = {
        "kind": "summary",
        "sizes": list(sizes),
        "pages": len(rows),
        "within_ratio": len(within),
        "target_ratio": TARGET_RATIO,
        "median_ratio": statistics.median(row["ratio"] for row in rows),
        "worst": {key: worst[key] for key in ("account", "query", "ratio")},
        "most_queries": max(row["queries"] for row in rows),
    }
    return [*rows, summary]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=30000)
    parser.add_argument("--large", type=int, default=1000000)
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    tries = max(1, min(50, options.tries))
    if options.measure:
        print(json.dumps(measure(tries)))
        return 0
    sizes = (max(1000, options.small), max(1000, options.large))
    server = server_url()
    started = time.perf_counter()
    small, large = (at_size(size, tries, server) for size in sizes)
    for line in lines(small, large, sizes):
        print(json.dumps(line, ensure_ascii=False), flush=True)
    note(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
