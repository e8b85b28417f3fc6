"""How the file's columns map onto the registry's fields."""

from enterprises.models import Enterprise
from enterprises.resources import COLUMNS

WIDGETS = {name: widget for name, widget, _example in COLUMNS}
FOREIGN_KEYS = {"county": "county_id", "responsible_unit": "responsible_unit_id", "parent_group": "parent_group_id"}
# How the registry's current value of each field is read for comparison.
STORED_AS = {**FOREIGN_KEYS, "parent_group": "parent_group__credit_code"}
DATE_FIELDS = {"registered_on", "union_founded_on"}
# Model validation for the plain fields; foreign keys are resolved from in-memory tables instead,
# and the credit code has its own check.
MODEL_RULES = {
    name: (field, {code for code, _label in field.flatchoices} if field.choices else None, tuple(field.validators))
    for name, field in ((name, Enterprise._meta.get_field(name)) for name in WIDGETS)
    if name not in FOREIGN_KEYS and name != "credit_code"
}
QUERY_CHUNK = 900  # under SQLite's limit on query parameters


def chunks(values):
    """`values` (a list) in pieces of QUERY_CHUNK, for queries with one parameter per value."""
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]
