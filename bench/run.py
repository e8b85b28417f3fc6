"""Run the benchmark cases on SQLite, then on PostgreSQL when it can be reached.

    python bench/run.py [--rows 100000] [--cases export_xlsx,export_csv]

For each database: prepare it (bench/prepare.py), then run each case of bench/case.py in a
fresh process. Prints one JSON object per case and database on stdout (notes go to stderr)
and keeps a copy in bench/results/. A case with a stock baseline also gets baseline_seconds,
baseline_peak_mb and speedup = baseline_seconds / seconds.

SQLite uses a throwaway file, bench/bench.sqlite3. PostgreSQL uses BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432/campaign_portal_bench), created if missing and kept
between runs.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from case import BASELINES, CASES

BENCH = Path(__file__).resolve().parent
SQLITE_FILE = BENCH / "bench.sqlite3"
RESULTS = BENCH / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/campaign_portal_bench"


def note(text):
    print(text, file=sys.stderr, flush=True)


def remove_sqlite_file():
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def postgres_reachable(url):
    """Create the benchmark database if the server lacks it; False (with a note) if the server is unreachable."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=5)
    except psycopg2.OperationalError as exc:
        reason = " ".join(str(exc).split())
        note(f"PostgreSQL skipped: cannot connect to {parts.hostname}:{parts.port or 5432} ({reason})")
        return False
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                note(f"PostgreSQL: created the database {name}")
    finally:
        connection.close()
    return True


def databases():
    """(label, DATABASE_URL) of each database to measure, SQLite first."""
    remove_sqlite_file()
    yield "sqlite", f"sqlite:///{SQLITE_FILE}"
    remove_sqlite_file()
    url = os.environ.get("BENCH_PG_URL") or DEFAULT_PG_URL
    if postgres_reachable(url):
        yield "postgresql", url


def run_script(script, *args, env):
    return subprocess.run(
        [sys.executable, str(BENCH / script), *map(str, args)], env=env, stdout=subprocess.PIPE, text=True, check=False
    )


def run_case(name, rows, env):
    completed = run_script("case.py", name, rows, env=env)
    if completed.returncode != 0:
        note(f"{name} failed (exit status {completed.returncode})")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def compare(result, baseline):
    result["baseline_seconds"] = baseline["seconds"]
    result["baseline_peak_mb"] = baseline["peak_mb"]
    result["speedup"] = round(baseline["seconds"] / max(result["seconds"], 0.01), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("EXPORT_ROWS") or 100_000))
    parser.add_argument("--cases", default=os.environ.get("BENCH_CASES") or ",".join(CASES))
    args = parser.parse_args()
    chosen = {name.strip() for name in args.cases.replace(" ", ",").split(",") if name.strip()}
    if unknown := chosen - CASES.keys():
        parser.error(f"unknown cases: {', '.join(sorted(unknown))} (known: {', '.join(CASES)})")

    RESULTS.mkdir(exist_ok=True)
    log = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.jsonl"
    for label, url in databases():
        # Production settings: with DEBUG on, Django would also keep every query in memory.
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": url,
        }
        note(f"{label}: preparing {args.rows} enterprises")
        if run_script("prepare.py", args.rows, env=env).returncode != 0:
            note(f"{label}: could not prepare the database; its cases are skipped")
            continue
        done = {}
        # CASES lists each baseline before the case measured against it.
        for name in (name for name in CASES if name in chosen):
            note(f"{label}: {name}")
            result = run_case(name, args.rows, env)
            if result is None:
                continue
            if BASELINES.get(name) in done:
                compare(result, done[BASELINES[name]])
            done[name] = result
            line = json.dumps(result, ensure_ascii=False)
            print(line, flush=True)
            with log.open("a") as file:
                file.write(line + "\n")
    note(f"Results kept in {log.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
