"""Comparing the checked rows with the registry: new, changed or unchanged, and stored as the preview."""

import datetime

from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from enterprises import groups
from enterprises.imports.columns import FOREIGN_KEYS, STORED_AS, chunks
from enterprises.models import Enterprise, ImportBatch


def existing(user, codes, fields):
    """Current values of the enterprises with these codes, and which of them the user may see."""
    lookups = ["id", "version", "credit_code", "headcount", "migrant_workers"]
    lookups += [STORED_AS.get(field, field) for field in fields]
    current, visible = {}, set()
    for chunk in chunks(list(codes)):
        for row in Enterprise.objects.filter(credit_code__in=chunk).values_list(*lookups):
            current[row[2]] = row
        visible.update(
            Enterprise.objects.visible_to(user).filter(credit_code__in=chunk).values_list("credit_code", flat=True)
        )
    return current, visible


def display(checker, field, value):
    """A stored value as the preview shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "county":
        county = checker.counties.get(value)
        return county.name if county else value
    if field == "responsible_unit":
        return checker.unit_names.get(value, str(value))
    choices = Enterprise._meta.get_field(field).choices if field not in FOREIGN_KEYS else None
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value)


def _both_empty(old, new):
    return old in (None, "") and new in (None, "")


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _with_unit_settled(checker, values, at, existing_row):
    """The row's values with its responsible unit, where the file left it empty.

    A new enterprise reports through its prefecture's federation. An existing one keeps its unit, unless the row
    moves it to a county of another prefecture: then that prefecture's federation (the preview shows the change).
    """
    unit_at, county_at = at["responsible_unit"], at["county"]
    if values[unit_at] is not None:
        return values
    prefecture = checker.prefecture_of[values[county_at]]
    if existing_row is None:
        unit = checker.default_units[prefecture]
    else:
        old_county, old_unit = existing_row[5 + county_at], existing_row[5 + unit_at]
        unit = old_unit if checker.prefecture_of.get(old_county) == prefecture else checker.default_units[prefecture]
    return (*values[:unit_at], unit, *values[unit_at + 1 :])


def _group_links(cleaned, code_at, group_at):
    """Each row's headquarters as the file gives it (None for none); nothing when the file has no such column."""
    if group_at is None:
        return {}
    return {values[code_at]: (values[group_at] or "").upper() or None for _n, values, _valid in cleaned}


def _codes_in_registry(codes):
    found = set()
    for chunk in chunks(list(codes)):
        found.update(Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", flat=True))
    return found


def classify(checker, file_name, fields, cleaned, row_count):
    """Compare every checked row with the registry and store the outcome as an ImportBatch.

    A row that already has errors is still compared, as far as its values could be read, so that what the
    registry says about it (another unit's enterprise, an unknown group) comes out in the same upload.
    """
    at = {field: index for index, field in enumerate(fields)}
    code_at, group_at, migrants_at = at.get("credit_code"), at.get("parent_group"), at.get("migrant_workers")
    codes_in_file = {values[code_at] for _n, values, _valid in cleaned}
    current, visible = existing(checker.user, codes_in_file, fields)
    links = _group_links(cleaned, code_at, group_at)
    in_registry = _codes_in_registry({group for group in links.values() if group} - codes_in_file)
    loops = groups.loops_in_links(links)
    stored, counts = [], {"new": 0, "changed": 0, "unchanged": 0}
    for row_number, values, valid in cleaned:
        code = values[code_at]
        group = links.get(code) or ""
        # The headquarters may be any enterprise of the registry (or of the file), in whichever prefecture.
        if group and group not in codes_in_file and group not in in_registry:
            checker.error(
                row_number,
                "",
                group,
                _("No enterprise in the registry has the credit code %(code)s.") % {"code": group},
            )
            valid = False
        elif code in loops and group != code:  # a row naming itself is refused with its own message
            checker.error(row_number, "", group, loops[code])
            valid = False
        existing_row = current.get(code)
        if existing_row is not None and code not in visible:
            checker.error(
                row_number, "", code, _("This enterprise belongs to another unit's area; it cannot be imported here.")
            )
            continue
        if existing_row is not None and migrants_at is None:
            # The file leaves the migrant workers as they are: they must still fit the new headcount.
            headcount, migrants = values[at["headcount"]], existing_row[4]
            if headcount is not None and migrants > headcount:
                checker.error(row_number, "", migrants, _("There cannot be more migrant workers than staff."))
                continue
        if not valid:
            continue
        values = _with_unit_settled(checker, values, at, existing_row)
        if existing_row is None:
            action, pk, version, diff = "new", None, None, None
        else:
            pk, version, old = existing_row[0], existing_row[1], existing_row[5:]
            diff = {
                field: [display(checker, field, old[index]), display(checker, field, values[index])]
                for index, field in enumerate(fields)
                if old[index] != values[index] and index != code_at and not _both_empty(old[index], values[index])
            }
            action = "changed" if diff else "unchanged"
        counts[action] += 1
        if action != "unchanged":
            stored.append([row_number, action, pk, version, [_json_value(value) for value in values], diff])
    refused = bool(checker.error_total)
    return ImportBatch.objects.create(
        created_by=checker.user,
        file_name=file_name[:200],
        status=ImportBatch.Status.REFUSED if refused else ImportBatch.Status.PREVIEWED,
        row_count=row_count,
        new_count=counts["new"],
        changed_count=counts["changed"],
        unchanged_count=counts["unchanged"],
        invalid_count=len(checker.invalid_rows),
        # Grouped by row: the registry's findings come after the file's own, but belong with their row.
        errors=sorted(checker.errors, key=lambda error: error[0]),
        error_total=checker.error_total,
        fields=fields if not refused else [],
        rows=stored if not refused else [],
    )
