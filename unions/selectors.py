"""Reads of the union tree that are more than a QuerySet method."""

from unions.models import UnionOrg


def display_order(org):
    """Places first in division-code order (as official forms list them), then the other units, then departments."""
    rank = 0 if org.is_place_federation else 2 if org.kind == UnionOrg.Kind.DEPARTMENT else 1
    return (rank, org.code)


def build_tree(orgs):
    """Nest organisations under their parents; the tops are those whose parent is not listed."""
    nodes = {org.pk: org for org in sorted(orgs, key=display_order)}
    roots = []
    for org in nodes.values():
        org.tree_children = []
    for org in nodes.values():
        parent = nodes.get(org.parent_id)
        (parent.tree_children if parent else roots).append(org)
    return roots


def home_units(user):
    """The unit a home page is about and the units directly below it, as the user may see them."""
    visible = UnionOrg.objects.visible_to(user)
    if user.sees_everything:
        unit = visible.filter(kind=UnionOrg.Kind.REGION_FEDERATION).first()
    else:
        unit = visible.filter(pk=user.organisation_id).first()
    if unit is None:
        return None, []
    sub_units = visible.filter(parent=unit).for_directory().exclude(kind=UnionOrg.Kind.DEPARTMENT)
    return unit, sorted(sub_units, key=display_order)
