"""Run the benchmark cases on SQLite, then on PostgreSQL when it can be reached.

    python bench/run.py [--rows 100000] [--dashboard-rows 100000] [--cases export_xlsx,dashboard]
                        [--databases sqlite,postgresql]

For each database: prepare it (bench/prepare.py), then run each case of bench/case.py in a
fresh process. The registry cases run on a registry of --rows enterprises (EXPORT_ROWS), then
the dashboard cases on one of --dashboard-rows (DASHBOARD_ROWS). Prints one JSON object per case
and database on stdout (notes go to stderr) and keeps a copy in bench/results/. A case with a
baseline also gets baseline, baseline_seconds, baseline_peak_mb and speedup = baseline_seconds / seconds, and
speedup_vs_<case> for the older baselines kept beside the fair one.

SQLite uses a throwaway file, bench/bench.sqlite3. PostgreSQL uses BENCH_PG_URL; without it,
the database campaign_portal_bench on the server a PostgreSQL DATABASE_URL names (never that
database itself), else on postgres://postgres@127.0.0.1:5432. It is created if missing and
kept between runs.
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

from case import BASELINES, CASES, DASHBOARD_CASES, OTHER_BASELINES, SKIPPED
from cryptography.fernet import Fernet

BENCH = Path(__file__).resolve().parent
SQLITE_FILE = BENCH / "bench.sqlite3"
RESULTS = BENCH / "results"
BENCH_DATABASE = "campaign_portal_bench"
DEFAULT_PG_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


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


def postgres_url():
    """BENCH_PG_URL, else the benchmark's own database on the server of a PostgreSQL DATABASE_URL, else the default."""
    if explicit := os.environ.get("BENCH_PG_URL"):
        return explicit
    parts = urlsplit(os.environ.get("DATABASE_URL") or "")
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    return DEFAULT_PG_URL


def databases(chosen):
    """(label, DATABASE_URL) of each chosen database to measure, SQLite first."""
    if "sqlite" in chosen:
        remove_sqlite_file()
        yield "sqlite", f"sqlite:///{SQLITE_FILE}"
        remove_sqlite_file()
    url = postgres_url()
    if "postgresql" in chosen and postgres_reachable(url):
        yield "postgresql", url


def run_script(script, *args, env):
    return subprocess.run(
        [sys.executable, str(BENCH / script), *map(str, args)], env=env, stdout=subprocess.PIPE, text=True, check=False
    )


def run_case(name, rows, env):
    completed = run_script("case.py", name, rows, env=env)
    if completed.returncode == SKIPPED:
        return None
    if completed.returncode != 0:
        note(f"{name} failed (exit status {completed.returncode})")
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def speedup(result, baseline):
    return round(baseline["seconds"] / max(result["seconds"], 0.0001), 1)


def compare(result, done):
    """Add the comparison with the case's fair baseline, and the speedup against any other baseline that ran."""
    name = result["name"]
    if (baseline := done.get(BASELINES.get(name))) is not None:
        result["baseline"] = baseline["name"]
        result["baseline_seconds"] = baseline["seconds"]
        result["baseline_peak_mb"] = baseline["peak_mb"]
        result["speedup"] = speedup(result, baseline)
    for other in OTHER_BASELINES.get(name, []):
        if other in done:
            result[f"speedup_vs_{other}"] = speedup(result, done[other])


def phases(chosen, rows, dashboard_rows):
    """(enterprises, cases) to prepare and run in turn: the registry cases, then the dashboard cases."""
    # CASES lists each baseline before the case measured against it.
    registry = [name for name in CASES if name in chosen and name not in DASHBOARD_CASES]
    dashboard = [name for name in CASES if name in chosen and name in DASHBOARD_CASES]
    return [(size, names) for size, names in [(rows, registry), (dashboard_rows, dashboard)] if names]


def run_phase(label, env, size, names, log):
    note(f"{label}: preparing {size} enterprises")
    if run_script("prepare.py", size, env=env).returncode != 0:
        note(f"{label}: could not prepare the database; {', '.join(names)} skipped")
        return
    done = {}
    for name in names:
        note(f"{label}: {name}")
        result = run_case(name, size, env)
        if result is None:
            continue
        compare(result, done)
        done[name] = result
        line = json.dumps(result, ensure_ascii=False)
        print(line, flush=True)
        with log.open("a") as file:
            file.write(line + "\n")


def split_names(text):
    return {name.strip() for name in text.replace(" ", ",").split(",") if name.strip()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("EXPORT_ROWS") or 100_000))
    parser.add_argument("--dashboard-rows", type=int, default=int(os.environ.get("DASHBOARD_ROWS") or 100_000))
    parser.add_argument("--cases", default=os.environ.get("BENCH_CASES") or ",".join(CASES))
    parser.add_argument("--databases", default=os.environ.get("BENCH_DATABASES") or "sqlite,postgresql")
    args = parser.parse_args()
    chosen = split_names(args.cases)
    if unknown := chosen - CASES.keys():
        parser.error(f"unknown cases: {', '.join(sorted(unknown))} (known: {', '.join(CASES)})")
    chosen_databases = split_names(args.databases)
    if unknown := chosen_databases - {"sqlite", "postgresql"}:
        parser.error(f"unknown databases: {', '.join(sorted(unknown))} (known: sqlite, postgresql)")

    RESULTS.mkdir(exist_ok=True)
    log = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}.jsonl"
    for label, url in databases(chosen_databases):
        # Production settings: with DEBUG on, Django would also keep every query in memory.
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            # The member cases write people (rolled back): keys of their own, as production has.
            "DJANGO_MEMBER_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "DJANGO_MEMBER_INDEX_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": url,
        }
        for size, phase_cases in phases(chosen, args.rows, args.dashboard_rows):
            run_phase(label, env, size, phase_cases, log)
    note(f"Results kept in {log.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
