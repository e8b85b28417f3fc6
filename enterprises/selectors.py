"""Reads of the registry that are more than a QuerySet method."""

from django.db.models import Exists, OuterRef, Q

from enterprises.forms import EnterpriseFilterForm
from enterprises.models import HAS_UNION, Enterprise, UnionCoverage
from unions.models import division_prefix

PREVIEW_ROWS = 200


def filtered_enterprises(user, query):
    """The list a user is looking at: their scope, narrowed by the filters of a query string (a QueryDict)."""
    filters = EnterpriseFilterForm(query or None, user=user)
    return filters, filters.apply(Enterprise.objects.visible_to(user))


def preview_context(batch):
    """What the preview page shows: the counts, every stored error, and the first rows of each kind."""
    new_rows, changed_rows = [], []
    if batch.fields:
        name_at = batch.fields.index("name")
        code_at = batch.fields.index("credit_code")
        for row_number, action, _pk, _version, values, diff in batch.rows:
            target = new_rows if action == "new" else changed_rows
            if len(target) < PREVIEW_ROWS:
                changes = [
                    (Enterprise._meta.get_field(field).verbose_name, old, new)
                    for field, (old, new) in (diff or {}).items()
                ]
                target.append({"row": row_number, "name": values[name_at], "code": values[code_at], "changes": changes})
    return {
        "batch": batch,
        "new_rows": new_rows,
        "changed_rows": changed_rows,
        "preview_limit": PREVIEW_ROWS,
        "errors_not_shown": batch.error_total - len(batch.errors),
    }


def enterprises_of_unit(user, unit):
    """The enterprises a unit answers for, as the user may see them: those it reports for, those covered by a union
    below it, and for the federation of a place, those located there."""
    covered_below = UnionCoverage.objects.open().filter(enterprise=OuterRef("pk"), union__path__startswith=unit.path)
    condition = Q(responsible_unit__path__startswith=unit.path) | Q(Exists(covered_below))
    if unit.is_place_federation and unit.division_id:
        condition |= Q(county__code__startswith=division_prefix(unit.division_id))
    return Enterprise.objects.visible_to(user).filter(condition)


# The two ways the registry's union status and the recorded coverage can disagree.
MISMATCHES = {
    # The registry says the enterprise has a union, but no grassroots union covers it.
    "uncovered": lambda open_coverage: Q(HAS_UNION) & ~Q(Exists(open_coverage)),
    # A grassroots union covers it, but the registry says it has none.
    "unrecorded": lambda open_coverage: ~Q(HAS_UNION) & Q(Exists(open_coverage)),
}


def coverage_mismatches(user, unit, which):
    open_coverage = UnionCoverage.objects.open().filter(enterprise=OuterRef("pk"))
    return enterprises_of_unit(user, unit).filter(MISMATCHES[which](open_coverage))
