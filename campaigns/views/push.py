"""The push phase's pages: the key enterprises of a campaign with their progress, the suggestions to designate
from, and each enterprise's organising case with its timeline and the forms that add to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaigns import push_selectors as selectors
from campaigns.access import require_reviewer
from campaigns.attachments import download_name
from campaigns.models import CaseStepAttachment, OrganisingCase
from campaigns.push_forms import (
    CaseFilterForm,
    DesignateForm,
    FoundingStepForm,
    FoundUnionForm,
    KeyHeadcountForm,
    MeasureForm,
    SuggestionFilterForm,
    WithdrawForm,
)
from campaigns.services import push as services
from campaigns.services.errors import WorkflowError
from campaigns.views.letters import letters_panel
from enterprises.models import Enterprise
from unions.models import Division, UnionOrg

PER_PAGE = 20


def _querystring(request):
    return urlencode({key: value for key, value in request.GET.items() if key != "page" and value})


def _prefectures():
    return list(Division.objects.filter(level=Division.Level.PREFECTURE).values_list("code", "name"))


@login_required
def push_home(request):
    """The key enterprises of the latest campaign with a push phase."""
    campaign = selectors.latest_push_campaign()
    if campaign is None:
        return render(request, "campaigns/push/none.html")
    return redirect("campaigns:push_cases", pk=campaign.pk)


@login_required
def push_cases(request, pk):
    """The key enterprises the user sees, with the push's figures, filters and 20 to a page."""
    campaign = selectors.push_campaign(pk)
    form = CaseFilterForm(request.GET or None, prefectures=_prefectures())
    options = form.options()
    cases = selectors.cases_for(request.user, campaign, **options)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "campaigns": selectors.push_campaigns(),
        "form": form,
        "page": page,
        "querystring": _querystring(request),
        "progress": selectors.push_progress(request.user, campaign, area=options["area"]),
        "area": Division.objects.filter(code=options["area"]).first() if options["area"] else None,
        "may_designate": services.may_designate(request.user),
    }
    return render(request, "campaigns/push/cases.html", context)


@login_required
def push_suggestions(request, pk):
    """Enterprises to designate: those meeting the plan's criteria, or any without a union found by name."""
    campaign = selectors.push_campaign(pk)
    if not services.may_designate(request.user):
        raise PermissionDenied
    form = SuggestionFilterForm(request.GET or None)
    options = form.options()
    enterprises = services.key_suggestions(campaign, request.user, **options)
    page = Paginator(enterprises, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(enterprise, services.criteria_met(enterprise, campaign)) for enterprise in page]
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "rows": rows,
        "querystring": _querystring(request),
    }
    return render(request, "campaigns/push/suggestions.html", context)


@login_required
def push_designate(request, pk, enterprise):
    """Designate one enterprise the user sees as key, naming the person responsible."""
    campaign = selectors.push_campaign(pk)
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(request.user).select_related("county__parent"), pk=enterprise
    )
    if not services.may_designate(request.user):
        raise PermissionDenied
    existing = campaign.cases.filter(enterprise=enterprise).first()
    form = DesignateForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and existing is None:
        try:
            case = services.case_designate(
                user=request.user, campaign=campaign, enterprise=enterprise, **form.cleaned_data
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s is now a key enterprise.") % {"name": enterprise.name})
            return redirect("campaigns:case", pk=case.pk)
    context = {
        "campaign": campaign,
        "enterprise": enterprise,
        "criteria": services.criteria_met(enterprise, campaign),
        "existing": existing,
        "form": form,
    }
    return render(request, "campaigns/push/designate.html", context)


@login_required
def push_headcount(request, pk):
    """The 组织部 sets how many staff make an enterprise large for this campaign."""
    campaign = selectors.push_campaign(pk)
    require_reviewer(request.user)
    form = KeyHeadcountForm(request.POST or None, initial={"key_headcount": campaign.key_headcount})
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_set_key_headcount(
                campaign, user=request.user, headcount=form.cleaned_data["key_headcount"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("An enterprise of %(count)d staff or more now counts as large.") % {"count": campaign.key_headcount},
            )
            return redirect("campaigns:push_suggestions", pk=campaign.pk)
    return render(request, "campaigns/push/headcount.html", {"campaign": campaign, "form": form})


def _founding_unions(user, case):
    """The grassroots unions in the enterprise's county the user may change: one of them is the union founded."""
    if not user.enters_data or user.organisation_id is None:
        return UnionOrg.objects.none()
    federations = UnionOrg.objects.filter(kind=UnionOrg.Kind.COUNTY_FEDERATION, division_id=case.enterprise.county_id)
    under_county = Q()
    for path in federations.values_list("path", flat=True):
        under_county |= Q(path__startswith=path)
    unions = UnionOrg.objects.grassroots().filter(Q(division_id=case.enterprise.county_id) | under_county)
    if not user.is_administrator:
        unions = unions.filter(path__startswith=user.organisation.path)
    return unions.order_by("path")


def _case_context(request, case, **forms):
    may_work = services.may_work_on(request.user, case) and case.status == "open"
    initial = {"version": case.version}
    context = {
        "case": case,
        "enterprise": case.enterprise,
        "steps": case.steps.select_related("recorded_by").prefetch_related("attachments"),
        "may_work": may_work,
    }
    context.update(letters_panel(request.user, case, reverse("campaigns:case", args=[case.pk]) + "#letters"))
    if may_work:
        context.update(
            measure_form=forms.get("measure_form") or MeasureForm(initial=initial),
            founding_form=forms.get("founding_form") or FoundingStepForm(initial=initial),
        )
    return context


@login_required
def case_detail(request, pk):
    case = selectors.get_case_for_user(request.user, pk)
    return render(request, "campaigns/push/case.html", _case_context(request, case))


def _case_to_write(request, pk):
    """A case the user sees (else 404) and may record on (else 403)."""
    case = selectors.get_case_for_user(request.user, pk)
    if not services.may_work_on(request.user, case):
        raise PermissionDenied
    return case


def _record(request, pk, form_class, service, form_key, success):
    case = _case_to_write(request, pk)
    if request.method != "POST":
        return redirect("campaigns:case", pk=case.pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(case, user=request.user, **data)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(reverse("campaigns:case", args=[case.pk]) + "#timeline")
    case.refresh_from_db()
    return render(request, "campaigns/push/case.html", _case_context(request, case, **{form_key: form}), status=400)


@login_required
def case_measure(request, pk):
    return _record(
        request, pk, MeasureForm, services.case_record_measure, "measure_form", _("The measure is recorded.")
    )


@login_required
def case_founding(request, pk):
    return _record(
        request,
        pk,
        FoundingStepForm,
        services.case_record_founding_step,
        "founding_form",
        _("The founding step is recorded."),
    )


@login_required
def case_found(request, pk):
    """Record the union's founding: the case closes and the registry counts the enterprise as unionised."""
    case = _case_to_write(request, pk)
    form = FoundUnionForm(
        request.POST or None, unions=_founding_unions(request.user, case), initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_found_union(case, user=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s now has a union: the registry counts it as unionised.") % {"name": case.enterprise.name},
            )
            return redirect("campaigns:case", pk=case.pk)
    return render(request, "campaigns/push/found.html", {"case": case, "form": form})


@login_required
def case_withdraw(request, pk):
    """Take the enterprise off the key list, with the reason, after a confirmation page."""
    case = _case_to_write(request, pk)
    form = WithdrawForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_withdraw(case, user=request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s is no longer a key enterprise.") % {"name": case.enterprise.name})
            return redirect("campaigns:case", pk=case.pk)
    return render(request, "campaigns/push/withdraw.html", {"case": case, "form": form})


@login_required
def case_attachment(request, pk):
    """A file of a step of a case the user sees; any other is a 404."""
    attachment = get_object_or_404(
        CaseStepAttachment.objects.filter(step__case__in=OrganisingCase.objects.visible_to(request.user).values("pk")),
        pk=pk,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
