"""A pytest plugin: a test that leaves the figure tallies different from a fresh count of the registry fails.

The services recount the tallies on every write; a new code path that writes the registry around them (a save(),
an update(), a bulk load) would leave the dashboards wrong with nothing to tell. This catches it in development,
in whichever app it is written. It costs two small queries after each test that used the database, and nothing
for the others. A test that writes around the services on purpose says so with @pytest.mark.tallies_may_drift.
"""

import pytest

MARKER = "tallies_may_drift"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}: the test writes the registry around its services on purpose, leaving the tallies stale"
    )


def _uses_database(request):
    return "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db")


@pytest.fixture(autouse=True)
def _tallies_stay_fresh(request):
    if not _uses_database(request) or request.node.get_closest_marker(MARKER):
        yield
        return
    # Set the database up before this fixture, so that it is still there when this fixture's check runs.
    request.getfixturevalue("db")
    yield
    check()


def check():
    """Fail the test if the tallies differ from a fresh count of the registry."""
    from django.db import connection

    from enterprises import tallies

    if connection.needs_rollback:  # the test left its transaction broken: nothing can be read
        return
    differences = tallies.drift()
    if differences:
        shown = "; ".join(
            f"{county} unit {unit} band {band} {figure}: stored {stored}, counted {counted}"
            for county, unit, band, figure, stored, counted in differences[:5]
        )
        pytest.fail(
            "The test left the figure tallies different from a fresh count of the registry: something wrote the "
            f"registry around its services without enterprises.tallies.recount(). {shown}",
            pytrace=False,
        )
