"""Long work as background jobs: an app registers a runner, a view starts a job, a worker runs it.

An app's `jobs` module (imported at startup) registers what it can run::

    @runner("enterprises.recount", label=gettext_lazy("Recount the figure tallies"))
    def recount(job, progress):
        ...
        progress(done, total)          # rows done so far (and in all, once known)
        raise JobFailed(message, errors)   # ends the job as failed; nothing it wrote is kept
        return JobResult(message=..., file_name=..., content=..., content_type=..., data=...)

and a view starts one with `start_job(kind, user=..., ...)`, then sends the user to the job's page
(`reverse("jobs:detail", args=[job.pk])`), which shows its progress and then its outcome.

A job never half-writes: the runner runs inside one transaction together with the job's final status, and any
error rolls all of it back. The task queue is django-tasks' database backend, so nothing but `manage.py
jobs_worker` has to run beside the web server; a worker that dies mid-job leaves a running job whose heartbeat
grows old, and `sweep_stale_jobs` (at every worker's start, and every minute in it) marks it failed.

Progress while the work runs: on PostgreSQL, the counts and a heartbeat every few seconds are written through a
connection of their own (a thread of the worker), so other requests see them while the job's transaction is still
open. SQLite has one writer at a time and the job's transaction holds it, so there the counts are written in the
job's own transaction and show when it ends (SQLite serves development and tests; production runs PostgreSQL).
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from campaign_portal.models import Job, JobFile, JobTransition

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds); the last count is always written when the job ends.
PROGRESS_INTERVAL_SECONDS = 0.5
# How often a running job says it is alive when its runner reports no progress (PostgreSQL only, see above).
HEARTBEAT_SECONDS = 15
# How often a worker looks for jobs whose worker has died.
SWEEP_INTERVAL_SECONDS = 60

RUNNERS = {}
# Jobs this process is running now: its own sweeper leaves them alone.
_running_here = set()


@dataclass(frozen=True)
class Runner:
    kind: str
    label: str
    fn: Callable


class JobFailed(Exception):
    """Raised by a runner: the job ends as failed with this message and these row errors, and nothing is kept.

    `errors` are {"row", "column", "message"} dicts (or (row, column, message) tuples)."""

    def __init__(self, message, errors=()):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = [_error_entry(error) for error in errors]


class JobNotPossible(Exception):
    """A job cannot be started (or started again); the message says why."""


@dataclass
class JobResult:
    """What a runner returns: a message for the user, optionally a file to download and some data."""

    message: str = ""
    file_name: str = ""
    content: bytes = b""
    content_type: str = "application/octet-stream"
    data: dict = field(default_factory=dict)


def _error_entry(error):
    if isinstance(error, dict):
        row, column, message = error.get("row"), error.get("column"), error.get("message")
    else:
        row, column, message = error
    return {"row": row, "column": "" if column is None else str(column), "message": str(message)}


def runner(kind, *, label):
    """Register `fn(job, progress)` as what runs jobs of this kind."""

    def register(fn):
        RUNNERS[kind] = Runner(kind, label, fn)
        return fn

    return register


# Starting


def start_job(kind, *, user, organisation=None, params=None, input_file=None, total=None, rerun_of=None):
    """Create the job and queue it; the worker runs it once this transaction commits."""
    if kind not in RUNNERS:
        raise JobNotPossible(_("There is no such kind of job."))
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=str(RUNNERS[kind].label)[:200],
            user=user,
            organisation=organisation,
            params=params or {},
            total=total,
            input_file=_stored_input(input_file),
            rerun_of=rerun_of,
        )
        _record(job.pk, "", Job.Status.QUEUED)
        job.task_id = str(run_job_task.enqueue(str(job.pk)).id)
        Job.objects.filter(pk=job.pk).update(task_id=job.task_id)
    return job


def rerun_job(job, user):
    """Start a failed job again, as it was asked the first time, for the person who started it."""
    if job.user_id != user.pk:
        raise JobNotPossible(_("Only the person who started a job can start it again."))
    if job.status != Job.Status.FAILED:
        raise JobNotPossible(_("Only a failed job can be started again."))
    return start_job(
        job.kind,
        user=user,
        organisation=job.organisation,
        params=job.params,
        input_file=job.input_file,
        total=job.total,
        rerun_of=job,
    )


def _stored_input(input_file):
    """A JobFile as it is, or an uploaded file (anything with a name and read()) stored as one."""
    if input_file is None or isinstance(input_file, JobFile):
        return input_file
    input_file.seek(0)
    return store_file(
        input_file.name, input_file.read(), getattr(input_file, "content_type", None) or "application/octet-stream"
    )


def store_file(name, content, content_type):
    content = bytes(content)
    return JobFile.objects.create(name=name[:255], content_type=content_type, content=content, size=len(content))


# Running


@task()
def run_job_task(job_id):
    run_job(job_id)


def run_job(job_id):
    """Run a queued job to its end: succeeded with its result, or failed with nothing of its work kept."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return
    _record(job_id, Job.Status.QUEUED, Job.Status.RUNNING)
    job = Job.objects.select_related("user", "organisation", "input_file").get(pk=job_id)
    _running_here.add(job.pk)
    progress = Progress(job)
    try:
        job_runner = RUNNERS.get(job.kind)
        if job_runner is None:
            raise JobFailed(_("This kind of job is no longer known to the portal."))
        with transaction.atomic():
            result = job_runner.fn(job, progress) or JobResult()
            _succeed(job, result, progress)
    except JobFailed as exc:
        _fail(job, exc.message, exc.errors, progress)
    except _Abandoned:
        logger.warning("Background job %s was taken for dead while it ran: its work was rolled back", job.pk)
        _fail(job, worker_stopped_message(), [], progress)
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        message = _(
            "The job stopped on an unexpected error and nothing it did was saved. Start it again; "
            "if it fails again, tell the administrator."
        )
        _fail(job, message, [], progress)
    finally:
        progress.close()
        _running_here.discard(job.pk)


class _Abandoned(Exception):
    """The job was marked failed (its worker taken for dead) while it ran: its work must not be kept."""


def _succeed(job, result, progress):
    result_file = store_file(result.file_name, result.content, result.content_type) if result.file_name else None
    now = timezone.now()
    ended = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.SUCCEEDED,
        finished_at=now,
        heartbeat_at=now,
        done=progress.done,
        total=progress.total if progress.total is not None else progress.done,
        message=str(result.message),
        data=result.data,
        result_file=result_file,
    )
    if not ended:
        raise _Abandoned
    _record(job.pk, Job.Status.RUNNING, Job.Status.SUCCEEDED, str(result.message))


def _fail(job, message, errors, progress):
    now = timezone.now()
    ended = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.FAILED,
        finished_at=now,
        heartbeat_at=now,
        done=progress.done,
        total=progress.total,
        message=message,
        errors=errors,
    )
    if ended:
        _record(job.pk, Job.Status.RUNNING, Job.Status.FAILED, message)


def _record(job_id, old, new, message=""):
    JobTransition.objects.create(job_id=job_id, old_status=old, new_status=new, message=message)


class Progress:
    """The `progress(done, total=None)` a runner is given: counts rows, writes them now and then."""

    def __init__(self, job):
        self.job_id = job.pk
        self.done = job.done
        self.total = job.total
        self._written_at = time.monotonic()
        # A second connection sees the job's row only once it is committed, which inside a caller's
        # transaction (a test's) it is not; and SQLite would wait for the job's transaction to end.
        beside = connection.vendor != "sqlite" and not connection.in_atomic_block
        self._beside = _ProgressWriter(job.pk) if beside else None

    def __call__(self, done, total=None):
        self.done = done
        if total is not None:
            self.total = total
        if time.monotonic() - self._written_at >= PROGRESS_INTERVAL_SECONDS:
            self._written_at = time.monotonic()
            values = {"done": self.done, "total": self.total, "heartbeat_at": timezone.now()}
            if self._beside:
                self._beside.write(values)
            else:
                Job.objects.filter(pk=self.job_id).update(**values)

    def close(self):
        if self._beside:
            self._beside.stop()


class _ProgressWriter:
    """A thread, hence a database connection of its own, whose writes commit at once while the job's
    transaction is still open: the latest counts when there are any, else a heartbeat every few seconds."""

    _STOP = object()

    def __init__(self, job_id):
        self.job_id = job_id
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"job-progress-{job_id}", daemon=True)
        self._thread.start()

    def write(self, values):
        self._queue.put(values)

    def stop(self):
        self._queue.put(self._STOP)
        self._thread.join(timeout=30)

    def _run(self):
        try:
            while True:
                try:
                    values = self._queue.get(timeout=HEARTBEAT_SECONDS)
                except queue.Empty:
                    values = {"heartbeat_at": timezone.now()}
                if values is self._STOP:
                    return
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(**values)
                except DatabaseError:
                    logger.warning("Could not record the progress of job %s", self.job_id, exc_info=True)
        finally:
            connections.close_all()


# Workers that died


def worker_stopped_message():
    return _("The worker stopped before the job ended; nothing it did was saved. Start it again.")


def sweep_stale_jobs(now=None):
    """Mark failed every running job whose worker has not been heard of for JOB_HEARTBEAT_TIMEOUT_SECONDS."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS)
    message = worker_stopped_message()
    swept = []
    for job_id in list(Job.objects.stale(cutoff).exclude(pk__in=list(_running_here)).values_list("pk", flat=True)):
        with transaction.atomic():
            if (
                Job.objects.stale(cutoff)
                .filter(pk=job_id)
                .update(status=Job.Status.FAILED, finished_at=now, message=message)
            ):
                _record(job_id, Job.Status.RUNNING, Job.Status.FAILED, message)
                swept.append(job_id)
    return swept


def run_queued_tasks(backend_name="default"):
    """Run here and now every task the database queue holds ready; return how many ran (tests, the shell)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    ran = 0
    while (queued := DBTaskResult.objects.ready().filter(backend_name=backend_name).first()) is not None:
        queued.claim(worker.worker_id)
        worker.run_task(queued)
        ran += 1
    return ran
