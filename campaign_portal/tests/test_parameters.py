"""Every view, fed out-of-range dates, huge numbers, unknown codes and junk in its query string and in its address:
a page, a message or a 404, never a 500.

The addresses come from the permission matrix (it names every URL of the portal, see test_permissions), so a new
view is fuzzed as soon as it is listed there.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from campaign_portal.tests.test_permissions import MATRIX, resolve

pytestmark = pytest.mark.django_db

# Every query parameter a page of the portal reads, and then some.
PARAMETERS = [
    "as_of",
    "area",
    "source",
    "threshold",
    "compare",
    "page",
    "q",
    "status",
    "campaign",
    "closed",
    "format",
    "next",
    "band",
    "county",
    "prefecture",
    "unit",
    "figure",
    "flags",
    "sort",
    "party_org",
    "union_status",
    "key_sector",
    "industry",
    "four_criteria",
]
JUNK = [
    "9999-12-31",
    "0001-01-01",
    "2019-02-30",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "nan",
    "<script>alert(1)</script>",
    "\x00",
    "%",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "x" * 5000,
    "540100",
    "no-such-code",
    "",
]
# Path arguments: numbers past every integer column's range, and codes that name nothing.
PATH_JUNK = {"int": ["0", "9223372036854775808", "99999999999999999999999999"], "str": ["x" * 300, "%00", "540100.."]}

GET_URLS = sorted({(name, tuple(sorted(kwargs.items()))) for name, kwargs, method, _statuses in MATRIX})


def _url(request, name, kwargs):
    return reverse(name, kwargs=resolve(request, dict(kwargs)))


@pytest.mark.parametrize("persona", ["reviewer", "chengguan_staff"])
@pytest.mark.parametrize(("name", "kwargs"), GET_URLS, ids=[f"{n}{dict(k) or ''}" for n, k in GET_URLS])
def test_junk_in_the_query_string_never_fails(client, request, persona, name, kwargs):
    if name in {"logout", "login"}:
        pytest.skip("no query string to speak of")
    client.force_login(request.getfixturevalue(persona))
    url = _url(request, name, kwargs)
    failures = []
    for value in JUNK:
        response = client.get(url, dict.fromkeys(PARAMETERS, value))
        if response.status_code >= 500:
            failures.append((value[:20], response.status_code))
    for parameter in ("as_of", "page", "threshold", "source", "area", "campaign"):
        for value in ("9999-12-31", "99999999999999999999999999", "\x00"):
            response = client.get(url, {parameter: value})
            if response.status_code >= 500:
                failures.append((parameter, value[:20], response.status_code))
    assert failures == []


@pytest.mark.parametrize(("name", "kwargs"), [(n, k) for n, k in GET_URLS if k])
def test_junk_in_the_address_is_refused_or_not_found(client, reviewer, request, name, kwargs):
    client.force_login(reviewer)
    kwargs = dict(kwargs)
    for key in kwargs:
        others = resolve(request, {other: value for other, value in kwargs.items() if other != key})
        for junk in PATH_JUNK["str" if key in {"unit", "code"} else "int"]:
            try:
                url = reverse(name, kwargs={**others, key: junk})
            except NoReverseMatch:  # the address cannot even be written with this value
                continue
            method = client.post if name.endswith(("notification_open", "attachment_add", "read_all")) else client.get
            assert method(url).status_code in (403, 404), url  # refused or not found, never a failure
