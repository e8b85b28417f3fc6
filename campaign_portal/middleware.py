"""When the database goes away under a request: a page that says to try again, not a server error.

PostgreSQL drops the portal's connections when it restarts, fails over or has a backend terminated. A request
that starts afterwards gets a fresh connection (the connections' health checks, see settings). A request caught
in the middle answers 503 with `Retry-After` and a standalone page: it is rendered without the request, so no
context processor runs and nothing on the page reads the database that has just failed.

A download already streaming when the database fails cannot change its status any more: its generator raises,
and the WSGI server (gunicorn) then closes the connection without the end of the chunked body, so the browser
reports the download as failed instead of keeping a file that looks complete (see `enterprises.exports`).
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a browser (or a script) is told to wait before trying again: about what a restart or failover takes.
RETRY_AFTER_SECONDS = 30


def _unusable_connections():
    """The connections opened in this thread that no longer answer (outside a transaction, where closing is safe)."""
    return [
        conn
        for conn in connections.all(initialized_only=True)
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable()
    ]


def is_database_unavailable(exc):
    """Whether `exc` means the database could not be reached, rather than a fault of the portal's own."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DatabaseError) and bool(_unusable_connections())


def database_unavailable_response(request, exc):
    # The exception's text can quote values of the query, so only its kind and code are logged.
    logger.error(
        "Database unavailable during %s %s: %s %s",
        request.method,
        request.path,
        type(exc).__name__,
        getattr(exc.__cause__, "pgcode", None) or "",
    )
    for conn in _unusable_connections():
        conn.close()
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers a view (or its template) that failed for want of the database with the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response(request, exception)
        return None


def server_error(request):
    """handler500: the 503 page as well when the database failed outside a view (in another middleware)."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_unavailable(exc):
        return database_unavailable_response(request, exc)
    return defaults.server_error(request)
