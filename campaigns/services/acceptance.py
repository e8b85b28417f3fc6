"""考核验收: the year-end acceptance of each unit in a members campaign.

The organisation department writes a conclusion and a comment; each target beside its result and the timeliness of
the unit's reports are computed, shown live while the record is a draft, and frozen when it is approved. An approved
record is locked. Every save and the approval keep a row with before, after, who and when.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Acceptance,
    AcceptanceChange,
    Conclusion,
    Deadline,
    MemberTarget,
    Participation,
    Submission,
    Timeliness,
)
from campaigns.services.deadlines import due_dates_in_force, has_passed
from campaigns.services.errors import AlreadyHandled, WorkflowError
from campaigns.services.members import acceptance_figures


def _per_cent(part, whole):
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")))


def acceptance_results(campaign, unit):
    """Each member target of the unit beside its result: [{"name", "target", "result", "met"}]; a target not set
    has None and is not judged."""
    figures = acceptance_figures(campaign, unit)
    target = MemberTarget.objects.filter(campaign=campaign, unit=unit).first()
    rows = [
        ("new_migrant_members", target and target.new_migrant_members, figures["new_migrant_members"]),
        (
            "eighty_rate",
            target and target.eighty_rate,
            _per_cent(figures["eighty_met"], figures["eighty_employing"]),
        ),
        (
            "eight_haves_rate",
            target and target.eight_haves_rate,
            _per_cent(figures["townships_meeting"], figures["townships"]),
        ),
    ]
    results = []
    for name, aim, result in rows:
        met = None
        if aim is not None:
            met = result is not None and Decimal(str(result)) >= Decimal(str(aim))
        results.append({"name": name, "target": None if aim is None else str(aim), "result": result, "met": met})
    return results


def acceptance_timeliness(campaign, unit, now=None):
    """The unit's reports in the campaign: [{"deadline", "title", "word"}] with the word of timeliness ("" while a
    report is not yet due), and the count of each word."""
    now = now or timezone.now()
    submissions = {
        submission.deadline_id: submission
        for submission in Submission.objects.filter(deadline__stage__campaign=campaign, unit=unit)
    }
    deadlines = list(Deadline.objects.filter(stage__campaign=campaign).select_related("stage"))
    due = due_dates_in_force(deadlines, unit)
    reports = []
    for deadline in deadlines:
        submission = submissions.get(deadline.pk)
        if submission is not None and submission.timeliness:
            word = submission.timeliness
        elif has_passed(due[deadline.pk], now):
            word = Timeliness.MISSING.value
        else:
            word = ""
        reports.append({"deadline": deadline.pk, "title": str(deadline.title), "word": word})
    counts = {word.value: sum(1 for report in reports if report["word"] == word.value) for word in Timeliness}
    return {"reports": reports, "counts": counts}


def _check(user, campaign, unit):
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department carries out the year-end acceptance."))
    if not campaign.counts_members:
        raise WorkflowError(_("This campaign does not count members."))
    if not Participation.objects.filter(campaign=campaign, unit=unit).exists():
        raise WorkflowError(_("This unit does not report in this campaign."))


def _content(acceptance):
    if acceptance is None:
        return None
    return {"conclusion": acceptance.conclusion, "comment": acceptance.comment}


def _stale():
    return AlreadyHandled(
        _("Someone changed this acceptance record after you opened it. Nothing was saved; reload and try again.")
    )


@transaction.atomic
def acceptance_save(campaign, unit, *, user, conclusion, comment, version):
    """Write the draft's conclusion and comment (creating the record with its first save)."""
    _check(user, campaign, unit)
    if conclusion and conclusion not in Conclusion.values:
        raise WorkflowError(_("Choose one of the three conclusions."))
    acceptance = Acceptance.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    if (acceptance.version if acceptance else 0) != version:
        raise _stale()
    if acceptance is not None and acceptance.is_locked:
        raise WorkflowError(_("An approved acceptance record cannot be changed."))
    before = _content(acceptance)
    after = {"conclusion": conclusion, "comment": comment.strip()}
    if before == after:
        return acceptance
    if acceptance is None:
        acceptance = Acceptance.objects.create(campaign=campaign, unit=unit, updated_by=user, **after)
    else:
        Acceptance.objects.filter(pk=acceptance.pk).update(
            **after, updated_by=user, updated_at=timezone.now(), version=F("version") + 1
        )
        acceptance.refresh_from_db()
    AcceptanceChange.objects.create(
        acceptance=acceptance,
        from_status=Acceptance.Status.DRAFT,
        to_status=Acceptance.Status.DRAFT,
        before=before,
        after=after,
        actor=user,
    )
    return acceptance


@transaction.atomic
def acceptance_approve(acceptance, *, user, version, now=None):
    """Approve the record: its results and timeliness are frozen as they are now, and it is locked."""
    _check(user, acceptance.campaign, acceptance.unit)
    now = now or timezone.now()
    if acceptance.is_locked:
        raise _stale()
    if not acceptance.conclusion:
        raise WorkflowError(_("Give the conclusion (达标, 基本达标 or 未达标) before approving."))
    results = acceptance_results(acceptance.campaign, acceptance.unit)
    timeliness = acceptance_timeliness(acceptance.campaign, acceptance.unit, now)
    updated = Acceptance.objects.filter(pk=acceptance.pk, version=version, status=Acceptance.Status.DRAFT).update(
        status=Acceptance.Status.APPROVED,
        results=results,
        timeliness=timeliness,
        approved_at=now,
        updated_by=user,
        version=F("version") + 1,
    )
    if not updated:
        raise _stale()
    AcceptanceChange.objects.create(
        acceptance=acceptance,
        from_status=Acceptance.Status.DRAFT,
        to_status=Acceptance.Status.APPROVED,
        before=_content(acceptance),
        after={**_content(acceptance), "results": results},
        actor=user,
    )
    acceptance.refresh_from_db()
    return acceptance
