"""The member rolls' long work as background jobs: a large import's confirmation and a large export."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign_portal.jobs import JobFailed, JobResult, runner, start_job
from campaign_portal.models import Job
from members.exports import export_members
from members.imports import ImportNotPossible, member_import_commit
from members.models import MemberImportBatch
from members.selectors import filtered_memberships

IMPORT = "members.import"
EXPORT = "members.export"
ACTIVE = [Job.Status.QUEUED, Job.Status.RUNNING]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_runs_in_background(batch):
    return batch.row_count > settings.BACKGROUND_IMPORT_ROWS


def export_runs_in_background(row_count):
    return row_count > settings.BACKGROUND_EXPORT_ROWS


def import_job_start(batch, *, user):
    """The job that writes a checked upload; the one already under way if it was confirmed twice."""
    under_way = Job.objects.filter(kind=IMPORT, params__batch=batch.pk, status__in=ACTIVE).first()
    if under_way:
        return under_way
    return start_job(IMPORT, user=user, organisation=batch.union, params={"batch": batch.pk}, total=batch.row_count)


def export_job_start(*, user, query, full_numbers, file_name, row_count):
    """The export of a filtered list; with full numbers only after the request has logged why."""
    params = {"query": query, "full_numbers": full_numbers, "file_name": file_name}
    return start_job(EXPORT, user=user, organisation=user.organisation, params=params, total=row_count)


@runner(IMPORT, label=gettext_lazy("Import members from Excel"))
def run_import(job, progress):
    batch = MemberImportBatch.objects.filter(pk=job.params["batch"], created_by=job.user).defer("rows").first()
    if batch is None:
        raise JobFailed(_("The checked file is no longer there. Upload it again."))
    try:
        batch = member_import_commit(batch, user=job.user, progress=progress)
    except ImportNotPossible as exc:
        raise JobFailed(str(exc)) from exc
    message = _("%(file)s imported: %(count)d members joined %(union)s.") % {
        "file": batch.file_name,
        "count": batch.row_count,
        "union": batch.union.name,
    }
    return JobResult(message=message, data={"batch": batch.pk})


@runner(EXPORT, label=gettext_lazy("Export the member list"))
def run_export(job, progress):
    """The list as the user had filtered it when they asked, as they may see it now."""
    _filters, memberships = filtered_memberships(job.user, QueryDict(job.params.get("query", "")))
    full_numbers = bool(job.params.get("full_numbers"))
    content = export_members(memberships, full_numbers=full_numbers, progress=progress)
    return JobResult(
        message=_("%(count)d members exported.") % {"count": job.total or 0},
        file_name=job.params.get("file_name") or "members.xlsx",
        content=content,
        content_type=XLSX,
    )
