"""A pytest plugin: a test that leaves the member tallies different from a fresh count of the rolls fails.

The member services recount on every write; a code path that writes memberships around them would leave the
member figures wrong with nothing to tell. Tests that do so on purpose carry @pytest.mark.tallies_may_drift,
as for the registry's tallies.
"""

import pytest

from enterprises.tests.fresh_tallies import MARKER, _uses_database


@pytest.fixture(autouse=True)
def _member_tallies_stay_fresh(request):
    if not _uses_database(request) or request.node.get_closest_marker(MARKER):
        yield
        return
    request.getfixturevalue("db")
    yield
    check()


def check():
    from django.db import connection

    from members import tallies

    if connection.needs_rollback:
        return
    differences = tallies.drift()
    if differences:
        shown = "; ".join(
            f"union {union} employer {employer} migrant {migrant} {year}: stored {stored}, counted {counted}"
            for union, employer, migrant, year, stored, counted in differences[:5]
        )
        pytest.fail(
            "The test left the member tallies different from a fresh count of the rolls: something wrote "
            f"memberships around members.services without members.tallies.recount(). {shown}",
            pytrace=False,
        )
