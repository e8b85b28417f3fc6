"""The union's side of online join applications: the list of those waiting, one application, and its steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members.access import get_application_for_user
from members.forms import ApplicationAcceptForm, ApplicationFilterForm, ApplicationStepForm, RevealForm
from members.models import ApplicationStatus, JoinApplication, Membership
from members.services import MemberError
from members.services import reviewing as review

PER_PAGE = 50


@login_required
def application_list(request):
    filters = ApplicationFilterForm(request.GET or {"status": ApplicationStatus.SUBMITTED})
    applications = JoinApplication.objects.visible_to(request.user).without_secrets()
    status = filters.cleaned_data["status"] if filters.is_valid() else ApplicationStatus.SUBMITTED
    if status:
        applications = applications.filter(status=status)
    applications = applications.select_related("union__parent", "employer").order_by("touched_at", "pk")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": Paginator(applications, PER_PAGE).get_page(request.GET.get("page")),
        "querystring": query.urlencode(),
        "waiting": JoinApplication.objects.visible_to(request.user).waiting().count(),
    }
    return render(request, "members/applications/list.html", context)


@login_required
def application_detail(request, pk):
    application = get_application_for_user(request.user, pk)
    current = review.current_membership_of_applicant(application)
    context = {
        "application": application,
        "steps": application.transitions.select_related("by"),
        "current": current,
        "current_visible": current is not None
        and Membership.objects.visible_to(request.user).filter(pk=current.pk).exists(),
        "can_review": application.status == ApplicationStatus.SUBMITTED and request.user.can_edit(application.union),
        "can_reveal": review.may_reveal_application(request.user, application),
        "reveal_form": RevealForm(),
    }
    return render(request, "members/applications/detail.html", context)


def _step_view(request, pk, *, form_class, title, confirm, act, initial=None):
    """GET: the form with its question; POST: the step through its service, its outcome, back to the application."""
    application = get_application_for_user(request.user, pk, write=True)
    if application.status != ApplicationStatus.SUBMITTED:
        messages.error(request, _("This application is no longer waiting for review."))
        return redirect("members:application", application.pk)
    form = form_class(request.POST or None, initial={"version": application.version, **(initial or {})})
    if request.method == "POST" and form.is_valid():
        try:
            done = act(application, form.cleaned_data)
        except MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _outcome(done))
            return redirect("members:application", application.pk)
    context = {"form": form, "application": application, "title": title, "confirm": confirm}
    return render(request, "members/applications/step.html", context)


def _outcome(application):
    if application.status == ApplicationStatus.ACCEPTED:
        return _("%(name)s is now a member. Member card number: %(card)s.") % {
            "name": application.name, "card": application.card_number,
        }  # fmt: skip
    if application.status == ApplicationStatus.TRANSFER:
        return _("The applicant is already a member of another union: the application is now a transfer request.")
    if application.status == ApplicationStatus.RETURNED:
        return _("The application was returned to the applicant for correction.")
    return _("The application was rejected.")


@login_required
def application_accept(request, pk):
    def act(application, data):
        return review.application_accept(
            request.user, application, version=data["version"], migrant_worker=data["migrant_worker"]
        )

    application = get_application_for_user(request.user, pk)
    return _step_view(
        request,
        pk,
        form_class=ApplicationAcceptForm,
        title=_("Accept the application"),
        confirm=_("Make this applicant a member from today and issue a member card number?"),
        act=act,
        initial={"migrant_worker": application.rural_household},
    )


def _reasoned_step(request, pk, service, title, confirm):
    """Return or reject: the same form (a reason the applicant reads), another service."""

    def act(application, data):
        return service(request.user, application, version=data["version"], reason=data["reason"])

    return _step_view(request, pk, form_class=ApplicationStepForm, title=title, confirm=confirm, act=act)


@login_required
def application_return(request, pk):
    title, confirm = _("Return the application for correction"), _("Return this application to the applicant?")
    return _reasoned_step(request, pk, review.application_return, title, confirm)


@login_required
def application_reject(request, pk):
    title = _("Reject the application")
    confirm = _("Reject this application? The applicant can apply again later.")
    return _reasoned_step(request, pk, review.application_reject, title, confirm)


@never_cache
@login_required
def application_reveal(request, pk):
    """The applicant's full numbers, for a logged reason: in the body of a POST's answer only."""
    application = get_application_for_user(request.user, pk, secrets=True)
    if not review.may_reveal_application(request.user, application):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            shown = review.application_reveal(request.user, application, form.cleaned_data["reason"])
        except MemberError as error:
            form.add_error(None, str(error))
    context = {"application": application, "form": form, "shown": shown}
    return render(request, "members/applications/reveal.html", context)
