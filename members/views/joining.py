"""The public join form (网上入会): no account needed. See members.views.public for language and limits.

Nothing personal travels in a URL: the receipt reads the new application from the session, the status page
finds one from a POSTed number, ID ending and phone.
"""

from captcha import views as captcha_views
from captcha.models import CaptchaStore
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members import crypto
from members.models import JoinApplication
from members.public_forms import ApplyForm, LookupForm, employer_hits, township_unions
from members.services.applying import ApplicationError, application_submit
from members.views.public import (
    client_address,
    counted_post,
    public_language,
    searches_by_address,
    submissions_by_id,
    throttled_response,
)

RECEIPT_SESSION_KEY = "join_receipt"
# The buttons of the form that only show it again (a search, a county chosen) without sending it.
REFRESH_ACTIONS = {"search", "county"}


def without_errors(form):
    """A bound form shown again to refine a choice: what was typed stays, no field is marked wrong yet."""
    form._errors = ErrorDict()
    return form


def _apply_page(request, form, status=200):
    return render(request, "join/apply.html", {"form": form}, status=status)


@public_language
@counted_post()
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "GET":
        return _apply_page(request, ApplyForm())
    form = ApplyForm(request.POST)
    if request.POST.get("action") in REFRESH_ACTIONS:
        return _apply_page(request, without_errors(form))
    if not form.is_valid():
        return _apply_page(request, form)
    values = form.applicant_values()
    index = crypto.blind_index(values["id_number"])
    per_id = submissions_by_id()
    if per_id.blocks(index):
        return throttled_response(request, per_id, index)
    per_id.hit(index)
    try:
        application = application_submit(**values)
    except ApplicationError as error:
        form.add_error(None, str(error))
        return _apply_page(request, form)
    request.session[RECEIPT_SESSION_KEY] = application.pk
    return redirect("join:receipt")


@public_language
@require_GET
def receipt(request):
    pk = request.session.get(RECEIPT_SESSION_KEY)
    application = JoinApplication.objects.without_secrets().select_related("union").filter(pk=pk).first()
    if application is None:
        messages.info(request, _("There is no application sent from this browser just now."))
        return redirect("join:apply")
    return render(request, "join/receipt.html", {"application": application})


@public_language
@require_GET
def employers(request):
    """The employer choices for what was typed so far (the form's script asks as the applicant types)."""
    address = client_address(request)
    throttle = searches_by_address()
    if throttle.blocks(address):
        return throttled_response(request, throttle, address)
    throttle.hit(address)
    query = request.GET.get("employer_query", "")
    return render(request, "join/_employer_hits.html", {"hits": employer_hits(query), "query": query.strip()})


@public_language
@require_GET
def townships(request):
    """The township and street unions of one county, as the options of the form's select."""
    unions = township_unions(request.GET.get("county", "")[:20]) if request.GET.get("county") else []
    return render(request, "join/_township_options.html", {"unions": unions})


@public_language
@require_GET
def captcha_refresh(request):
    """A new sum for a form's captcha, when the one shown cannot be read (the form's script swaps it in)."""
    return render(request, "join/_captcha.html", {"field": LookupForm()["captcha"]})


@require_GET
def captcha_image(request, key, scale=1):
    """The picture of a captcha's sum; an unknown or used key is simply not found."""
    if not CaptchaStore.objects.filter(hashkey=key).exists():
        raise Http404
    return captcha_views.captcha_image(request, key, scale=scale)
