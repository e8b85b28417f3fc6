"""Deadline day under load: many unit staff and reviewers clicking through the portal at once, on gunicorn.

    python bench/load.py [--enterprises 30000] [--users 30] [--seconds 60] [--compare REV]
                         [--configs 3x1,2x4] [--think 0.5,1]

It starts what it measures on loopback and stops everything it started, also on Ctrl-C or an error:
- a PostgreSQL database of its own, portal_bench_load_<pid>, on the server of BENCH_PG_URL (default
  postgres://postgres@127.0.0.1:5432), dropped at the end;
- in it: the migrations, the reference data, the campaigns, the demo accounts and demo data (through the
  loaders' functions, bench/load_seed.py, since the load_demo_data command refuses DEBUG off), enterprises from
  the project's generator up to --enterprises, the tallies recounted;
- the static files collected into a temporary folder;
- gunicorn with the project's gunicorn.conf.py, DEBUG off and secrets generated for the run, on a free port of
  127.0.0.1. `--configs 3x1,2x4` runs the load once per WORKERSxTHREADS on the same database (through
  GUNICORN_WORKERS and GUNICORN_THREADS); without it, the config file's own values (and the environment's).

Each simulated user is a thread with a cookie jar, logged in as one of the demo accounts in turn; then, for
--seconds, it clicks what its role clicks (click_plan), pausing 0.5 to 1 s between clicks (--think): the home
page, the task list, the registry's list with filters and pages, enterprises' pages, the dashboards, report
pages, the key enterprises, the member list; one click in twenty is a download (the Excel summary, the briefing,
a registry export); staff also edit enterprises through the form, with its version. Before the load, one user
alone times each kind of page (the median of a few tries).

Prints JSON lines on stdout, each labelled with the run ("HEAD", or the compared revision): one per kind of page
(count, p50/p95/p99 in ms, errors, the time alone), then one with the throughput, the errors, and the gunicorn
workers' resident memory (from /proc). With --compare REV it also measures REV the same way (checked out with
`git worktree add` into a temporary folder, with the same virtualenv and a database of its own) and prints a
last line of ratios. Notes go to stderr. Every loop is bounded in count and time.
"""

import argparse
import concurrent.futures
import html.parser
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
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
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BENCH_MEMBER_KEY = "YmVuY2htYXJrLW9ubHktbWVtYmVyLWtleS0wMDAwMDA="
DEMO_PASSWORD = "zgh-demo-2026"
REQUEST_TIMEOUT = 120
STARTUP_TIMEOUT = 90
MAX_USERS = 500
ALONE_TRIES = 3

# The demo accounts by role; users are given them in turn, so that every role is in the crowd.
ACCOUNTS = (
    ("chengguan_staff", "staff"),
    ("zzb_reviewer", "reviewer"),
    ("lasa_staff", "staff"),
    ("lasa_viewer", "viewer"),
    ("rikaze_staff", "staff"),
    ("portal_admin", "admin"),
)

# What each role clicks, and how often (weights). A download replaces one click in twenty (DOWNLOAD_SHARE).
BROWSING = {
    "home": 2,
    "tasks": 3,
    "enterprise_list": 5,
    "enterprise_detail": 4,
    "dashboard": 3,
    "members_dashboard": 1,
    "report": 2,
    "key_enterprises": 1,
    "member_list": 2,
}
MENUS = {
    "reviewer": BROWSING,
    "staff": {**BROWSING, "enterprise_edit": 2},
    "viewer": BROWSING,
    "admin": {"home": 2, "enterprise_list": 4, "enterprise_detail": 3, "dashboard": 3, "members_dashboard": 1},
}
DOWNLOADS = ("summary_xlsx", "briefing_docx", "registry_export")
DOWNLOAD_SHARE = 1 / 20
# Kinds of request timed; an edit is two: the form, and saving it (its redirect to the page included).
KINDS = (
    "login",
    *BROWSING,
    "enterprise_edit_form",
    "enterprise_save",
    *DOWNLOADS,
)
# The registry list as people filter it (a random page of 1 to 5 is added).
LIST_FILTERS = (
    {},
    {"band": "100"},
    {"union_status": "none"},
    {"band": "50", "union_status": "none"},
    {"party_org": "none", "band": "25"},
    {"four_criteria": "on"},
    {"q": "有限公司"},
    {"sort": "-headcount"},
)
# Filters of the exports: a unit exports a part of its list, not the whole registry.
EXPORT_FILTERS = ({"band": "100"}, {"band": "100", "union_status": "none"}, {"band": "50", "party_org": "none"})

ENTERPRISE_LINK = re.compile(r'href="/enterprises/(\d+)/"')
REPORT_LINK = re.compile(r'href="(/campaigns/deadlines/\d+/[^/"]+/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from portal import create_database, drop_database, free_port, note, portal_env, server_url, stop  # noqa: E402

# The pure parts: what a user clicks, and the figures.


def click_plan(role, rng, count):
    """The kinds of page a user of `role` opens, `count` of them at most (a bounded plan)."""
    menu = MENUS[role]
    kinds, weights = list(menu), list(menu.values())
    plan = []
    for _ in range(max(0, count)):
        if rng.random() < DOWNLOAD_SHARE:
            plan.append(rng.choice(DOWNLOADS))
        else:
            plan.append(rng.choices(kinds, weights)[0])
    return plan


def percentile(values, share):
    """The nearest-rank percentile of `values` (0 for none)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, int(round(share * (len(ordered) - 1)))))]


def figures(samples):
    """count, p50/p95/p99 in ms and errors of (seconds, ok) samples."""
    values = [seconds for seconds, _ok in samples]
    return {
        "count": len(values),
        "p50_ms": round(1000 * percentile(values, 0.50), 1),
        "p95_ms": round(1000 * percentile(values, 0.95), 1),
        "p99_ms": round(1000 * percentile(values, 0.99), 1),
        "errors": sum(not ok for _seconds, ok in samples),
    }


def by_kind(times):
    """{kind: [(seconds, ok), ...]} from (kind, seconds, ok) entries, in the order of KINDS."""
    grouped = {}
    for kind, seconds, ok in times:
        grouped.setdefault(kind, []).append((seconds, ok))
    return {kind: grouped[kind] for kind in sorted(grouped, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k))}


def parse_configs(text):
    """ "3x1,2x4" -> [(3, 1), (2, 4)]; an empty text is one run with the config file's own values."""
    configs = []
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        workers, _x, threads = item.lower().partition("x")
        configs.append((max(1, min(64, int(workers))), max(1, min(64, int(threads or 1)))))
    return configs or [None]


# The page the benchmark reads: the edit form's fields, as a browser sends them.


class FormFields(html.parser.HTMLParser):
    """The fields of the POST forms of a page, one dict of name -> list of values per form."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {}
            self.forms.append(self.current)
        if self.current is None or "name" not in attrs:
            if tag == "option" and self.select is not None and "selected" in attrs:
                self.current.setdefault(self.select, []).append(attrs.get("value", ""))
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.current.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "reset"}:
                self.current.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            self.current.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None and self.current is not None:
            self.current[self.textarea][-1] += data


def edit_fields(page):
    """The fields of the enterprise form on `page` (the form with a version), or None."""
    parser = FormFields()
    parser.feed(page)
    for form in parser.forms:
        if "version" in form:
            return form
    return None


# One user.


class User:
    """One person at a browser: a cookie jar, a role's clicks, every request timed as (kind, seconds, ok)."""

    def __init__(self, base, number, stop, think=(0.5, 1.0)):
        self.base = base
        self.username, self.role = ACCOUNTS[number % len(ACCOUNTS)]
        self.random = random.Random(number)
        self.stop = stop
        self.think = think
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.times = []
        self.enterprises = []
        self.reports = []
        self.returned = None
        self.conflicts = 0

    def request(self, kind, path, data=None, record=True):
        """The page's text (None on an error); times it under `kind`."""
        url = path if path.startswith("http") else f"{self.base}{path}"
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"User-Agent": "deadline-load", "Referer": url})
        started = time.perf_counter()
        text, ok = None, False
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                content = response.read()
                final = response.geturl()
                # Sent to the login page: the session was lost (or, for the login itself, refused).
                login = "/accounts/login/"
                landed_on_login = urlsplit(final).path == login and (data is not None or urlsplit(url).path != login)
                ok = response.status == 200 and not landed_on_login
                if kind == "enterprise_save":
                    ok = ok and not urlsplit(final).path.endswith("/edit/")  # the form came back with an error
                kind_of = response.headers.get_content_type()
                text = content.decode(errors="replace") if kind_of.startswith("text/") else ""
        except urllib.error.HTTPError as error:
            error.read()
        except OSError:
            pass
        if record:
            self.times.append((kind, time.perf_counter() - started, ok))
        self.returned = text
        return text if ok else None

    def login(self):
        page = self.request("login", "/accounts/login/", record=False)
        token = CSRF.search(page or "")
        fields = {
            "username": self.username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        return self.request("login", "/accounts/login/", fields) is not None

    def pause(self):
        if self.think[1] > 0:
            self.stop.wait(self.random.uniform(*self.think))

    def remember_enterprises(self, page):
        found = ENTERPRISE_LINK.findall(page or "")
        if found:
            self.enterprises = list(dict.fromkeys(found))[:100]

    def open_list(self):
        query = {**self.random.choice(LIST_FILTERS), "page": self.random.randint(1, 5)}
        self.remember_enterprises(self.request("enterprise_list", "/enterprises/?" + urllib.parse.urlencode(query)))

    def an_enterprise(self):
        if not self.enterprises:
            self.remember_enterprises(self.request("enterprise_list", "/enterprises/"))
        return self.random.choice(self.enterprises) if self.enterprises else None

    def edit(self):
        """Open an enterprise's form and save it with one change (its headcount by one), as the form sends it."""
        pk = self.an_enterprise()
        if pk is None:
            return
        page = self.request("enterprise_edit_form", f"/enterprises/{pk}/edit/")
        fields = edit_fields(page or "")
        if fields is None:
            return
        headcount = int((fields.get("headcount") or ["0"])[0] or 0)
        fields["headcount"] = [str(headcount + 1 if headcount < 5 or self.random.random() < 0.5 else headcount - 1)]
        if self.request("enterprise_save", f"/enterprises/{pk}/edit/", fields) is None:
            shown = edit_fields(self.returned or "")
            if shown is not None and shown.get("version") != fields.get("version"):
                # Another user of the account saved it meanwhile: the form shows what is saved now and its
                # version, as it should. Not an error; counted apart.
                kind, seconds, _ok = self.times[-1]
                self.times[-1] = (kind, seconds, True)
                self.conflicts += 1

    def click(self, kind):
        if kind == "home":
            self.request(kind, "/")
        elif kind == "tasks":
            page = self.request(kind, "/campaigns/")
            found = REPORT_LINK.findall(page or "")
            if found:
                self.reports = list(dict.fromkeys(found))[:50]
        elif kind == "enterprise_list":
            self.open_list()
        elif kind == "enterprise_detail":
            pk = self.an_enterprise()
            if pk is not None:
                self.request(kind, f"/enterprises/{pk}/")
        elif kind == "enterprise_edit":
            self.edit()
        elif kind == "dashboard":
            self.request(kind, "/reports/dashboard/" + self.random.choice(("", "?threshold=50", "?threshold=25")))
        elif kind == "members_dashboard":
            self.request(kind, "/reports/members/")
        elif kind == "report":
            if not self.reports:
                self.click("tasks")
            if self.reports:
                self.request(kind, self.random.choice(self.reports))
        elif kind == "key_enterprises":
            self.request(kind, "/campaigns/push/")
        elif kind == "member_list":
            self.request(kind, f"/members/?page={self.random.randint(1, 5)}")
        elif kind == "summary_xlsx":
            self.request(kind, "/reports/dashboard/summary.xlsx")
        elif kind == "briefing_docx":
            self.request(kind, "/reports/briefing.docx")
        elif kind == "registry_export":
            query = {**self.random.choice(EXPORT_FILTERS), "format": "xlsx"}
            self.request(kind, "/enterprises/export/?" + urllib.parse.urlencode(query))

    def work(self, until, clicks):
        """Click through the role's plan until `until` (monotonic), `clicks` at most."""
        for kind in click_plan(self.role, self.random, clicks):
            if self.stop.is_set() or time.monotonic() >= until:
                return
            self.click(kind)
            self.pause()


# What runs: the database, the portal, the load.


def crowd_env(database_url, folder, port):
    """The portal's environment for the crowd: login limits raised (every user logs in from 127.0.0.1, and the
    limits of one address would count the whole crowd as one), gunicorn bound to the run's port."""
    return portal_env(
        database_url,
        port,
        folder / "static",
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        AXES_FAILURE_LIMIT="10000",
        LOGIN_ADDRESS_FAILURE_LIMIT="10000",
        GUNICORN_BIND=f"127.0.0.1:{port}",
    )


def run_quietly(command, env, cwd, log):
    """Run a command of the set-up, its output in the log file; its last line of output back."""
    with open(log, "a") as output:
        done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=output, text=True)
        output.write(done.stdout)
    if done.returncode:
        raise SystemExit(f"{' '.join(map(str, command[:3]))} failed (exit {done.returncode}); see {log}")
    return (done.stdout.strip().splitlines() or [""])[-1]


def gunicorn_command(root, port, config):
    """gunicorn with the tree's own gunicorn.conf.py; a tree without one (an older revision) gets the command
    line its README gave: 3 sync workers, a 120 s timeout."""
    command = [sys.executable, "-m", "gunicorn"]
    if (root / "gunicorn.conf.py").exists():
        command += ["--config", str(root / "gunicorn.conf.py")]
    else:
        command += ["--bind", f"127.0.0.1:{port}", "--timeout", "120"]
        command += ["--workers", str(config[0] if config else 3)]
        if config and config[1] > 1:
            command += ["--threads", str(config[1])]
    return [*command, "campaign_portal.wsgi:application"]


def start_gunicorn(root, env, port, config, log):
    env = dict(env)
    if config:
        env["GUNICORN_WORKERS"], env["GUNICORN_THREADS"] = str(config[0]), str(config[1])
    with open(log, "a") as output:
        process = subprocess.Popen(
            gunicorn_command(root, port, config),
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).read()
            return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn did not answer within {STARTUP_TIMEOUT} s; see {log}")


def worker_pids(master):
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    """The gunicorn workers' resident memory every two seconds: the peak of their sum, and the last sample."""

    def __init__(self, master, stop_event):
        super().__init__(daemon=True)
        self.master, self.stop_event = master, stop_event
        self.peak_total, self.last = 0.0, []

    def sample(self):
        self.last = [round(rss_mb(pid), 1) for pid in worker_pids(self.master)]
        self.peak_total = max(self.peak_total, sum(self.last))

    def run(self):
        for _ in range(100_000):
            self.sample()
            if self.stop_event.wait(2):
                return


def alone(base, stop_event, warm_up=1):
    """Each kind of page for one user alone, before the load: the median of a few tries, in ms.

    Each kind is first opened `warm_up` times untimed (one per worker): a worker's first page of a kind reads its
    templates and the figures each worker keeps, which a portal in use has done long before."""
    timings = {}
    users = dict.fromkeys(("reviewer", "staff"))
    for number, (_username, role) in enumerate(ACCOUNTS):
        if role in users and users[role] is None:
            user = User(base, number, stop_event, think=(0, 0))
            if user.login():
                users[role] = user
    for tries in (warm_up, ALONE_TRIES):
        for user in filter(None, users.values()):
            user.times.clear()
        for kind in (*BROWSING, "enterprise_edit", *DOWNLOADS):
            role = "staff" if kind == "enterprise_edit" else "reviewer"
            user = users[role]
            if user is None:
                continue
            for _ in range(tries):
                user.click(kind)
    for user in filter(None, users.values()):
        for kind, samples in by_kind(user.times).items():
            timings.setdefault(kind, round(1000 * statistics.median(seconds for seconds, _ok in samples), 1))
    return timings


def load(base, users_count, seconds, think, stop_event):
    """Log the users in, then let them click for `seconds`; their timings, the window's length."""
    users = [User(base, number, stop_event, think) for number in range(users_count)]

    def log_in(user):
        time.sleep(user.random.uniform(0, 1))  # people do not press at the same millisecond
        user.login()

    with concurrent.futures.ThreadPoolExecutor(max_workers=users_count) as pool:
        list(pool.map(log_in, users, timeout=STARTUP_TIMEOUT + REQUEST_TIMEOUT))
    clicks = int(seconds / max(0.1, think[0]) + 10) if think[1] > 0 else int(seconds * 50 + 10)
    began = time.monotonic()
    until = began + seconds

    def work(user):
        time.sleep(user.random.uniform(0, think[1]))
        user.work(until, clicks)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=users_count) as pool:
            list(pool.map(work, users, timeout=seconds + 2 * REQUEST_TIMEOUT))
    except BaseException:
        stop_event.set()  # Ctrl-C: the users stop after their request under way, before the pool is left
        raise
    return users, time.monotonic() - began


def measure(label, root, options, server, keep_logs):
    """One tree measured: its own database, its static files, gunicorn per configuration; JSON lines."""
    name = f"portal_bench_load_{os.getpid()}" + ("" if label == "HEAD" else "_compare")
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    log = keep_logs / f"bench-load-{label.replace('/', '_')}.log"
    lines = []
    process = None
    stop_event = threading.Event()
    try:
        database_url = create_database(server, name)
        port = free_port()
        env = crowd_env(database_url, folder, port)
        note(f"[{label}] loading {name}: migrations, reference data, demo data, {options.enterprises} enterprises")
        started = time.perf_counter()
        seeded = run_quietly(
            [sys.executable, str(BENCH / "load_seed.py"), str(root), str(options.enterprises)], env, root, log
        )
        note(f"[{label}] loaded in {time.perf_counter() - started:.0f} s: {seeded}")
        run_quietly([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env, root, log)
        for config in parse_configs(options.configs):
            process = start_gunicorn(root, env, port, config, log)
            workers = worker_pids(process.pid)
            base = f"http://127.0.0.1:{port}"
            note(f"[{label}] gunicorn {config or 'as configured'} ({len(workers)} workers): one user alone")
            timings_alone = alone(base, stop_event, warm_up=max(1, len(workers)))
            note(f"[{label}] {options.users} users for {options.seconds} s")
            sampler = MemorySampler(process.pid, stop_event)
            sampler.start()
            users, window = load(base, options.users, options.seconds, options.think, stop_event)
            sampler.sample()
            stop_event.set()
            sampler.join(timeout=5)
            stop_event.clear()
            stop(process)
            process = None
            lines += report(label, config, users, window, timings_alone, sampler)
    finally:
        stop_event.set()
        stop(process)
        drop_database(server, name)
        shutil.rmtree(folder, ignore_errors=True)
    return lines


def report(label, config, users, window, timings_alone, sampler):
    times = [entry for user in users for entry in user.times]
    setting = {"run": label, "workers_x_threads": f"{config[0]}x{config[1]}" if config else "config file"}
    lines = [
        {**setting, "kind": kind, **figures(samples), "alone_ms": timings_alone.get(kind)}
        for kind, samples in by_kind(times).items()
    ]
    clicked = [entry for entry in times if entry[0] != "login"]
    overall = figures([(seconds, ok) for _kind, seconds, ok in clicked])
    lines.append(
        {
            **setting,
            "kind": "overall",
            "users": len(users),
            "seconds": round(window, 1),
            "requests": len(clicked),
            "requests_per_second": round(len(clicked) / window, 2) if window else 0.0,
            "p50_ms": overall["p50_ms"],
            "p95_ms": overall["p95_ms"],
            "p99_ms": overall["p99_ms"],
            "errors": sum(not ok for _kind, _seconds, ok in times),
            "edit_conflicts": sum(user.conflicts for user in users),
            "workers": len(sampler.last),
            "worker_rss_mb": sampler.last,
            "worker_rss_total_mb": round(sum(sampler.last), 1),
            "worker_rss_peak_total_mb": round(sampler.peak_total, 1),
            "alone_ms": timings_alone,
        }
    )
    return lines


def comparison(head, other, revision):
    """Throughput and p95 of HEAD against the compared revision, for each configuration measured on both."""
    old = {line["workers_x_threads"]: line for line in other if line["kind"] == "overall"}
    ratios = []
    for line in head:
        before = old.get(line["workers_x_threads"]) if line["kind"] == "overall" else None
        if before:
            ratios.append(
                {
                    "run": f"HEAD vs {revision}",
                    "workers_x_threads": line["workers_x_threads"],
                    "throughput_ratio": round(
                        line["requests_per_second"] / max(before["requests_per_second"], 1e-9), 2
                    ),
                    "p95_ratio": round(line["p95_ms"] / max(before["p95_ms"], 1e-9), 2),
                }
            )
    return ratios


def checkout(revision, folder):
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), revision], check=True
    )
    # The front-end packages are not in git: lend the tree this one's (collectstatic reads them).
    if (ROOT / "node_modules").exists() and not (folder / "node_modules").exists():
        (folder / "node_modules").symlink_to(ROOT / "node_modules")


def interrupted(_signal, _frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=30000)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--compare", default="", help="a git revision measured the same way, side by side")
    parser.add_argument("--configs", default="", help="WORKERSxTHREADS,... each measured on the same database")
    parser.add_argument("--think", default="0.5,1", help="seconds between a user's clicks, as MIN,MAX")
    options = parser.parse_args()
    options.users = max(1, min(MAX_USERS, options.users))
    options.seconds = max(1.0, min(3600.0, options.seconds))
    options.think = tuple(min(30.0, max(0.0, float(value))) for value in (options.think.split(",") + ["0"])[:2])
    server = server_url()
    logs = Path(tempfile.mkdtemp(prefix="bench-load-logs-"))
    # SIGTERM stops the run as Ctrl-C does: through the finally blocks that stop what was started.
    signal.signal(signal.SIGTERM, interrupted)
    started = time.perf_counter()
    compared, other_tree = [], None
    try:
        head = measure("HEAD", ROOT, options, server, logs)
        if options.compare:
            other_tree = Path(tempfile.mkdtemp(prefix="bench-load-rev-")) / "tree"
            checkout(options.compare, other_tree)
            compared = measure(options.compare, other_tree, options, server, logs)
    except BaseException:
        note(f"stopped; the logs of gunicorn and the loading are in {logs}")
        raise
    finally:
        if other_tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other_tree)], check=False)
            shutil.rmtree(other_tree.parent, ignore_errors=True)
    for line in [*head, *compared, *comparison(head, compared, options.compare)]:
        print(json.dumps(line, ensure_ascii=False), flush=True)
    note(f"done in {time.perf_counter() - started:.0f} s")
    errors = sum(line.get("errors", 0) for line in head if line["kind"] == "overall")
    if not errors:
        shutil.rmtree(logs, ignore_errors=True)
    else:
        note(f"{errors} errors; the logs are in {logs}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
