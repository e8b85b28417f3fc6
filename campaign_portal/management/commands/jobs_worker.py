"""The background worker: django-tasks' database worker, which first and then every minute marks failed the jobs
whose worker died mid-way (campaign_portal.jobs.sweep_stale_jobs).

A worker runs for weeks, through database restarts: between jobs django-tasks' loop closes connections that
failed or outlived DATABASE_CONN_MAX_AGE, and the sweeper does the same before each sweep, so that neither
keeps reusing a connection the server has dropped. A worker that cannot reach the database at all stops with an
error, and systemd starts it again (see README)."""

import logging
import os
import threading

from django.db import DatabaseError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from campaign_portal.jobs import SWEEP_INTERVAL_SECONDS, sweep_stale_jobs

logger = logging.getLogger(__name__)


def sweep_now_and_then(stopped):
    """In a thread of its own (and so with a database connection of its own) beside the jobs."""
    try:
        while not stopped.wait(SWEEP_INTERVAL_SECONDS):
            # As between requests: a connection that failed (the server restarted) or grew old is opened afresh.
            close_old_connections()
            try:
                swept = sweep_stale_jobs()
            except DatabaseError:
                logger.warning("Could not look for stale jobs", exc_info=True)
                continue
            if swept:
                logger.warning("Marked %d jobs failed whose worker had stopped", len(swept))
    finally:
        connections.close_all()


class Command(db_worker.Command):
    help = "Run the background jobs as they are queued (and mark failed those of workers that died)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")

    def handle(self, *args, **options):
        stopped = threading.Event()
        # With --reload the jobs run in a child process: it sweeps, the watching parent does not (the jobs
        # the child is running would look stale to the parent on SQLite, whose heartbeats show only at the end).
        if not options["reload"] or options["batch"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            swept = sweep_stale_jobs()
            if swept:
                self.stdout.write(f"Marked {len(swept)} jobs failed whose worker had stopped.")
            threading.Thread(target=sweep_now_and_then, args=(stopped,), name="job-sweeper", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
