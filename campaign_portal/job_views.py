"""The pages of background jobs: one's own list, a job's progress and outcome, its file, starting it again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign_portal.jobs import JobNotPossible, rerun_job
from campaign_portal.models import Job, JobFile

PER_PAGE = 30
# How often (seconds) the page of a running job asks how far it has got.
POLL_SECONDS = 2


def get_job_for_user(user, pk):
    """The scoped door to jobs: someone else's job is a 404 unless one oversees every unit."""
    jobs = Job.objects.visible_to(user).select_related("user", "organisation", "result_file")
    return get_object_or_404(jobs.defer("result_file__content"), pk=pk)


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("user", "organisation").defer("data", "errors")
    page = Paginator(jobs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "sees_all": request.user.oversees})


@login_required
def job_detail(request, pk):
    job = get_job_for_user(request.user, pk)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "can_rerun": _can_rerun(request.user, job)}
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/detail.html", context)


def _can_rerun(user, job):
    return job.status == Job.Status.FAILED and job.user_id == user.pk


@login_required
def job_file(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.result_file_id is None:
        raise Http404
    stored = JobFile.objects.get(pk=job.result_file_id)
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(True, stored.name)
    return response


@login_required
@require_POST
def job_rerun(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.user_id != request.user.pk:
        raise PermissionDenied
    try:
        again = rerun_job(job, request.user)
    except JobNotPossible as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=job.pk)
    messages.success(request, _("The job has been started again."))
    return redirect("jobs:detail", pk=again.pk)
