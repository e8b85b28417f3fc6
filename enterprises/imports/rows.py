"""Checking the header and each row of an upload, as the forms and the model would."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from campaign_portal.dates import long_date
from enterprises.credit_code import validate_credit_code
from enterprises.forms import counties_for, reporting_units_for
from enterprises.imports.columns import DATE_FIELDS, MODEL_RULES, WIDGETS
from enterprises.imports.files import MAX_COLUMNS, ImportRefused, is_blank
from enterprises.models import Enterprise, UnionStatus
from enterprises.resources import REQUIRED_COLUMNS, CellError, header_aliases
from unions.models import Division, UnionOrg

MAX_STORED_ERRORS = 2000


def _shown(value):
    """A cell's value as the error list shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return long_date(value)
    return str(value)[:60]


@dataclasses.dataclass
class CheckedRow:
    number: int
    values: dict
    titles: dict  # field → the column's header in the file
    failed: set  # fields already found wrong: one error each is enough


class RowChecker:
    """Checks the rows of one uploaded workbook for one user, and collects every error found."""

    def __init__(self, user):
        self.user = user
        self.aliases = header_aliases()
        self.counties = self._county_table()
        self.units = self._unit_table()
        self.default_units = {
            org.division_id: org.pk
            for org in UnionOrg.objects.filter(kind=UnionOrg.Kind.PREFECTURE_FEDERATION).only("pk", "division_id")
        }
        # Every county's prefecture, also of counties outside the user's area where the registry has theirs.
        self.prefecture_of = dict(Division.objects.filter(level=Division.Level.COUNTY).values_list("code", "parent_id"))
        self.unit_names = dict(UnionOrg.objects.values_list("pk", "name"))
        self.titles = {}
        self.errors = []
        self.error_total = 0
        self.invalid_rows = set()

    def _county_table(self):
        table = {}
        for county in counties_for(self.user):
            table[county.code] = county
            table[county.name] = county
            table[f"{county.parent.name}{county.name}"] = county
        return table

    def _unit_table(self):
        table = {}
        for unit in reporting_units_for(self.user):
            for key in (unit.code, unit.name, unit.short_name):
                if key:
                    table[key] = unit.pk
        return table

    def error(self, row_number, column, value, message):
        self.error_total += 1
        self.invalid_rows.add(row_number)
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append([row_number, column, _shown(value), str(message)])

    def read_header(self, rows):
        for row_number, row in rows:
            if is_blank(row):
                continue
            if len(row) > MAX_COLUMNS:
                raise ImportRefused(_("The first sheet has more than 100 columns; is it the registry template?"))
            mapping = []
            for index, title in enumerate(row):
                title = "" if title is None else str(title).strip()
                if not title:
                    continue
                field = self.aliases.get(title)
                if field is None:
                    self.error(
                        row_number, get_column_letter(index + 1), title, _("This column is not in the template.")
                    )
                elif field in {name for name, _i, _t in mapping}:
                    self.error(row_number, get_column_letter(index + 1), title, _("This column appears twice."))
                else:
                    mapping.append((field, index, title))
            missing = REQUIRED_COLUMNS - {name for name, _i, _t in mapping}
            for field in sorted(missing):
                label = str(Enterprise._meta.get_field(field).verbose_name)
                self.error(row_number, "", label, _("This column is missing; it must be in the file."))
            self.titles = {field: title for field, _i, title in mapping}
            # Without the required columns no row can be checked; the errors above say what to add.
            return row_number, [] if missing else mapping
        raise ImportRefused(_("The first sheet is empty."))

    def clean_row(self, row_number, row, mapping):
        """Every check a row can be given with what could be read of it, so one upload shows every error.

        Returns the row's values (a field whose cell could not be read is left out) and the fields found wrong.
        """
        checked = CheckedRow(row_number, {}, self.titles, set())
        for field, index, _title in mapping:
            raw = row[index] if index < len(row) else None
            try:
                checked.values[field] = WIDGETS[field].clean(raw)
            except CellError as exc:
                self.fail(checked, field, raw, exc)
        self._check_required(checked)
        self._check_credit_code(checked)
        self._check_place(checked)
        self._check_between_fields(checked)
        self._check_with_model(checked)
        return checked.values, checked.failed

    def fail(self, checked, field, value, message):
        checked.failed.add(field)
        self.error(checked.number, checked.titles.get(field, field), value, message)

    def _check_required(self, checked):
        for field in sorted(REQUIRED_COLUMNS - checked.failed):
            if checked.values.get(field) in (None, ""):
                self.fail(checked, field, "", _("This column must be filled in."))

    def _check_credit_code(self, checked):
        if "credit_code" in checked.failed:
            return
        try:
            checked.values["credit_code"] = validate_credit_code(checked.values["credit_code"])
        except ValidationError as exc:
            self.fail(checked, "credit_code", checked.values["credit_code"], exc.messages[0])

    def _check_place(self, checked):
        """The county, within the user's area, and the responsible unit, one the user may file for."""
        values = checked.values
        county = None
        if "county" not in checked.failed:
            county = self.counties.get(values["county"])
            if county is None:
                self.fail(checked, "county", values["county"], _("No such county in your area. Use its code or name."))
            else:
                values["county"] = county.code
        # Left empty (or without its column), the unit is settled by the comparison with the registry: a new
        # enterprise reports through its prefecture's federation, an existing one keeps its unit.
        given = values.get("responsible_unit") or ""
        if given and given not in self.units:
            self.fail(
                checked,
                "responsible_unit",
                given,
                _("This reporting unit is not one you may file for. Leave it empty for the prefecture's federation."),
            )
        else:
            values["responsible_unit"] = self.units.get(given)

    def _check_between_fields(self, checked):
        values = checked.values
        headcount, migrants = values.get("headcount"), values.get("migrant_workers")
        if headcount is not None and migrants is not None and migrants > headcount:
            self.fail(checked, "migrant_workers", migrants, _("There cannot be more migrant workers than staff."))
        if values.get("union_status") == UnionStatus.NONE and values.get("union_founded_on"):
            self.fail(
                checked,
                "union_founded_on",
                values["union_founded_on"],
                _("An enterprise without a union has no union founding date."),
            )
        today = timezone.localdate()
        for field in sorted(DATE_FIELDS & values.keys()):
            if values[field] and values[field] > today:
                self.fail(checked, field, values[field], _("This date cannot be in the future."))
        if (
            values.get("operator_post")
            and "operator_political_post" in values
            and not values["operator_political_post"]
        ):
            self.fail(
                checked,
                "operator_post",
                values["operator_post"],
                _("Tick that the operator holds a political post, or leave the post empty."),
            )
        if values.get("parent_group") and values["parent_group"].upper() == values.get("credit_code"):
            self.fail(
                checked,
                "parent_group",
                values["parent_group"],
                _("An enterprise cannot be its own group headquarters."),
            )

    def _check_with_model(self, checked):
        """The model fields' own rules (blank, choices, lengths, ranges), as Model.clean_fields applies them.

        The widgets have already converted each cell to the field's type, so only the rules are run:
        SQLite would otherwise accept what PostgreSQL refuses (too long a name, too large a number).
        """
        for field, (model_field, choices, validators) in MODEL_RULES.items():
            if field not in checked.values or field in checked.failed:
                continue
            value = checked.values[field]
            try:
                if value in model_field.empty_values:
                    if not model_field.blank:
                        raise ValidationError(model_field.error_messages["blank"])
                    continue
                if choices is not None and value not in choices:
                    raise ValidationError(model_field.error_messages["invalid_choice"], params={"value": value})
                for validator in validators:
                    validator(value)
            except ValidationError as exc:
                self.fail(checked, field, value, exc.messages[0])
