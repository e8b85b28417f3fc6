"""The scoped door to union organisations: every view finds them here.

Another unit's organisation is a 404, so its existence is not revealed; the
right unit with a role that may not change it is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from unions.models import UnionOrg


def get_org_for_user(user, code, *, write=False):
    org = get_object_or_404(
        UnionOrg.objects.visible_to(user).select_related("division", "parent", "statistical_division"), code=code
    )
    if write and not user.can_edit(org):
        raise PermissionDenied
    return org


def get_org_or_card_for_user(user, code):
    """An organisation the user may see in full, or one above their own unit, which they may know only by its
    contact card: (org, full). Any other is a 404."""
    visible = (
        UnionOrg.objects.visible_to(user)
        .select_related("division", "parent", "statistical_division")
        .filter(code=code)
        .first()
    )
    if visible is not None:
        return visible, True
    org = get_object_or_404(UnionOrg.objects.select_related("division", "parent", "statistical_division"), code=code)
    if user.organisation_id is None or not user.organisation.is_within(org):
        raise Http404
    return org, False
