"""Reads of the union tree that are more than a QuerySet method."""

from django.db.models import Count, FilteredRelation, Q

from unions.models import UnionOrg
from unions.standards import EightHave, EightHavesItem, meets_eight_haves

__all__ = ["build_tree", "display_order", "eight_haves_of", "eight_haves_summary", "home_units", "meets_eight_haves"]


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


# -- the 八有 checklist of township unions ---------------------------------------------------------------


def eight_haves_of(townships):
    """{union pk: frozenset of the codes of its met items} for every union of `townships`, in one query."""
    return {pk: items for pk, _path, items in townships_with_eight_haves(townships)}


def townships_with_eight_haves(townships):
    """[(pk, path, frozenset of the codes of its met items)] for every union of `townships`: one query, the met
    items joined on (a township without any has an empty set)."""
    met_items = FilteredRelation("eight_haves", condition=Q(eight_haves__met=True))
    found = {}
    for pk, path, item in (
        townships.order_by().annotate(met_items=met_items).values_list("pk", "path", "met_items__item")
    ):
        items = found.setdefault(pk, (path, set()))[1]
        if item:
            items.add(item)
    return [(pk, path, frozenset(items)) for pk, (path, items) in found.items()]


def meeting_eight_haves_pks():
    """A subquery of the unions whose eight items are all met."""
    return (
        EightHavesItem.objects.met()
        .order_by()
        .values("union_id")
        .annotate(met_count=Count("pk"))
        .filter(met_count=len(EightHave))
        .values("union_id")
    )


def eight_haves_summary(townships):
    """Per county division code: {"unions": n, "meeting": n, "missing": {item code: n}}, in three queries.

    A township union is counted under its own division (its county; a development zone's under the prefecture).
    An item never assessed counts as missing.
    """
    plain = townships.order_by()
    unions = dict(plain.values_list("division_id").annotate(count=Count("pk")))
    meeting = dict(
        plain.filter(pk__in=meeting_eight_haves_pks()).values_list("division_id").annotate(count=Count("pk"))
    )
    met = (
        EightHavesItem.objects.met()
        .filter(union__in=plain.values("pk"))
        .order_by()
        .values_list("union__division_id", "item")
        .annotate(count=Count("pk"))
    )
    met_counts = {(division, item): count for division, item, count in met}
    return {
        division: {
            "unions": count,
            "meeting": meeting.get(division, 0),
            "missing": {item: count - met_counts.get((division, item), 0) for item in EightHave.values},
        }
        for division, count in sorted(unions.items(), key=lambda pair: pair[0] or "")
    }
