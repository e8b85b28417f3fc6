from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import attachments, notifications, selectors, services
from campaigns.access import (
    get_deadline_and_unit_for_user,
    get_notification_for_user,
    get_submission_for_user,
    require_oversight,
    require_reviewer,
    require_units_staff,
)
from campaigns.forms import (
    CampaignCopyForm,
    ExtensionForm,
    HardCaseReasonsForm,
    ReportContentForm,
    ReturnForm,
    ReviewForm,
    TargetForm,
    ThresholdForm,
)
from campaigns.models import Campaign, ReportKind, Submission, TargetChange
from unions.selectors import display_order


def report_url(submission):
    return reverse("campaigns:report", kwargs={"deadline": submission.deadline_id, "unit": submission.unit.code})


@login_required
def task_list(request):
    context = {"tasks": selectors.tasks_for(request.user)}
    if request.user.is_reviewer:
        context["waiting"] = (
            Submission.objects.filter(status=Submission.Status.SUBMITTED)
            .select_related("unit", "deadline__stage__campaign")
            .order_by("submitted_at")
        )
    return render(request, "campaigns/tasks.html", context)


@login_required
def campaign_targets(request, pk):
    """目标任务分解: the 组织部 sets each participating unit's target; every change is kept."""
    campaign = _campaign_for_reviewer(request, pk)
    require_reviewer(request.user)
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    targets = {target.unit_id: target for target in campaign.targets.all()}
    form = TargetForm(request.POST or None, participations=participations, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.targets_set(campaign, form.entries(), user=request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Targets saved: %(count)d changed.") % {"count": changed})
            return redirect("campaigns:campaign_targets", pk=campaign.pk)
    changes = TargetChange.objects.filter(target__campaign=campaign).select_related("target__unit", "changed_by")[:50]
    return render(request, "campaigns/targets.html", {"campaign": campaign, "form": form, "changes": changes})


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.prefetch_related("stages")
    return render(request, "campaigns/campaigns.html", {"campaigns": campaigns})


def _campaign_for_reviewer(request, pk):
    require_oversight(request.user)
    return get_object_or_404(Campaign, pk=pk)


@login_required
def campaign_board(request, pk):
    campaign = _campaign_for_reviewer(request, pk)
    deadlines, rows = selectors.board(campaign)
    status = request.GET.get("status", "")
    if status == "missing":
        rows = [(unit, cells) for unit, cells in rows if any(not cell.done for cell in cells)]
    elif status in Submission.Status.values:
        rows = [(unit, cells) for unit, cells in rows if any(cell.status == status for cell in cells)]
    context = {"campaign": campaign, "deadlines": deadlines, "rows": rows, "status": status}
    return render(request, "campaigns/board.html", context)


@login_required
def campaign_copy(request, pk):
    campaign = _campaign_for_reviewer(request, pk)
    require_reviewer(request.user)
    form = CampaignCopyForm(request.POST or None, initial={"year": campaign.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.campaign_copy(campaign, year=form.cleaned_data["year"], user=request.user)
        except services.WorkflowError as exc:
            form.add_error("year", str(exc))
        else:
            messages.success(request, _("%(campaign)s has been created.") % {"campaign": copy})
            return redirect("campaigns:board", pk=copy.pk)
    return render(request, "campaigns/campaign_copy.html", {"campaign": campaign, "form": form})


@login_required
def campaign_units(request, pk):
    campaign = _campaign_for_reviewer(request, pk)
    participations = list(campaign.participations.select_related("unit"))
    form = ThresholdForm(request.POST or None, participations=participations)
    if request.method == "POST":
        require_reviewer(request.user)
        if form.is_valid():
            for participation, threshold in form.changes():
                services.participation_set_threshold(participation, threshold=threshold, user=request.user)
            messages.success(request, _("The scope of the units has been saved."))
            return redirect("campaigns:board", pk=campaign.pk)
    return render(request, "campaigns/campaign_units.html", {"campaign": campaign, "form": form})


@login_required
def report(request, deadline, unit):
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    participation = services.participation_for(deadline, unit)
    submission = Submission.objects.filter(deadline=deadline, unit=unit).first()
    may_edit = request.user.is_staff_of(unit)
    if may_edit and submission is None:
        submission = services.submission_for(deadline, unit)
    editable = may_edit and submission is not None and not submission.is_locked
    kind = deadline.kind
    figures, hard_cases = selectors.live_survey(unit, participation.threshold)
    reasons = submission.hard_case_reasons if submission else {}
    reasons_form = HardCaseReasonsForm(request.POST or None, hard_cases=hard_cases, reasons=reasons)
    content_form = ReportContentForm(request.POST or None, instance=submission, kind=kind)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if reasons_form.is_valid() and content_form.is_valid():
            try:
                services.submission_save(
                    submission,
                    user=request.user,
                    content={name: content_form.cleaned_data[name] for name in content_form.fields},
                    hard_case_reasons=reasons_form.reasons() if kind == ReportKind.SURVEY else None,
                )
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect(request.path)
    context = {
        "deadline": deadline,
        "unit": unit,
        "participation": participation,
        "submission": submission,
        "kind": kind,
        "editable": editable,
        "may_edit": may_edit,
        "figures": figures,
        "hard_cases": hard_cases,
        "reasons_form": reasons_form,
        "content_form": content_form,
        "due_on": services.effective_due_on(deadline, unit),
        "extensions": deadline.extensions.filter(unit=unit).select_related("granted_by"),
        "drift": services.snapshot_drift(submission) if submission and submission.snapshot else None,
        "timeline": submission.transitions.select_related("actor") if submission else [],
        "previous": selectors.previous_submission(submission) if submission and request.user.is_reviewer else None,
        "review_form": ReviewForm(initial={"version": submission.version}) if submission else None,
        "attachments_panel": (
            attachments.panel_context(request.user, submission, request.path)
            if submission and kind != ReportKind.SURVEY
            else None
        ),
    }
    return render(request, "campaigns/report.html", context)


@login_required
def submit(request, deadline, unit):
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    require_units_staff(request.user, unit)
    submission = services.submission_for(deadline, unit)
    if request.method == "POST":
        try:
            services.submission_submit(submission, user=request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The report has been submitted to the organisation department."))
        return redirect(report_url(submission))
    return render(request, "campaigns/confirm_submit.html", {"submission": submission, "deadline": deadline})


def _review(request, pk, form_class):
    submission = get_submission_for_user(request.user, pk)
    require_reviewer(request.user)
    form = form_class(request.POST or None, initial={"version": submission.version})
    return submission, form


@login_required
def approve(request, pk):
    submission, form = _review(request, pk, ReviewForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_approve(submission, user=request.user, version=form.cleaned_data["version"])
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The report of %(unit)s has been approved.") % {"unit": submission.unit})
        return redirect(report_url(submission))
    return render(request, "campaigns/confirm_approve.html", {"submission": submission, "form": form})


@login_required
def return_report(request, pk):
    submission, form = _review(request, pk, ReturnForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_return(
                submission,
                user=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                correction_due_on=form.cleaned_data["correction_due_on"],
            )
        except services.AlreadyHandled as exc:
            messages.error(request, str(exc))
            return redirect(report_url(submission))
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The report of %(unit)s has been returned.") % {"unit": submission.unit})
            return redirect(report_url(submission))
    return render(request, "campaigns/return.html", {"submission": submission, "form": form})


@login_required
def extension(request, deadline, unit):
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    require_reviewer(request.user)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_grant(deadline, unit, user=request.user, **form.cleaned_data)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(unit)s may now submit until %(date)s.") % {"unit": unit, "date": form.cleaned_data["due_on"]},
            )
            return redirect("campaigns:report", deadline=deadline.pk, unit=unit.code)
    return render(request, "campaigns/extension.html", {"deadline": deadline, "unit": unit, "form": form})


NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark one's own notification read and follow it. A GET, as it changes nothing but the reader's own mark."""
    notification = get_notification_for_user(request.user, pk)
    notifications.notification_mark_read(notification)
    if url_has_allowed_host_and_scheme(notification.url, {request.get_host()}, request.is_secure()):
        return redirect(notification.url)
    return redirect("campaigns:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    notifications.notifications_mark_all_read(request.user)
    return redirect("campaigns:notifications")


def _local_path(path):
    """Where to go back to after an action: a path on this site, never another host."""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return reverse("campaigns:tasks")


@login_required
@require_POST
def attachment_add(request, pk):
    submission = get_submission_for_user(request.user, pk)
    require_units_staff(request.user, submission.unit)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            attachment = attachments.attachment_add(submission, user=request.user, uploaded=uploaded)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been attached.") % {"name": attachment.original_name})
    return redirect(_local_path(request.POST.get("next")))


@login_required
def attachment_download(request, pk):
    attachment = attachments.get_attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachments.download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_delete(request, pk):
    attachment = attachments.get_attachment_for_user(request.user, pk)
    require_units_staff(request.user, attachment.submission.unit)
    next_path = _local_path(request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        try:
            attachments.attachment_delete(attachment, user=request.user)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": attachment.original_name})
        return redirect(next_path)
    context = {"attachment": attachment, "next": next_path, "locked": attachment.submission.is_locked}
    return render(request, "campaigns/attachment_confirm_delete.html", context)
