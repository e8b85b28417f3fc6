"""Reads of the registry that are more than a QuerySet method."""

from django.db.models import Exists, OuterRef, Q, Sum

from enterprises.forms import EnterpriseFilterForm
from enterprises.models import HAS_UNION, Enterprise, FigureTally, UnionCoverage
from unions.models import UnionOrg, division_prefix

PREVIEW_ROWS = 200
# The list counts its rows up to this many; past it, it says "more than" and pages through this many.
LIST_COUNT_CAP = 2_000
# Filters the figure tallies can answer (they count the registry by county, responsible unit, headcount band and
# the two statuses): with nothing else chosen, the list's count is read from them, exactly, at any size.
TALLY_FILTERS = frozenset({"band", "small", "prefecture", "county", "party_org", "union_status", "unit"})


def filtered_enterprises(user, query):
    """The list a user is looking at: their scope, narrowed by the filters of a query string (a QueryDict)."""
    filters = EnterpriseFilterForm(query or None, user=user)
    return filters, filters.apply(Enterprise.objects.visible_to(user))


def list_count(user, filters, enterprises):
    """How many enterprises a filtered list holds, as (count, capped), at a cost that does not grow with the
    registry: from the figure tallies when they can answer the filters, else counted up to LIST_COUNT_CAP (capped
    is then True when there are more, and count is the cap)."""
    chosen = {name for name, value in filters.cleaned_data.items() if value} if filters.is_valid() else set()
    chosen.discard("sort")
    if chosen <= TALLY_FILTERS:
        return _tallied_count(user, filters.cleaned_data if chosen else {}), False
    found = enterprises.order_by().values("pk")[: LIST_COUNT_CAP + 1].count()
    return min(found, LIST_COUNT_CAP), found > LIST_COUNT_CAP


def _tallied_count(user, data):
    tallies = FigureTally.objects.visible_to(user)
    if data.get("band"):
        tallies = tallies.in_scope(data["band"])
    if data.get("small"):
        tallies = tallies.filter(band=0)  # fewer than 25 staff: below every band
    if data.get("prefecture"):
        tallies = tallies.filter(county__parent=data["prefecture"])
    if data.get("county"):
        tallies = tallies.filter(county=data["county"])
    for field in ("party_org", "union_status"):
        if data.get(field):
            tallies = tallies.filter(**{field: data[field]})
    if data.get("unit"):
        # The same look-up as the filter's (EnterpriseFilterForm.apply): a unit out of sight counts nothing.
        unit = UnionOrg.objects.visible_to(user).filter(code=data["unit"]).first()
        if unit is None:
            return 0
        tallies = tallies.filter(responsible_unit__path__startswith=unit.path)
    return tallies.aggregate(total=Sum("count"))["total"] or 0


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


def mismatch_counts(user, unit):
    """{kind of MISMATCHES: how many of the unit's enterprises}, one count each (each an anti-join or a semi-join;
    in one query they would check the coverage row by row)."""
    return {key: coverage_mismatches(user, unit, key).count() for key in MISMATCHES}


def coverage_mismatches(user, unit, which):
    open_coverage = UnionCoverage.objects.open().filter(enterprise=OuterRef("pk"))
    return enterprises_of_unit(user, unit).filter(MISMATCHES[which](open_coverage))
