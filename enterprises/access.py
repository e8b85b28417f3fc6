"""The scoped door to enterprises: every view finds them here.

An enterprise outside the user's area is a 404; one the user can see but whose
role may not change (or delete) it is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from enterprises.models import Enterprise, ImportBatch, UnionCoverage
from unions.access import get_org_for_user


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


def get_grassroots_for_user(user, code, *, write=False):
    """A grassroots union through the union tree's door; anything else by that code is a 404 here."""
    union = get_org_for_user(user, code, write=write)
    if not union.is_grassroots:
        raise Http404
    return union


def get_coverage_for_user(user, pk, *, write=False):
    """A coverage whose union and enterprise the user may both see."""
    queryset = UnionCoverage.objects.visible_to(user).filter(enterprise__in=Enterprise.objects.visible_to(user))
    coverage = get_object_or_404(queryset.select_related("union__parent", "enterprise"), pk=pk)
    if write and not user.can_edit(coverage.union):
        raise PermissionDenied
    return coverage
