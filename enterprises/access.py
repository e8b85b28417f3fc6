"""The scoped door to enterprises: every view finds them here.

An enterprise outside the user's area is a 404; one the user can see but whose
role may not change (or delete) it is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from enterprises.models import Enterprise, ImportBatch


def get_enterprise_for_user(user, pk, *, write=False, delete=False):
    queryset = Enterprise.objects.visible_to(user).select_related("county__parent", "responsible_unit", "parent_group")
    enterprise = get_object_or_404(queryset, pk=pk)
    if write and not user.enters_data:
        raise PermissionDenied
    if delete and not user.oversees:
        raise PermissionDenied
    return enterprise


def get_import_for_user(user, pk):
    """An upload is seen only by the person who uploaded it."""
    return get_object_or_404(ImportBatch, pk=pk, created_by=user)
