"""Each unit's deadline in force: the original, or the latest extension the organisation department granted."""

from django.utils.translation import gettext as _

from campaigns.models import (
    Extension,
    Participation,
)
from campaigns.services.errors import (
    WorkflowError,
)


def effective_due_on(deadline, unit):
    extension = Extension.objects.filter(deadline=deadline, unit=unit).first()
    return extension.due_on if extension else deadline.due_on


def extension_grant(deadline, unit, *, due_on, reason, user):
    """Reopen (or keep open) a unit's report until a later day; recorded with who, when and why."""
    if not user.is_reviewer:
        raise WorkflowError(_("Only the organisation department may grant extensions."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason for the extension."))
    if due_on <= deadline.due_on:
        raise WorkflowError(_("The new date must be after the original deadline."))
    return Extension.objects.create(deadline=deadline, unit=unit, due_on=due_on, reason=reason.strip(), granted_by=user)


def participation_for(deadline, unit):
    return Participation.objects.filter(campaign_id=deadline.stage.campaign_id, unit=unit).first()
