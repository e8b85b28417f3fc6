"""Every page each demo account can reach, followed two links deep from its home page: none is missing (404), none
fails (500), none is a link to something the account may not do (403, 405), and looking writes nothing.

The demo data is what `make run` loads, so the crawl sees what a new user clicking around sees. Links to the same
page with other parameters are many (every enterprise, every page of a list); a few of each kind are followed.
"""

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from unions.demo import DEMO_ACCOUNTS
from unions.models import User

pytestmark = pytest.mark.django_db

DEPTH = 2
# How many different addresses of one kind of page the crawl follows (each enterprise, each page of a list…).
PER_KIND = 4
LINK = re.compile(r'<a\s[^>]*href="([^"#]*)"', re.I)
# Leaving the portal's pages: static files, and logging out (a POST anyway).
SKIPPED_PREFIXES = ("/static/", "/media/", "/accounts/logout/")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
# The one table a GET may write: the session, whose expiry moves on with every request.
ALLOWED_WRITES = ("django_session",)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def links_of(response):
    if "text/html" not in response.get("Content-Type", ""):
        return []
    found = []
    for href in LINK.findall(response.content.decode()):
        href = unescape(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIPPED_PREFIXES):
            continue
        found.append(href)
    return found


def kind_of(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name


def stray_writes(queries):
    return [
        query["sql"][:120]
        for query in queries
        if WRITE.match(query["sql"]) and not any(table in query["sql"] for table in ALLOWED_WRITES)
    ]


TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def malformed(response):
    """What is wrong with a page's frame: a title that swallowed markup (a block left open), or none."""
    if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
        return []
    titles = TITLE.findall(response.content.decode())
    if len(titles) != 1:
        return [f"{len(titles)} titles"]
    return ["markup in the title"] if "<" in titles[0] else []


def crawl(client, start="/"):
    """(address, status, writes and faults) of every page reached from `start`, `DEPTH` links deep."""
    seen, per_kind, results = {start}, Counter(), []
    queue = deque([(start, 0)])
    while queue:
        path, depth = queue.popleft()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        results.append((path, response.status_code, stray_writes(queries.captured_queries) + malformed(response)))
        if depth == DEPTH or response.status_code != 200:
            continue
        for link in links_of(response):
            kind = kind_of(link)
            if link in seen or per_kind[kind] >= PER_KIND:
                continue
            seen.add(link)
            per_kind[kind] += 1
            queue.append((link, depth + 1))
    return results


def test_every_demo_account_reaches_only_pages_that_exist_and_writes_nothing_by_looking(client, demo):
    problems = []
    for username, *_rest in DEMO_ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        results = crawl(client)
        assert len(results) > 10, f"{username} reached almost nothing"
        problems += [f"{username} {path} → {status}" for path, status, _writes in results if status not in (200, 302)]
        problems += [f"{username} {path}: {faults}" for path, _status, faults in results if faults]
        client.logout()
    assert problems == []
