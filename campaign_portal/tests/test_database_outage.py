"""The database going away (a restart, a failover, a terminated backend) is a page that says to try again."""

import threading
from unittest import mock

import pytest
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.urls import reverse

from campaign_portal import middleware
from campaign_portal.management.commands import jobs_worker
from conftest import make_persona

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminating a server backend needs PostgreSQL"
)

LOST = "terminating connection due to administrator command"


def view_selector_failing_with(error):
    return mock.patch("enterprises.views.filtered_enterprises", side_effect=error)


@pytest.mark.parametrize("error", [OperationalError(LOST), InterfaceError("connection already closed")])
def test_a_view_that_loses_the_database_answers_503_with_a_try_again_page(login, reviewer, error):
    with view_selector_failing_with(error):
        response = login(reviewer).get(reverse("enterprises:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(middleware.RETRY_AFTER_SECONDS)
    assert [template.name for template in response.templates] == ["503.html"]
    content = response.content.decode()
    assert 'lang="zh-Hans"' in content
    assert "服务暂时不可用" in content
    assert "Traceback" not in content
    assert str(error) not in content


def test_the_503_page_reads_nothing_from_the_database(db, rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = middleware.database_unavailable_response(rf.get("/"), OperationalError(LOST))
    assert response.status_code == 503


def test_the_log_line_names_the_error_not_its_text(login, reviewer, caplog):
    with view_selector_failing_with(OperationalError("DETAIL: Key (name)=(拉萨某酒店) already exists")):
        login(reviewer).get(reverse("enterprises:list"))
    logged = " ".join(record.getMessage() for record in caplog.records if record.name == middleware.__name__)
    assert "OperationalError" in logged
    assert "拉萨某酒店" not in logged


def test_an_error_that_is_not_the_database_stays_a_server_error(client, reviewer):
    client.raise_request_exception = False
    client.force_login(reviewer)
    with view_selector_failing_with(ValueError("a fault of the portal")):
        response = client.get(reverse("enterprises:list"))
    assert response.status_code == 500


def test_another_database_error_on_a_working_connection_stays_a_server_error():
    assert not middleware.is_database_unavailable(DatabaseError("a constraint the portal got wrong"))


def test_the_database_failing_outside_a_view_is_the_503_page_too(rf):
    try:
        raise OperationalError(LOST)
    except OperationalError:
        response = middleware.server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(middleware.RETRY_AFTER_SECONDS)


def test_the_job_sweeper_drops_a_failed_connection_before_each_sweep(monkeypatch):
    stopped = threading.Event()
    calls = []

    def sweep():
        calls.append("sweep")
        stopped.set()
        return []

    monkeypatch.setattr(jobs_worker, "SWEEP_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(jobs_worker, "sweep_stale_jobs", sweep)
    monkeypatch.setattr(jobs_worker, "close_old_connections", lambda: calls.append("close_old_connections"))
    monkeypatch.setattr(jobs_worker.connections, "close_all", lambda: None)
    jobs_worker.sweep_now_and_then(stopped)
    assert calls == ["close_old_connections", "sweep"]


# On PostgreSQL: the server really drops the connection.


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    """What a restart or failover does to the portal's connection, from a connection of another."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    finally:
        other.close()


def served(client, url):
    """A request as a WSGI server makes it: Django's handler first lets go of failed or old connections and checks
    the kept one again (request_started), which the test client leaves out."""
    close_old_connections()
    return client.get(url)


@pytest.fixture
def persistent_connections(monkeypatch):
    """The production defaults, whatever the test settings say: connections kept a minute, checked before reuse."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    yield
    connection.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_after_postgresql_dropped_the_connection_succeeds(reference_data, persistent_connections, client):
    client.force_login(make_persona("reviewer"))
    assert served(client, reverse("enterprises:list")).status_code == 200
    kept = backend_pid()
    assert served(client, reverse("enterprises:list")).status_code == 200
    assert backend_pid() == kept, "the connection should have been kept between requests"

    terminate(kept)

    assert served(client, reverse("enterprises:list")).status_code == 200
    assert backend_pid() != kept


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_caught_when_postgresql_drops_it_gets_503_and_the_next_one_succeeds(
    reference_data, persistent_connections, client
):
    from enterprises import selectors

    client.force_login(make_persona("reviewer"))
    assert served(client, reverse("enterprises:list")).status_code == 200

    def dropped_mid_request(user, params):
        terminate(backend_pid())
        return selectors.filtered_enterprises(user, params)

    with mock.patch("enterprises.views.filtered_enterprises", side_effect=dropped_mid_request):
        response = served(client, reverse("enterprises:list"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert connection.connection is None, "the broken connection should have been closed"

    assert served(client, reverse("enterprises:list")).status_code == 200
