from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigns import selectors, services
from campaigns.access import require_oversight, require_reviewer
from campaigns.forms import BoardFilterForm, CampaignCopyForm, MemberTargetForm, TargetForm, ThresholdForm
from campaigns.models import Campaign, MemberFigureChange, TargetChange
from unions.selectors import display_order

CHANGES_SHOWN = 50


def _campaign_for_reviewer(request, pk):
    require_oversight(request.user)
    return get_object_or_404(Campaign, pk=pk)


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.prefetch_related("stages")
    return render(request, "campaigns/campaigns.html", {"campaigns": campaigns})


@login_required
def campaign_board(request, pk):
    campaign = _campaign_for_reviewer(request, pk)
    deadlines, rows = selectors.board(campaign)
    form = BoardFilterForm(request.GET or None)
    keep = form.row_filter()
    context = {
        "campaign": campaign,
        "deadlines": deadlines,
        "rows": [(participation, cells) for participation, cells in rows if keep(cells)],
        "form": form,
        "threshold_changes": selectors.threshold_changes(campaign)[:CHANGES_SHOWN],
    }
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
    """Each unit's scope threshold; a change needs a reason and is kept with who and when."""
    campaign = _campaign_for_reviewer(request, pk)
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    form = ThresholdForm(request.POST or None, participations=participations)
    if request.method == "POST":
        require_reviewer(request.user)
        if form.is_valid():
            try:
                changed = services.participations_set_thresholds(
                    form.changes(), reason=form.cleaned_data["reason"], user=request.user
                )
            except services.WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The scope of the units has been saved: %(count)d changed.") % {"count": len(changed)}
                )
                return redirect("campaigns:board", pk=campaign.pk)
    context = {"campaign": campaign, "form": form, "changes": selectors.threshold_changes(campaign)[:CHANGES_SHOWN]}
    return render(request, "campaigns/campaign_units.html", context)


@login_required
def campaign_targets(request, pk):
    """目标任务分解: the 组织部 sets each participating unit's target; every change is kept. A members campaign has
    its member targets on the same page, in a form of their own."""
    campaign = _campaign_for_reviewer(request, pk)
    require_reviewer(request.user)
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    posted = request.POST if request.method == "POST" else None
    which = posted.get("which") if posted else None
    targets = {target.unit_id: target for target in campaign.targets.all()}
    form = TargetForm(posted if which != "members" else None, participations=participations, targets=targets)
    member_form = None
    if campaign.counts_members:
        member_targets = {target.unit_id: target for target in campaign.member_targets.all()}
        member_form = MemberTargetForm(
            posted if which == "members" else None, participations=participations, targets=member_targets
        )
    saving = member_form if which == "members" and member_form is not None else form
    if posted and saving.is_valid():
        try:
            if saving is form:
                changed = services.targets_set(campaign, form.entries(), user=request.user)
            else:
                changed = services.member_targets_set(campaign, member_form.entries(), user=request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Targets saved: %(count)d changed.") % {"count": changed})
            return redirect("campaigns:campaign_targets", pk=campaign.pk)
    changes = TargetChange.objects.filter(target__campaign=campaign).select_related("target__unit", "changed_by")
    member_changes = MemberFigureChange.objects.filter(
        campaign=campaign, subject=MemberFigureChange.Subject.TARGET
    ).select_related("unit", "changed_by")
    context = {
        "campaign": campaign,
        "form": form,
        "member_form": member_form,
        "changes": changes[:CHANGES_SHOWN],
        "member_changes": member_changes[:CHANGES_SHOWN] if member_form is not None else [],
    }
    return render(request, "campaigns/targets.html", context)
