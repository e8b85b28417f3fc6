"""Model practices (典型经验): the organisation department marks a report's practices 示范, retitles or unmarks them,
and every change keeps a row."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    PracticeMark,
    PracticeMarkChange,
    Submission,
)
from campaigns.services.errors import (
    WorkflowError,
)

HANDED_IN = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


def _mark_of(submission):
    """The report's mark, locked for the rest of the transaction; None when it has none."""
    return PracticeMark.objects.select_for_update().filter(submission=submission).first()


def _check_reviewer(user):
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department marks model practices."))


def _check_version(mark, version_seen):
    if (mark.version if mark else 0) != version_seen:
        raise WorkflowError(
            _("Someone changed this model practice after you opened the page. Nothing was saved; reload and try again.")
        )


def _state(mark):
    return {"title": mark.title, "note": mark.note} if mark else None


@transaction.atomic
def practice_mark(submission, *, user, title, note="", version):
    """Mark the report's practices 示范 under `title`, or change the headline and note of its mark.

    `version` is the mark's version the reviewer saw (0 when it had none): a mark changed since is refused.
    """
    _check_reviewer(user)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in HANDED_IN:
        raise WorkflowError(_("Only the practices of a submitted or approved report can be marked."))
    if not submission.practices.strip():
        raise WorkflowError(_("This report describes no practices to mark."))
    title, note = title.strip(), note.strip()
    if not title:
        raise WorkflowError(_("Give the model practice a headline."))
    mark = _mark_of(submission)
    _check_version(mark, version)
    before, after = _state(mark), {"title": title, "note": note}
    if before == after:
        return mark
    now = timezone.now()
    if mark is None:
        mark = PracticeMark.objects.create(submission=submission, title=title, note=note, marked_by=user, marked_at=now)
        action = PracticeMarkChange.Action.MARKED
    else:
        PracticeMark.objects.filter(pk=mark.pk).update(
            title=title, note=note, marked_by=user, marked_at=now, version=F("version") + 1
        )
        mark.refresh_from_db()
        action = PracticeMarkChange.Action.RETITLED
    PracticeMarkChange.objects.create(
        submission=submission, action=action, before=before, after=after, changed_by=user, changed_at=now
    )
    return mark


@transaction.atomic
def practice_unmark(submission, *, user, version):
    """Take the 示范 mark off the report's practices; `version` is the mark's version the reviewer saw."""
    _check_reviewer(user)
    mark = _mark_of(submission)
    if mark is None:
        raise WorkflowError(_("These practices are not marked as a model practice."))
    _check_version(mark, version)
    PracticeMarkChange.objects.create(
        submission=submission, action=PracticeMarkChange.Action.UNMARKED, before=_state(mark), changed_by=user
    )
    mark.delete()
