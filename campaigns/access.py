"""The scoped door to reports: every view finds campaigns' submissions here.

A report of a unit outside the user's scope is a 404; the right unit with a role
that may not do the action is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from campaigns.models import Deadline, ExtensionRequest, Notification, Participation, Submission
from unions.models import UnionOrg


def get_submission_for_user(user, pk):
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related("deadline__stage__campaign", "unit"), pk=pk
    )


def get_participation_for_user(user, deadline_pk, unit_code):
    """A deadline and the participation in its campaign of a unit the user may see, with the unit (404 otherwise)."""
    deadline = get_object_or_404(Deadline.objects.select_related("stage__campaign"), pk=deadline_pk)
    participation = get_object_or_404(
        Participation.objects.select_related("unit"),
        campaign_id=deadline.stage.campaign_id,
        unit__in=UnionOrg.objects.visible_to(user),
        unit__code=unit_code,
    )
    return deadline, participation


def get_deadline_and_unit_for_user(user, deadline_pk, unit_code):
    """A deadline and a participating unit the user may see (404 otherwise)."""
    deadline, participation = get_participation_for_user(user, deadline_pk, unit_code)
    return deadline, participation.unit


def require_reviewer(user):
    if not user.is_reviewer:
        raise PermissionDenied


def require_oversight(user):
    if not user.oversees:
        raise PermissionDenied


def require_units_staff(user, unit):
    if not user.is_staff_of(unit):
        raise PermissionDenied


def get_notification_for_user(user, pk):
    """A notification is its recipient's alone: anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, user=user)


def get_extension_request_for_user(user, pk):
    """A unit's request for more time, as its report is seen: outside the user's scope it is a 404."""
    return get_object_or_404(
        ExtensionRequest.objects.filter(unit__in=UnionOrg.objects.visible_to(user)).select_related(
            "deadline__stage__campaign", "unit", "requested_by"
        ),
        pk=pk,
    )
