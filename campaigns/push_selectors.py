"""Reads of the push phase: the campaigns that have one, a user's cases with their filters, and the figures of
progress (designated, measures by highest grade, unionised, letters) that the case list, the dashboard and the
briefing show, each a filter of the case list."""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import Campaign, CaseStatus, Grade, Letter, Measure, OrganisingCase
from campaigns.models.push import stale_since
from unions.models import division_prefix


def push_campaigns():
    """Campaigns that count enterprises with a union: the 2019 kind, which has a push phase."""
    return Campaign.objects.filter(measure=Measure.ENTERPRISES)


def push_campaign(pk):
    """A campaign with a push phase, or a 404."""
    return get_object_or_404(push_campaigns(), pk=pk)


def latest_push_campaign():
    return push_campaigns().order_by("-year", "-pk").first()


def get_case_for_user(user, pk):
    """A case the user may see (its enterprise is in the user's registry); any other is a 404."""
    cases = OrganisingCase.objects.visible_to(user).select_related(
        "campaign", "enterprise__county__parent", "enterprise__responsible_unit", "designated_by_unit", "founded_union"
    )
    return get_object_or_404(cases, pk=pk)


def _in_area(cases, area):
    """Cases of enterprises in the division `area` (a GB/T 2260 code); every case when empty."""
    return cases.filter(enterprise__county__code__startswith=division_prefix(area)) if area else cases


def cases_for(user, campaign, *, status="", grade=None, prefecture="", area="", stale=False, letters=False, q=""):
    """The user's cases of the campaign, filtered; `grade` 0 means "no measure yet"."""
    cases = _in_area(OrganisingCase.objects.visible_to(user).filter(campaign=campaign), area)
    if status:
        cases = cases.filter(status=status)
    if grade == 0:
        cases = cases.filter(highest_grade__isnull=True)
    elif grade:
        cases = cases.filter(highest_grade=grade)
    if prefecture:
        cases = cases.filter(enterprise__county__parent__code=prefecture)
    if stale:
        cases = cases.filter(status=CaseStatus.OPEN, last_step_at__lt=stale_since(timezone.now()))
    if letters:
        cases = cases.filter(Exists(Letter.objects.filter(case=OuterRef("pk"))))
    if q:
        cases = cases.filter(Q(enterprise__name__icontains=q) | Q(enterprise__credit_code__iexact=q))
    return (
        cases.select_related("enterprise__county__parent", "designated_by_unit")
        .annotate(letter_count=Count("letters", distinct=True))
        .order_by("-designated_at", "-pk")
    )


def push_progress(user, campaign, area=""):
    """The push's figures over the user's cases (in the division `area`), each shown by a filter of the case list;
    read in one query."""
    cases = _in_area(OrganisingCase.objects.visible_to(user).filter(campaign=campaign), area)
    stale = Q(status=CaseStatus.OPEN, last_step_at__lt=stale_since(timezone.now()))
    by_grade = {f"grade_{grade.value}": Count("pk", distinct=True, filter=Q(highest_grade=grade)) for grade in Grade}
    counted = cases.aggregate(
        designated=Count("pk", distinct=True),
        with_measures=Count("pk", distinct=True, filter=Q(highest_grade__isnull=False)),
        unionised=Count("pk", distinct=True, filter=Q(status=CaseStatus.UNIONISED)),
        withdrawn=Count("pk", distinct=True, filter=Q(status=CaseStatus.WITHDRAWN)),
        stale=Count("pk", distinct=True, filter=stale),
        letters=Count("letters", distinct=True),
        **by_grade,
    )
    grades = [{"grade": grade, "label": grade.label, "count": counted.pop(f"grade_{grade.value}")} for grade in Grade]
    return {
        **counted,
        "grades": grades,
        "no_measure": counted["designated"] - counted["with_measures"],
        "area": area,
    }
