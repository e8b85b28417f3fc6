"""The applicant's status page and correction form: an application is found by its number, the last four
characters of the ID number and the phone, never by anything in the URL; the session remembers a found one.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import ApplicationStatus, JoinApplication
from members.public_forms import CorrectForm, LookupForm
from members.services.applying import ApplicationError, application_correct, application_find
from members.views.joining import REFRESH_ACTIONS, without_errors
from members.views.public import counted_post, lookups_by_address, public_language

LOOKUP_SESSION_KEY = "join_lookup"


def looked_up(request):
    """The application this browser found on the status page, if any."""
    pk = request.session.get(LOOKUP_SESSION_KEY)
    if pk is None:
        return None
    return JoinApplication.objects.select_related("union", "employer").filter(pk=pk).first()


def _status_page(request, form, application=None):
    steps = application.transitions.order_by("at", "pk") if application else []
    return render(request, "join/status.html", {"form": form, "application": application, "steps": steps})


@public_language
@counted_post(lookups_by_address)
@require_http_methods(["GET", "POST"])
def status(request):
    if request.method == "GET":
        return _status_page(request, LookupForm(), looked_up(request))
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _status_page(request, form)
    data = form.cleaned_data
    application = application_find(data["number"], data["id_last4"], data["phone"])
    if application is None:
        # The same words and status whether the number is unknown or the pair is wrong.
        form.add_error(None, _("No application matches this number, ID ending and phone. Check them and try again."))
        return _status_page(request, form)
    request.session[LOOKUP_SESSION_KEY] = application.pk
    return redirect("join:status")


def _initial_of(application):
    township = application.union if application.union.kind == application.union.Kind.TOWNSHIP_UNION else None
    return {
        "name": application.name,
        "phone": application.phone,
        "ethnicity": application.ethnicity,
        "rural_household": "1" if application.rural_household else "0",
        "household_place": application.household_place,
        "employer": application.employer_id,
        "no_union": township is not None,
        "workplace": application.workplace,
        "county": township.parent.code if township else "",
        "township_union": township.pk if township else None,
        "version": application.version,
    }


def _correct_page(request, form, application):
    return render(request, "join/correct.html", {"form": form, "application": application})


@public_language
@counted_post()
@require_http_methods(["GET", "POST"])
def correct(request):
    application = looked_up(request)
    if application is None or application.status != ApplicationStatus.RETURNED:
        messages.info(request, _("Look up an application returned for correction first."))
        return redirect("join:status")
    if request.method == "GET":
        return _correct_page(request, CorrectForm(initial=_initial_of(application)), application)
    form = CorrectForm(request.POST)
    if request.POST.get("action") in REFRESH_ACTIONS:
        return _correct_page(request, without_errors(form), application)
    if not form.is_valid():
        return _correct_page(request, form, application)
    try:
        application_correct(application, version=form.cleaned_data["version"], **form.applicant_values())
    except ApplicationError as error:
        form.add_error(None, str(error))
        return _correct_page(request, form, application)
    messages.success(request, _("Your corrections were sent. The union will review the application again."))
    return redirect("join:status")
