"""A CSV download the database fails under: never a file that looks complete.

Once the headers are sent the status cannot change; the error has to propagate out of the response's iteration,
so that the WSGI server (gunicorn) closes the connection without the chunked body's last chunk and the browser
reports the download as failed. Before the first piece, the view still answers with the try-again page.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse

from conftest import make_enterprise
from enterprises import exports

pytestmark = pytest.mark.django_db


def rows_failing_after(count):
    """The export's rows, until the database connection is lost after `count` of them."""
    original = exports.export_rows

    def export_rows(queryset, columns):
        for number, row in enumerate(original(queryset, columns)):
            if number == count:
                raise OperationalError("server closed the connection unexpectedly")
            yield row

    return export_rows


@pytest.fixture
def three_enterprises(db):
    return [make_enterprise("540102") for _ in range(3)]


def test_a_csv_download_cut_off_by_the_database_raises_out_of_the_stream(
    login, reviewer, three_enterprises, monkeypatch
):
    monkeypatch.setattr(exports, "CSV_ROWS_PER_CHUNK", 1)
    monkeypatch.setattr(exports, "export_rows", rows_failing_after(2))
    response = login(reviewer).get(reverse("enterprises:export"), {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert not response.has_header("Content-Length")

    received = []
    with pytest.raises(OperationalError):
        received.extend(response.streaming_content)
    # The header and the two rows read before the failure went out; nothing pretends to be the end.
    assert len(received) == 2
    assert b"".join(received).decode("utf-8-sig").count("\n") == 3


def test_a_database_failure_before_the_first_piece_is_the_try_again_page(
    login, reviewer, three_enterprises, monkeypatch
):
    monkeypatch.setattr(exports, "export_rows", rows_failing_after(0))
    response = login(reviewer).get(reverse("enterprises:export"), {"format": "csv"})
    assert response.status_code == 503
    assert response.has_header("Retry-After")
