"""The push phase's writes: designating key enterprises, recording measures and founding steps, closing a case.

Every write takes the case's version the user saw, so an entry made on a stale page is refused; every change of a
case's status is a step of its timeline. The union's founding goes through the registry's coverage service, which
gives the enterprise its union status: nobody sets that by hand here.
"""

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from campaigns.attachments import detect_type, display_name
from campaigns.models import Campaign
from campaigns.models.push import (
    CaseStatus,
    CaseStep,
    CaseStepAttachment,
    FoundingStep,
    Grade,
    KeyCriterion,
    OrganisingCase,
)
from campaigns.services.errors import WorkflowError
from enterprises import services as registry
from enterprises.models import MANUFACTURING, Enterprise, UnionStatus
from unions.models import UnionOrg

# The units whose staff designate key enterprises besides the 组织部 (the plan: "各地市").
DESIGNATING_KINDS = (UnionOrg.Kind.REGION_FEDERATION, UnionOrg.Kind.PREFECTURE_FEDERATION)
MAX_HEADCOUNT_SETTING = 100_000
MAX_ATTACHMENTS_PER_STEP = 5


def _heads_a_group():
    """The condition that an enterprise has subsidiaries. One uncorrelated subquery rather than a join (which
    repeats a group's row for each subsidiary) or a correlated one (which the planner costs high enough to compile)."""
    return Q(pk__in=Enterprise.objects.filter(parent_group__isnull=False).values("parent_group_id"))


def criteria_filters(campaign):
    """{criterion: Q} over the registry: why an enterprise without a union is a suggested key enterprise."""
    return {
        KeyCriterion.LARGE: Q(headcount__gte=campaign.key_headcount),
        KeyCriterion.LONG_WITHOUT_UNION: Q(long_without_union=True),
        KeyCriterion.WELL_KNOWN: Q(well_known=True),
        KeyCriterion.POLITICAL_POST: Q(operator_political_post=True),
        KeyCriterion.INTERNET: Q(internet_industry=True),
        KeyCriterion.MANUFACTURING: Q(industry=MANUFACTURING),
        KeyCriterion.HEADQUARTERS: _heads_a_group() | Q(beyond_local_reach=True),
        KeyCriterion.CROSS_PREFECTURE: Q(operates_across_prefectures=True),
    }


def criteria_met(enterprise, campaign):
    """The criteria an enterprise meets, in the plan's order."""
    met = [
        (KeyCriterion.LARGE, enterprise.headcount >= campaign.key_headcount),
        (KeyCriterion.LONG_WITHOUT_UNION, enterprise.long_without_union),
        (KeyCriterion.WELL_KNOWN, enterprise.well_known),
        (KeyCriterion.POLITICAL_POST, enterprise.operator_political_post),
        (KeyCriterion.INTERNET, enterprise.internet_industry),
        (KeyCriterion.MANUFACTURING, enterprise.industry == MANUFACTURING),
        (KeyCriterion.HEADQUARTERS, enterprise.beyond_local_reach or _is_group(enterprise)),
        (KeyCriterion.CROSS_PREFECTURE, enterprise.operates_across_prefectures),
    ]
    return [criterion for criterion, holds in met if holds]


def _is_group(enterprise):
    """Whether the enterprise heads a group; key_suggestions reads it with each enterprise."""
    known = getattr(enterprise, "has_subsidiaries", None)
    return enterprise.subsidiaries.exists() if known is None else known


def key_suggestions(campaign, user, criterion="", q=""):
    """Enterprises the user sees, without a union, not yet key: those meeting a criterion (or `criterion`), or
    with `q`, any whose name or credit code matches."""
    filters = criteria_filters(campaign)
    if q:
        condition = Q(name__icontains=q) | Q(credit_code__iexact=q)
    elif criterion:
        condition = filters[criterion]
    else:
        condition = Q()
        for each in filters.values():
            condition |= each
    already = OrganisingCase.objects.filter(campaign=campaign).values("enterprise_id")
    return (
        Enterprise.objects.visible_to(user)
        .filter(condition, union_status=UnionStatus.NONE)
        .exclude(pk__in=already)
        .annotate(has_subsidiaries=ExpressionWrapper(_heads_a_group(), output_field=BooleanField()))
        .select_related("county__parent")
        .order_by("-headcount", "pk")
    )


def may_designate(user):
    if user.is_reviewer:
        return True
    return user.role == "staff" and user.organisation_id is not None and user.organisation.kind in DESIGNATING_KINDS


def may_work_on(user, case):
    """Whether the user records on the case: the 组织部, or staff who see the enterprise in the registry."""
    if user.is_reviewer:
        return True
    return user.role == "staff" and Enterprise.objects.visible_to(user).filter(pk=case.enterprise_id).exists()


def _check_worker(user, case):
    if not may_work_on(user, case):
        raise WorkflowError(_("Only the organisation department or the enterprise's own unit records on this case."))


def _check_open(case):
    if case.status != CaseStatus.OPEN:
        raise WorkflowError(_("This case is closed: nothing more is recorded on it."))


def _locked(case, version):
    """The case, locked for the rest of the transaction; refused when changed since the user saw `version`.

    Only the case's row is locked: locking the enterprise's responsible unit too would make a write that refers to
    that unit (a letter it issues) wait on every other case of the unit, and two such writes deadlock.
    """
    fresh = (
        OrganisingCase.objects.select_for_update(of=("self",))
        .select_related("enterprise__responsible_unit")
        .get(pk=case.pk)
    )
    if version is not None and fresh.version != int(version):
        raise WorkflowError(
            _("Someone recorded on this case after you opened the page. Nothing was saved; reload and try again.")
        )
    return fresh


def _check_date(day, case):
    if day > timezone.localdate():
        raise WorkflowError(_("A step cannot be dated in the future."))
    if day.year < case.campaign.year:
        raise WorkflowError(_("A step cannot be dated before the campaign's year."))


def record_step(case, *, user, kind, happened_on, who="", note="", grade=None, founding_step="", statuses=None):
    """Add a step to a locked case's timeline and move the case on: its last step, highest grade and version.

    The caller holds the case's lock (see `_locked`) and has checked the user may write.
    """
    from_status, to_status = statuses or ("", "")
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        grade=grade,
        founding_step=founding_step,
        from_status=from_status,
        to_status=to_status,
        happened_on=happened_on,
        who=who.strip(),
        note=note.strip(),
        recorded_by=user,
    )
    changes = {"last_step_at": timezone.now(), "version": F("version") + 1}
    if grade is not None and (case.highest_grade or 0) < grade:
        changes["highest_grade"] = grade
    OrganisingCase.objects.filter(pk=case.pk).update(**changes)
    case.refresh_from_db()
    return step


def _attach(step, checked, user):
    for upload, file_type in checked:
        CaseStepAttachment.objects.create(
            step=step,
            file=upload,
            original_name=display_name(upload.name),
            content_type=file_type.content_type,
            size=upload.size,
            uploaded_by=user,
        )


def check_attachments(files):
    """Each file with its type read from its content; too many, too large or unaccepted files are refused before
    anything is written."""
    if len(files) > MAX_ATTACHMENTS_PER_STEP:
        raise WorkflowError(_("Attach at most %(count)d files to one step.") % {"count": MAX_ATTACHMENTS_PER_STEP})
    checked = []
    for upload in files:
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise WorkflowError(_("%(name)s is larger than 10 MB.") % {"name": display_name(upload.name)})
        checked.append((upload, detect_type(upload, display_name(upload.name))))
    return checked


def case_designate(*, user, campaign, enterprise, responsible_person, note=""):
    """Make `enterprise` a key enterprise of `campaign`, with its organising case."""
    if not may_designate(user):
        raise WorkflowError(_("Only the organisation department and the prefectures designate key enterprises."))
    if not Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists():
        raise WorkflowError(_("You may not designate %(name)s.") % {"name": enterprise.name})
    if enterprise.has_union:
        raise WorkflowError(_("%(name)s already has a union.") % {"name": enterprise.name})
    responsible_person = responsible_person.strip()
    if not responsible_person:
        raise WorkflowError(_("Name the person responsible for the case."))
    now = timezone.now()
    try:
        with transaction.atomic():
            case = OrganisingCase.objects.create(
                campaign=campaign,
                enterprise=enterprise,
                designated_by_unit=user.organisation,
                responsible_person=responsible_person[:50],
                criteria=[str(criterion) for criterion in criteria_met(enterprise, campaign)],
                note=note.strip()[:300],
                last_step_at=now,
                designated_by=user,
            )
            record_step(
                case,
                user=user,
                kind=CaseStep.Kind.STATUS,
                happened_on=timezone.localdate(),
                who=responsible_person,
                statuses=("", CaseStatus.OPEN),
            )
    except IntegrityError as exc:
        raise WorkflowError(
            _("%(name)s is already a key enterprise of this campaign.") % {"name": enterprise.name}
        ) from exc
    return case


@transaction.atomic
def case_record_measure(case, *, user, grade, happened_on, who, note="", version, files=()):
    """Record a graded measure taken on the case (with its files)."""
    case = _locked(case, version)
    _check_worker(user, case)
    _check_open(case)
    if grade not in Grade.values:
        raise WorkflowError(_("Choose one of the plan's measures."))
    _check_date(happened_on, case)
    if not who.strip():
        raise WorkflowError(_("Say who took the measure."))
    checked = check_attachments(files)
    step = record_step(case, user=user, kind=CaseStep.Kind.MEASURE, grade=grade, happened_on=happened_on, who=who,
                       note=note)  # fmt: skip
    _attach(step, checked, user)
    return step


@transaction.atomic
def case_record_founding_step(case, *, user, founding_step, happened_on, who="", note="", version, files=()):
    """Record a step towards the union: preparatory group, members' assembly, election, approval."""
    case = _locked(case, version)
    _check_worker(user, case)
    _check_open(case)
    if founding_step not in FoundingStep.values:
        raise WorkflowError(_("Choose one of the founding steps."))
    _check_date(happened_on, case)
    checked = check_attachments(files)
    step = record_step(case, user=user, kind=CaseStep.Kind.FOUNDING, founding_step=founding_step,
                       happened_on=happened_on, who=who, note=note)  # fmt: skip
    _attach(step, checked, user)
    return step


def case_found_union(case, *, user, union, founded_on, version, note=""):
    """Close the case: `union` covers the enterprise from `founded_on`, and the registry says it has a union."""
    with transaction.atomic():
        case = _locked(case, version)
        _check_worker(user, case)
        _check_open(case)
        _check_date(founded_on, case)
        if not union.is_grassroots:
            raise WorkflowError(_("Choose the grassroots union that now covers the enterprise."))
        try:
            registry.coverage_start(user=user, enterprise=case.enterprise, union=union, valid_from=founded_on)
        except registry.RegistryError as exc:
            raise WorkflowError(str(exc)) from exc
        OrganisingCase.objects.filter(pk=case.pk).update(
            status=CaseStatus.UNIONISED, founded_union=union, closed_on=founded_on
        )
        record_step(
            case,
            user=user,
            kind=CaseStep.Kind.STATUS,
            happened_on=founded_on,
            who=union.name,
            note=note,
            statuses=(CaseStatus.OPEN, CaseStatus.UNIONISED),
        )
    return case


@transaction.atomic
def case_withdraw(case, *, user, reason, version):
    """The enterprise is no longer key (closed down, below the criteria): the case closes with the reason."""
    case = _locked(case, version)
    _check_worker(user, case)
    _check_open(case)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Give the reason the enterprise is no longer key."))
    OrganisingCase.objects.filter(pk=case.pk).update(status=CaseStatus.WITHDRAWN, closed_on=timezone.localdate())
    record_step(case, user=user, kind=CaseStep.Kind.STATUS, happened_on=timezone.localdate(), note=reason,
                statuses=(CaseStatus.OPEN, CaseStatus.WITHDRAWN))  # fmt: skip
    return case


@transaction.atomic
def campaign_set_key_headcount(campaign, *, user, headcount):
    """The 组织部 reads "large" as `headcount` staff or more for this campaign."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department sets what counts as a large enterprise."))
    if not 1 <= headcount <= MAX_HEADCOUNT_SETTING:
        raise WorkflowError(_("Give a headcount between 1 and %(max)d.") % {"max": MAX_HEADCOUNT_SETTING})
    Campaign.objects.filter(pk=campaign.pk).update(key_headcount=headcount)
    campaign.refresh_from_db()
    return campaign
