from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns import attachments, selectors, services
from campaigns.access import (
    get_deadline_and_unit_for_user,
    get_participation_for_user,
    get_submission_for_user,
    require_reviewer,
    require_units_staff,
)
from campaigns.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    HardCaseReasonsForm,
    ReportContentForm,
    ReturnForm,
    ReviewForm,
)
from campaigns.models import ReportKind, Submission
from campaigns.views import members
from campaigns.views.common import report_url


def _forms(request, kind, submission, hard_cases):
    data = request.POST if request.method == "POST" else None
    reasons = submission.hard_case_reasons if submission else {}
    return (
        HardCaseReasonsForm(data, hard_cases=hard_cases, reasons=reasons),
        ReportContentForm(data, instance=submission, kind=kind),
    )


@login_required
def report(request, deadline, unit):
    """One unit's report: its figures and content, the deadline in force, the review and the timeline.

    Looking changes nothing; the draft is created by the first save.
    """
    deadline, participation = get_participation_for_user(request.user, deadline, unit)
    unit = participation.unit
    submission = selectors.report_submission(deadline, unit)
    may_edit = request.user.is_staff_of(unit)
    editable = may_edit and not (submission and submission.is_locked)
    kind = deadline.kind
    campaign = deadline.stage.campaign
    figures, hard_cases = selectors.live_survey(
        unit, participation.threshold, with_hard_cases=kind == ReportKind.SURVEY
    )
    member_context = _member_context(campaign, unit, submission) if campaign.counts_members else {}
    reasons_form, content_form = _forms(request, kind, submission, hard_cases)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if reasons_form.is_valid() and content_form.is_valid():
            try:
                services.report_save(
                    deadline,
                    unit,
                    user=request.user,
                    content={name: content_form.cleaned_data[name] for name in content_form.fields},
                    hard_case_reasons=reasons_form.reasons() if kind == ReportKind.SURVEY else None,
                )
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect(request.path)
    transitions = selectors.report_transitions(submission)
    extensions = selectors.unit_extensions(deadline, unit)
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
        **_deadline_context(request.user, deadline, unit, submission, extensions),
        "drift": _drift(submission, participation, figures),
        **member_context,
        "timeline": selectors.report_timeline(
            deadline, unit, submission, transitions=transitions, extensions=extensions
        ),
        "previous": selectors.previous_submission(submission) if submission and request.user.is_reviewer else None,
        "review_form": ReviewForm(initial={"version": submission.version}) if submission else None,
        "returned_because": _return_reason(submission, transitions),
        "attachments_panel": (
            attachments.panel_context(request.user, deadline, unit, submission, request.path)
            if kind != ReportKind.SURVEY
            else None
        ),
    }
    return render(request, "campaigns/report.html", context)


def _member_context(campaign, unit, submission):
    """A members campaign's figures, live beside those the report froze, each linked to its rows."""
    live, lists = services.member_figures(campaign, unit, with_lists=True)
    frozen = submission.snapshot if submission and submission.snapshot else None
    return {
        "member_rows": members.figure_rows(campaign, unit, live, frozen["figures"] if frozen else None),
        "sector_rows": members.sector_rows(live, frozen["figures"] if frozen else None),
        "member_lists": frozen or lists,
        "member_lists_frozen": frozen is not None,
        "member_drift": services.member_drift(submission) if frozen else None,
        "eighty_url": reverse("campaigns:member_eighty", args=[campaign.pk, unit.code]),
    }


def _drift(submission, participation, figures):
    """How the registry moved since the report froze its figures; the live figures are reused when the snapshot
    was taken at the threshold the page counted at."""
    if not (submission and submission.snapshot):
        return None
    same_threshold = submission.snapshot.get("threshold") == participation.threshold
    return services.snapshot_drift(submission, live=figures if same_threshold else None)


def _deadline_context(user, deadline, unit, submission, extensions):
    """The deadline in force, whether it has passed, and what the unit or the 组织部 can do about it."""
    handed_in = submission is not None and submission.is_locked
    request = services.pending_request(deadline, unit)
    due_on = services.due_on_given(deadline, extensions)
    return {
        "due_on": due_on,
        "past_due": services.has_passed(due_on) and not handed_in,
        "extensions": extensions,
        "pending_request": request,
        "may_request_extension": user.is_staff_of(unit) and not handed_in and request is None,
        "may_grant_extension": user.is_reviewer and not handed_in,
        "decision_form": (
            ExtensionDecisionForm(initial={"version": request.version, "due_on": request.due_on})
            if request is not None and user.is_reviewer
            else None
        ),
        "request_form": ExtensionRequestForm(),
    }


def _return_reason(submission, transitions):
    """Why the 组织部 returned the report, for the banner at the top while it is being corrected."""
    if submission is None or submission.status != Submission.Status.RETURNED:
        return None
    returns = [step for step in transitions if step.to_status == Submission.Status.RETURNED]
    return returns[-1] if returns else None


@login_required
def submit(request, deadline, unit):
    """A confirmation page, then the submission; after the deadline in force it says so and offers a request."""
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    require_units_staff(request.user, unit)
    if request.method == "POST":
        try:
            services.report_submit(deadline, unit, user=request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The report has been submitted to the organisation department."))
        return redirect(report_url(deadline.pk, unit.code))
    context = {
        "deadline": deadline,
        "unit": unit,
        "due_on": services.effective_due_on(deadline, unit),
        "past_due": services.is_past_due(deadline, unit),
        "pending_request": services.pending_request(deadline, unit),
    }
    return render(request, "campaigns/confirm_submit.html", context)


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
        return redirect(report_url(submission.deadline_id, submission.unit.code))
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
            return redirect(report_url(submission.deadline_id, submission.unit.code))
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The report of %(unit)s has been returned.") % {"unit": submission.unit})
            return redirect(report_url(submission.deadline_id, submission.unit.code))
    return render(request, "campaigns/return.html", {"submission": submission, "form": form})
