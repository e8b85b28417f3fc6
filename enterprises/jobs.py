"""The registry's long work as background jobs: a large import's confirmation, a large export, a full recount."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign_portal.jobs import JobFailed, JobResult, runner, start_job
from campaign_portal.models import Job
from enterprises import exports, tallies
from enterprises.imports import ImportNotPossible, import_commit
from enterprises.models import ImportBatch
from enterprises.selectors import filtered_enterprises
from unions.models import Division

IMPORT = "enterprises.import"
EXPORT = "enterprises.export"
RECOUNT = "enterprises.recount"
ACTIVE = [Job.Status.QUEUED, Job.Status.RUNNING]
# Rows written between two reports of an export's progress.
EXPORT_PROGRESS_ROWS = 1000


def import_runs_in_background(batch):
    return batch.new_count + batch.changed_count > settings.BACKGROUND_IMPORT_ROWS


def export_runs_in_background(row_count):
    return row_count > settings.BACKGROUND_EXPORT_ROWS


def import_job_of(batch):
    """The latest job that saved (or is saving, or failed to save) this upload, if any."""
    return Job.objects.filter(kind=IMPORT, params__batch=batch.pk).first()


def import_job_start(batch, *, user):
    """The job that writes a checked upload; the one already under way if it was confirmed twice."""
    under_way = Job.objects.filter(kind=IMPORT, params__batch=batch.pk, status__in=ACTIVE).first()
    if under_way:
        return under_way
    total = batch.new_count + batch.changed_count
    return start_job(IMPORT, user=user, organisation=user.organisation, params={"batch": batch.pk}, total=total)


def export_job_start(*, user, query, kind, row_count):
    params = {"query": query, "format": kind}
    return start_job(EXPORT, user=user, organisation=user.organisation, params=params, total=row_count)


def recount_job_start(*, user):
    under_way = Job.objects.filter(kind=RECOUNT, status__in=ACTIVE).first()
    return under_way or start_job(RECOUNT, user=user, organisation=user.organisation)


@runner(IMPORT, label=gettext_lazy("Import enterprises from Excel"))
def run_import(job, progress):
    batch = ImportBatch.objects.filter(pk=job.params["batch"], created_by=job.user).first()
    if batch is None:
        raise JobFailed(_("The checked file is no longer there. Upload it again."))
    try:
        batch = import_commit(batch, user=job.user, progress=progress)
    except ImportNotPossible as exc:
        raise JobFailed(str(exc)) from exc
    message = _("%(file)s imported: %(new)d new and %(changed)d changed enterprises.") % {
        "file": batch.file_name,
        "new": batch.new_count,
        "changed": batch.changed_count,
    }
    return JobResult(message=message, data={"batch": batch.pk})


def _counted(rows, progress, total):
    done = 0
    for done, row in enumerate(rows, 1):  # noqa: B007 (the count is used after the loop)
        yield row
        if done % EXPORT_PROGRESS_ROWS == 0:
            progress(done, total)
    progress(done, total)


@runner(EXPORT, label=gettext_lazy("Export the enterprise registry"))
def run_export(job, progress):
    """The list as the user had filtered it when they asked, as they may see it now."""
    _filters, enterprises = filtered_enterprises(job.user, QueryDict(job.params.get("query", "")))
    kind = job.params.get("format", "xlsx")
    if kind not in exports.RESPONSES:
        raise JobFailed(_("The export format must be xlsx or csv."))
    total = enterprises.count()
    count_rows = lambda rows: _counted(rows, progress, total)  # noqa: E731
    content = exports.export_bytes(enterprises, kind, count_rows)
    return JobResult(
        message=_("%(count)d enterprises exported.") % {"count": total},
        file_name=exports.export_filename(job.user, kind),
        content=content,
        content_type=exports.CONTENT_TYPES[kind],
    )


@runner(RECOUNT, label=gettext_lazy("Recount the figure tallies"))
def run_recount(job, progress):
    counties = list(
        Division.objects.filter(level=Division.Level.COUNTY).order_by("code").values_list("code", flat=True)
    )
    progress(0, len(counties))
    for done, county in enumerate(counties, 1):
        tallies.recount([county])
        progress(done, len(counties))
    counted = sum(tallies.stored_counts().values())
    message = _("The tallies were recounted county by county: %(count)d enterprises in %(counties)d counties.") % {
        "count": counted,
        "counties": len(counties),
    }
    return JobResult(message=message)
