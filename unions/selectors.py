"""Reads of the union tree that are more than a QuerySet method."""

from unions.models import UnionOrg


def build_tree(orgs):
    """Nest organisations (ordered by path) under their parents; the tops are those whose parent is not listed."""
    nodes = {org.pk: org for org in orgs}
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
    sub_units = visible.filter(parent=unit).for_directory()
    return unit, list(sub_units)
