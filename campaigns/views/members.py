"""The pages of a members campaign (the 2015 plan): each figure beside the rows it counts, the 80% rule per
enterprise, and the 2014 baselines the organisation department enters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaigns import services
from campaigns.access import require_reviewer
from campaigns.figure_links import figure_links
from campaigns.forms import BaselineForm, EightyFilterForm
from campaigns.models import Campaign, MemberFigureChange
from unions.models import UnionOrg
from unions.selectors import display_order

CHANGES_SHOWN = 50
PER_PAGE = 50


def figure_rows(campaign, unit, live, frozen=None):
    """[(name, label, live value, frozen value, link)] in the order reports show them."""
    links = figure_links(campaign, unit)
    return [
        (
            name,
            services.MEMBER_FIGURE_LABELS[name],
            live.get(name) if live else None,
            frozen.get(name) if frozen else None,
            links.get(name),
        )
        for name in services.MEMBER_FIGURE_NAMES
    ]


def sector_rows(live, frozen=None):
    """[(label, live sector figures, frozen sector figures)] for the plan's key sectors."""
    frozen_sectors = (frozen or {}).get("sectors", {})
    return [
        (label, live["sectors"][key] if live else None, frozen_sectors.get(key))
        for key, label in services.SECTOR_LABELS.items()
    ]


def _campaign_and_unit(user, pk, code):
    """A members campaign and any organisation the user may see (the dashboard drills below the participants)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    unit = get_object_or_404(UnionOrg.objects.visible_to(user), code=code)
    if not campaign.counts_members:
        raise Http404
    return campaign, unit


@login_required
def member_eighty(request, pk, unit):
    """The 80% rule in each 四要素 enterprise the unit reports for: employed, members, rate and the gap."""
    campaign, unit = _campaign_and_unit(request.user, pk, unit)
    form = EightyFilterForm(request.GET or None)
    rows = services.eighty_rule(unit, campaign.year)
    show = form.cleaned_data.get("show") if form.is_valid() else ""
    if show == "below":
        rows = [row for row in rows if row[5] > 0]
    elif show == "met":
        rows = [row for row in rows if row[5] == 0]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "unit": unit,
        "form": form,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "querystring": query.urlencode(),
    }
    return render(request, "campaigns/member_eighty.html", context)


@login_required
def member_baselines(request, pk):
    """The 2014 baselines: the organisation department enters each unit's number once and names its source."""
    require_reviewer(request.user)
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.counts_members:
        raise Http404
    participations = sorted(campaign.participations.select_related("unit"), key=lambda p: display_order(p.unit))
    baselines = {row.unit_id: row for row in campaign.member_baselines.all()}
    form = BaselineForm(request.POST or None, participations=participations, baselines=baselines)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.baselines_set(campaign, form.entries(), user=request.user)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Baselines saved: %(count)d changed.") % {"count": changed})
            return redirect("campaigns:member_baselines", pk=campaign.pk)
    changes = MemberFigureChange.objects.filter(
        campaign=campaign, subject=MemberFigureChange.Subject.BASELINE
    ).select_related("unit", "changed_by")
    context = {"campaign": campaign, "form": form, "changes": changes[:CHANGES_SHOWN]}
    return render(request, "campaigns/member_baselines.html", context)
