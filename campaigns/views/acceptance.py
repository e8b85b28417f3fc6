"""考核验收 pages: the list of a members campaign's units with their records, one unit's record (computed results,
timeliness, the 组织部's conclusion) and its approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import services
from campaigns.access import require_reviewer
from campaigns.forms import AcceptanceApproveForm, AcceptanceForm
from campaigns.models import Acceptance, Campaign, Participation, Timeliness
from unions.models import UnionOrg
from unions.selectors import display_order

RESULT_LABELS = {
    "new_migrant_members": gettext_lazy("New migrant-worker members"),
    "eighty_rate": gettext_lazy("四要素 enterprises at 80 per cent or more (per cent)"),
    "eight_haves_rate": gettext_lazy("Township unions meeting 八有 (per cent)"),
}


def _members_campaign(pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.counts_members:
        raise Http404
    return campaign


def _campaign_and_unit(user, pk, code):
    """A members campaign and a unit taking part in it that the user may see, in one query (404 otherwise)."""
    participation = get_object_or_404(
        Participation.objects.select_related("campaign", "unit"),
        campaign__pk=pk,  # through the campaign's key: a number past its range finds nothing instead of failing
        unit__code=code,
        unit__in=UnionOrg.objects.visible_to(user),
    )
    if not participation.campaign.counts_members:
        raise Http404
    return participation.campaign, participation.unit


@login_required
def acceptance_list(request, pk):
    """Every participating unit the user may see, with the state and conclusion of its record."""
    campaign = _members_campaign(pk)
    visible = UnionOrg.objects.visible_to(request.user)
    participations = sorted(
        campaign.participations.filter(unit__in=visible).select_related("unit"), key=lambda p: display_order(p.unit)
    )
    records = {record.unit_id: record for record in campaign.acceptances.all()}
    rows = [(participation.unit, records.get(participation.unit_id)) for participation in participations]
    return render(request, "campaigns/acceptances.html", {"campaign": campaign, "rows": rows})


def _labelled(results):
    return [{**row, "label": RESULT_LABELS.get(row["name"], row["name"])} for row in results]


@login_required
def acceptance(request, pk, unit):
    campaign, unit = _campaign_and_unit(request.user, pk, unit)
    record = Acceptance.objects.filter(campaign=campaign, unit=unit).select_related("updated_by").first()
    locked = record is not None and record.is_locked
    may_write = request.user.is_reviewer and not locked
    initial = {"version": record.version if record else 0}
    if record:
        initial.update(conclusion=record.conclusion, comment=record.comment)
    form = AcceptanceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        require_reviewer(request.user)
        if form.is_valid():
            try:
                services.acceptance_save(
                    campaign,
                    unit,
                    user=request.user,
                    conclusion=form.cleaned_data["conclusion"],
                    comment=form.cleaned_data["comment"],
                    version=form.cleaned_data["version"],
                )
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The acceptance record has been saved."))
            return redirect("campaigns:acceptance", pk=campaign.pk, unit=unit.code)
    results = record.results if locked else services.acceptance_results(campaign, unit)
    timeliness = record.timeliness if locked else services.acceptance_timeliness(campaign, unit)
    context = {
        "campaign": campaign,
        "unit": unit,
        "record": record,
        "locked": locked,
        "may_write": may_write,
        "form": form,
        "results": _labelled(results),
        "timeliness": timeliness,
        "words": [(word.value, word.label) for word in Timeliness],
        "changes": record.changes.select_related("actor") if record else [],
    }
    return render(request, "campaigns/acceptance.html", context)


@login_required
def acceptance_approve(request, pk, unit):
    """A confirmation page, then the approval that freezes and locks the record."""
    campaign, unit = _campaign_and_unit(request.user, pk, unit)
    require_reviewer(request.user)
    record = get_object_or_404(Acceptance, campaign=campaign, unit=unit)
    form = AcceptanceApproveForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.acceptance_approve(record, user=request.user, version=form.cleaned_data["version"])
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The acceptance record of %(unit)s has been approved.") % {"unit": unit})
        return redirect("campaigns:acceptance", pk=campaign.pk, unit=unit.code)
    return render(request, "campaigns/acceptance_approve.html", {"campaign": campaign, "unit": unit, "form": form})
