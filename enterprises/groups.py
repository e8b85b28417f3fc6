"""Group headquarters and their subsidiaries, across prefectures.

A subsidiary belongs to the unit that keeps it; its headquarters may be any enterprise of the registry, also one
in another prefecture. Each side sees the other's summary (name, place, union status) read-only. A chain of
headquarters never loops back on itself: the form, the service and the import refuse a link that would.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from enterprises.models import Enterprise

# A chain of headquarters longer than this is taken for a loop: real groups are a few levels deep.
MAX_DEPTH = 100
QUERY_CHUNK = 900  # under SQLite's limit on query parameters


def _chunks(values):
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]


def find_headquarters(text):
    """The enterprise a person means by a credit code or a name; a list of all it could mean (none, one, several).

    A code is unique; a name may be shared, and then the person is asked for the code."""
    text = text.strip()
    if not text:
        return []
    by_code = list(Enterprise.objects.filter(credit_code=text.upper()).select_related("county__parent"))
    if by_code:
        return by_code
    return list(Enterprise.objects.filter(name=text).select_related("county__parent")[:5])


def chain_above(group):
    """[group, its headquarters, theirs, ...] as (pk, name), up to the top or until a pk repeats."""
    chain, seen = [], set()
    current = group.pk if group else None
    while current is not None and current not in seen and len(chain) < MAX_DEPTH:
        seen.add(current)
        row = Enterprise.objects.filter(pk=current).values_list("pk", "name", "parent_group_id").first()
        if row is None:
            break
        chain.append((row[0], row[1]))
        current = row[2]
    return chain


def loop_message(names):
    return _("Group headquarters cannot go round in a circle: %(chain)s.") % {"chain": " → ".join(names)}


def headquarters_loop(enterprise, group):
    """The message refusing `group` as the headquarters of `enterprise` when that makes a loop, else None."""
    if group is None:
        return None
    if enterprise.pk is not None and group.pk == enterprise.pk:
        return _("An enterprise cannot be its own group headquarters.")
    chain = chain_above(group)
    pks = [pk for pk, _name in chain]
    if enterprise.pk is None or enterprise.pk not in pks:
        return None
    names = [enterprise.name] + [name for _pk, name in chain[: pks.index(enterprise.pk) + 1]]
    return loop_message(names)


def loops_in_links(links):
    """For the import: `links` maps each file row's credit code to the code of its headquarters (or None), which
    replace the registry's links of those enterprises. Returns {code: message} for each row in a loop."""
    parent_of = dict(links)
    frontier = {code for code in links.values() if code and code not in parent_of}
    while frontier:
        found = {}
        for chunk in _chunks(list(frontier)):
            found.update(
                Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "parent_group__credit_code")
            )
        for code in frontier:
            parent_of[code] = found.get(code)
        frontier = {code for code in found.values() if code and code not in parent_of}
    loops = {}
    for start in links:
        path, current = [start], parent_of.get(start)
        while current is not None and current not in path and len(path) < MAX_DEPTH:
            path.append(current)
            current = parent_of.get(current)
        if current == start:
            loops[start] = loop_message([*path, start])
    return loops


def visible_pks(user, pks):
    """Which of these enterprises the person may open (the others are shown as a summary, without a link)."""
    return set(Enterprise.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def subsidiaries_of(enterprise):
    """Every subsidiary of a headquarters, in whichever prefecture it is."""
    return (
        Enterprise.objects.filter(parent_group=enterprise)
        .select_related("county__parent")
        .only("pk", "name", "union_status", "county__name", "county__parent__name")
    )


def headquarters_visible_to(user):
    """Headquarters the person may list: it or any of its subsidiaries is in their scope."""
    visible = Enterprise.objects.visible_to(user)
    if user.is_authenticated and user.sees_everything:
        return Enterprise.objects.filter(
            pk__in=Enterprise.objects.filter(parent_group__isnull=False).values("parent_group_id")
        )
    return Enterprise.objects.filter(
        Q(pk__in=visible.filter(subsidiaries__isnull=False).values("pk"))
        | Q(pk__in=visible.filter(parent_group__isnull=False).values("parent_group_id"))
    )
