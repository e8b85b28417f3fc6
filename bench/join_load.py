"""The public join form under load: many applicants at once, against gunicorn on PostgreSQL.

    python bench/join_load.py [--applicants 50] [--workers 3] [--threads 2] [--rounds 2]

It starts what it measures on loopback and stops it afterwards:
- a PostgreSQL database of its own (campaign_portal_join_load on the server of BENCH_PG_URL, a PostgreSQL
  DATABASE_URL, or 127.0.0.1:5432), created afresh, migrated, with the reference data (the township unions),
  and dropped at the end;
- the static files collected into a temporary folder;
- gunicorn serving the portal with DEBUG off, behind-proxy mode on, so that each applicant comes from an
  address of its own (X-Forwarded-For, as the reverse proxy writes it), as phones do.

Each applicant is a thread; all are started together and each arrives within the span of one pause. Each
pauses after every page for a random 1 to 3 seconds (`--think`; a person on a phone reads and types for
longer, so this is a heavier load than real applicants make; `--think 0,0` makes them click without pause,
which measures the most the server can take). Each, `--rounds` times: opens the form and its captcha picture,
solves the captcha (its answer read from the database, as a person reads the picture), sends an application
with an ID number of its own, lands on the receipt, opens the status page and looks the application up. A
form that comes back with an error, a status page that does not find the application, and a count of stored
applications other than applicants × rounds are errors. The captcha and the limits stay on: nothing is
switched off for the benchmark.

Prints one JSON object: requests, errors, requests per second, and p50/p95/p99 in milliseconds for each
step and overall. Every loop is bounded in count and time.
"""

import argparse
import concurrent.futures
import datetime
import http.cookiejar
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATABASE = "campaign_portal_join_load"
REQUEST_TIMEOUT = 30
STARTUP_TIMEOUT = 60
# The township union every benchmark applicant's workplace lies in (八廓街道, 城关区).
TOWNSHIP = "540102002"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from portal import create_database, drop_database, free_port, note, portal_env, server_url, stop  # noqa: E402


def manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    manage(env, "migrate", "--no-input")
    manage(env, "load_reference_data")
    manage(env, "collectstatic", "--no-input")


def start_gunicorn(env, port, workers, threads):
    command = [
        sys.executable, "-m", "gunicorn", "campaign_portal.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/join/", timeout=2).read()
            return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer within a minute")


class Applicant:
    """One phone: its own cookies and address, a few applications, every request timed."""

    def __init__(self, base, number, captcha_answer, think=(0.0, 0.0)):
        self.base = base
        self.address = f"10.{number // 250}.{number % 250}.{1 + number % 200}"
        self.number = number
        self.answer = captcha_answer
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.times = []  # (step, seconds, ok)
        self.think = think
        self.random = random.Random(number)

    def failed(self, step):
        self.times.append((step, 0.0, False))

    def request(self, step, path, data=None, binary=False):
        url = f"{self.base}{path}"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-Forwarded-For": self.address, "Referer": url, "User-Agent": "join-load"}
        started = time.perf_counter()
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                content = response.read()
                text = content if binary else content.decode()
                ok = response.status == 200
        except urllib.error.HTTPError as error:
            text, ok = error.read().decode(errors="replace"), False
        except OSError as error:
            text, ok = str(error), False
        self.times.append((step, time.perf_counter() - started, ok))
        if self.think[1]:
            time.sleep(self.random.uniform(*self.think))  # reading the page, typing on a phone
        return text if ok else None

    def apply(self, round_number):
        import forms_on_page as page

        form = self.request("form", "/join/")
        if form is None or self.request("captcha_image", page.captcha_image(form), binary=True) is None:
            return
        fields = page.application_fields(form, self.answer, id_number(self.number, round_number), TOWNSHIP)
        receipt = self.request("send", "/join/", fields)
        application_number = page.receipt_number(receipt or "")
        if application_number is None:
            return self.failed("receipt")  # the form came back with an error: nothing was stored
        lookup_form = self.request("status_form", "/join/status/")
        if lookup_form is None:
            return
        fields = page.status_fields(lookup_form, self.answer, application_number, id_number(self.number, round_number))
        status = self.request("status", "/join/status/", fields)
        if status is not None and not page.found(status, application_number):
            self.failed("status_found")


def id_number(applicant, round_number):
    """A valid ID number of its own for each applicant and round (GB 11643 check character)."""
    from members.idnumbers import check_character

    born = datetime.date(1975, 1, 1) + datetime.timedelta(days=applicant * 7 + round_number)
    first = f"540121{born:%Y%m%d}{applicant % 100:02d}{round_number % 10}"
    return first + check_character(first)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def summary(times, seconds):
    def figures(values):
        return {
            "count": len(values),
            "p50_ms": round(1000 * statistics.median(values), 1) if values else 0.0,
            "p95_ms": round(1000 * percentile(values, 0.95), 1),
            "p99_ms": round(1000 * percentile(values, 0.99), 1),
        }

    steps = {}
    for step, elapsed, _ok in times:
        steps.setdefault(step, []).append(elapsed)
    return {
        "requests": len(times),
        "errors": sum(not ok for _step, _elapsed, ok in times),
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(times) / seconds, 1),
        "overall": figures([elapsed for _step, elapsed, _ok in times]),
        "steps": {step: figures(values) for step, values in steps.items()},
    }


def run(applicants, rounds, base, captcha_answer, think):
    people = [Applicant(base, number, captcha_answer, think) for number in range(applicants)]
    # Each worker's first request reads templates and catalogues: warm them up outside the measurement.
    for _warm_up in range(6):
        urllib.request.urlopen(f"{base}/join/", timeout=REQUEST_TIMEOUT).read()
    start = threading.Barrier(applicants)

    def work(person):
        start.wait(timeout=60)
        # People do not press at the same millisecond: each arrives within the first pause's span.
        time.sleep(person.random.uniform(0, think[1]))
        for round_number in range(rounds):
            person.apply(round_number)

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=applicants) as pool:
        list(pool.map(work, people, timeout=600))
    seconds = time.perf_counter() - began
    return summary([entry for person in people for entry in person.times], seconds), people


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--think",
        default="1,3",
        help="seconds an applicant pauses after each page, as MIN,MAX (0,0: every applicant clicks without pause)",
    )
    options = parser.parse_args()
    think = tuple(min(30.0, max(0.0, float(value))) for value in options.think.split(",")[:2])
    server = server_url()
    database_url = create_database(server, DATABASE)
    static_root = Path(tempfile.mkdtemp(prefix="join-load-static-"))
    port = free_port()
    # Behind-proxy mode: each applicant's address is its own, as the reverse proxy writes it.
    env = portal_env(database_url, port, static_root, DJANGO_BEHIND_PROXY="1")
    note(f"Preparing {DATABASE}: migrations, reference data, static files")
    process = None
    try:
        prepare(env)
        process = start_gunicorn(env, port, options.workers, options.threads)
        import forms_on_page as page

        note(f"{options.applicants} applicants × {options.rounds} rounds on gunicorn ({options.workers} workers)")
        base = f"http://127.0.0.1:{port}"
        result, _people = run(options.applicants, options.rounds, base, page.captcha_solver(env), think)
        stored = page.applications_stored(env)
    finally:
        stop(process)
        shutil.rmtree(static_root, ignore_errors=True)
        drop_database(server, DATABASE)
    expected = options.applicants * options.rounds
    if stored != expected:
        note(f"{stored} applications stored, {expected} expected")
        result["errors"] += abs(expected - stored)
    result.update(
        name="join_load",
        database="postgresql",
        applicants=options.applicants,
        rounds=options.rounds,
        applications_stored=stored,
        workers=options.workers,
        threads=options.threads,
        think_seconds=list(think),
    )
    print(json.dumps(result, ensure_ascii=False))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
