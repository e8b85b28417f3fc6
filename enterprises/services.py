"""Writes to the registry: each checks, runs in one transaction and records what changed."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from enterprises import tallies
from enterprises.credit_code import division_of
from enterprises.models import Enterprise, EnterpriseChange
from unions.models import Division, UnionOrg, division_prefix

# Every field a person enters, in the order forms, imports and exports show them.
ENTERED_FIELDS = [
    "credit_code",
    "name",
    "address",
    "county",
    "responsible_unit",
    "industry",
    "key_sector",
    "development_zone",
    "is_non_public",
    "headcount",
    "migrant_workers",
    "registered_on",
    "operating",
    "profitable",
    "party_org",
    "union_status",
    "union_founded_on",
    "operates_across_prefectures",
    "long_without_union",
    "beyond_local_reach",
    "parent_group",
    "operator_political_post",
    "well_known",
    "internet_industry",
    "notes",
]


class RegistryError(Exception):
    """A refused change, with a message fit to show the user."""


class StaleEnterpriseEdit(RegistryError):
    pass


def default_responsible_unit(county):
    """The federation of the county's prefecture."""
    return UnionOrg.objects.get(division_id=county.parent_id, kind=UnionOrg.Kind.PREFECTURE_FEDERATION)


def display_value(enterprise, field):
    """A field's value as the user sees it, for the change history."""
    value = getattr(enterprise, field)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices_display = getattr(enterprise, f"get_{field}_display", None)
    if choices_display:
        return str(choices_display())
    if hasattr(value, "isoformat"):
        return long_date(value)
    return str(value)


def credit_code_warnings(credit_code, county):
    """Warn, without refusing, when the registering authority is outside the enterprise's prefecture."""
    registered_in = division_of(credit_code)
    prefecture = county.parent
    if registered_in.startswith(division_prefix(prefecture.code)):
        return []
    authority = Division.objects.filter(code=registered_in).first()
    where = authority.name if authority else registered_in
    return [
        _(
            "Characters 3–8 of %(code)s say it was registered in %(where)s, not in %(prefecture)s: "
            "check the code and the county."
        )
        % {"code": credit_code, "where": where, "prefecture": prefecture.name}
    ]


def _require_data_entry(user):
    if not user.enters_data:
        raise RegistryError(_("Your role may not change the enterprise registry."))


def _record(enterprise, action, user, fields, reason=""):
    return EnterpriseChange.objects.create(
        enterprise=enterprise if action != EnterpriseChange.Action.DELETED else None,
        credit_code=enterprise.credit_code,
        name=enterprise.name,
        action=action,
        changed_by=user,
        fields=fields,
        reason=reason,
    )


def enterprise_create(*, user, data):
    """Create an enterprise from validated form data; returns it with any warnings about its code."""
    _require_data_entry(user)
    enterprise = Enterprise(**data)
    if enterprise.responsible_unit_id is None:
        enterprise.responsible_unit = default_responsible_unit(enterprise.county)
    with transaction.atomic():
        enterprise.save()
        tallies.recount([enterprise.county_id])
        new_values = {field: ["", display_value(enterprise, field)] for field in ENTERED_FIELDS}
        _record(enterprise, EnterpriseChange.Action.CREATED, user, {k: v for k, v in new_values.items() if v[1]})
    return enterprise, credit_code_warnings(enterprise.credit_code, enterprise.county)


def enterprise_update(enterprise, *, user, version, data):
    """Save an edit made on the copy at `version`; someone else's save in between refuses it."""
    _require_data_entry(user)
    before = Enterprise.objects.select_related("county", "responsible_unit", "parent_group").get(pk=enterprise.pk)
    unit_warnings = _settle_responsible_unit(before, data)
    with transaction.atomic():
        updated = Enterprise.objects.filter(pk=enterprise.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now(), **data
        )
        if not updated:
            raise StaleEnterpriseEdit(
                _(
                    "Someone else saved this enterprise while you were editing. "
                    "What is saved now is shown beside your form."
                )
            )
        after = Enterprise.objects.select_related("county", "responsible_unit", "parent_group").get(pk=enterprise.pk)
        tallies.recount([before.county_id, after.county_id])
        changed = {
            field: [display_value(before, field), display_value(after, field)]
            for field in data
            if display_value(before, field) != display_value(after, field)
        }
        if changed:
            _record(after, EnterpriseChange.Action.UPDATED, user, changed)
    return after, unit_warnings + credit_code_warnings(after.credit_code, after.county)


def _settle_responsible_unit(before, data):
    """An edit changes the responsible unit only when a new one was chosen; returns warnings about it.

    Left empty, the unit stays as it is, unless the enterprise moves to a county of another prefecture: then it
    goes to that prefecture's federation, and the warning says so. A prefecture's federation kept for an
    enterprise that moved out of its prefecture is kept, with a warning.
    """
    county = data.get("county", before.county)
    moved_prefecture = county.parent_id != before.county.parent_id
    if data.get("responsible_unit") is None:
        if not moved_prefecture:
            data.pop("responsible_unit", None)
            return []
        data["responsible_unit"] = default_responsible_unit(county)
        return [
            _(
                "%(name)s moved to %(prefecture)s, so its responsible unit is now %(unit)s instead of %(old)s. "
                "Choose another responsible unit if that is wrong."
            )
            % {
                "name": data.get("name", before.name),
                "prefecture": county.parent.name,
                "unit": data["responsible_unit"].name,
                "old": before.responsible_unit.name,
            }
        ]
    unit = data["responsible_unit"]
    if moved_prefecture and unit.kind == UnionOrg.Kind.PREFECTURE_FEDERATION and unit.division_id != county.parent_id:
        return [
            _("%(name)s is now in %(prefecture)s but still reports through %(unit)s. Check its responsible unit.")
            % {"name": data.get("name", before.name), "prefecture": county.parent.name, "unit": unit.name}
        ]
    return []


def enterprise_delete(enterprise, *, user, reason=""):
    """Only the organisation department or an administrator removes an enterprise; the history keeps a copy."""
    if not user.oversees:
        raise RegistryError(_("Only the organisation department or an administrator may delete an enterprise."))
    with transaction.atomic():
        snapshot = {field: [display_value(enterprise, field), ""] for field in ENTERED_FIELDS}
        _record(enterprise, EnterpriseChange.Action.DELETED, user, {k: v for k, v in snapshot.items() if v[0]}, reason)
        enterprise.delete()
        tallies.recount([enterprise.county_id])
