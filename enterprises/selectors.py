"""Reads of the registry that are more than a QuerySet method."""

from enterprises.forms import EnterpriseFilterForm
from enterprises.models import Enterprise

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
