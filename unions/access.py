"""The scoped door to union organisations: every view finds them here.

Another unit's organisation is a 404, so its existence is not revealed; the
right unit with a role that may not change it is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from unions.models import UnionOrg


def get_org_for_user(user, code, *, write=False):
    org = get_object_or_404(UnionOrg.objects.visible_to(user).select_related("division", "parent"), code=code)
    if write and not user.can_edit(org):
        raise PermissionDenied
    return org
