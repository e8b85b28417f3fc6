from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from campaigns import services
from campaigns.access import (
    get_deadline_and_unit_for_user,
    get_extension_request_for_user,
    require_reviewer,
    require_units_staff,
)
from campaigns.forms import ExtensionDecisionForm, ExtensionForm, ExtensionRequestForm
from campaigns.models import ExtensionRequest
from campaigns.views.common import report_url


@login_required
def extension_request(request, deadline, unit):
    """Unit staff ask the 组织部 for more time, before or after the deadline."""
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    require_units_staff(request.user, unit)
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request_create(deadline, unit, user=request.user, **form.cleaned_data)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your request for an extension until %(date)s has been sent to the organisation department.")
                % {"date": long_date(form.cleaned_data["due_on"])},
            )
            return redirect(report_url(deadline.pk, unit.code))
    context = {"deadline": deadline, "unit": unit, "form": form, "due_on": services.effective_due_on(deadline, unit)}
    return render(request, "campaigns/extension_request.html", context)


@login_required
def extension_decide(request, pk):
    """The 组织部 grants a unit's request (until the date it decides) or refuses it with a reason."""
    extension_request = get_extension_request_for_user(request.user, pk)
    require_reviewer(request.user)
    back = report_url(extension_request.deadline_id, extension_request.unit.code)
    if extension_request.status != ExtensionRequest.Status.PENDING:
        messages.info(request, _("This request has already been decided."))
        return redirect(back)
    form = ExtensionDecisionForm(
        request.POST or None, initial={"version": extension_request.version, "due_on": extension_request.due_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            message = _decide(extension_request, form.cleaned_data, request.user)
        except services.AlreadyHandled as exc:
            messages.error(request, str(exc))
            return redirect(back)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect(back)
    return render(request, "campaigns/extension_decide.html", {"extension_request": extension_request, "form": form})


def _decide(extension_request, data, user):
    """Carry out the decision; returns what to tell the reviewer."""
    unit = extension_request.unit.name
    if data["decision"] == ExtensionDecisionForm.GRANT:
        services.extension_request_grant(
            extension_request, due_on=data["due_on"], note=data["reason"], user=user, version=data["version"]
        )
        return _("%(unit)s may now hand the report in until %(date)s.") % {
            "unit": unit,
            "date": long_date(data["due_on"]),
        }
    services.extension_request_refuse(extension_request, reason=data["reason"], user=user, version=data["version"])
    return _("The request of %(unit)s has been refused.") % {"unit": unit}


@login_required
def extension(request, deadline, unit):
    """The 组织部 grants more time directly; a pending request of the unit is answered by the same grant."""
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
                _("%(unit)s may now hand the report in until %(date)s.")
                % {"unit": unit.name, "date": long_date(form.cleaned_data["due_on"])},
            )
            return redirect(report_url(deadline.pk, unit.code))
    context = {
        "deadline": deadline,
        "unit": unit,
        "form": form,
        "pending_request": services.pending_request(deadline, unit),
    }
    return render(request, "campaigns/extension.html", context)
