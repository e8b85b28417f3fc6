"""Writes to the registry: each checks, runs in one transaction and records what changed."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.dates import long_date
from enterprises import groups, tallies
from enterprises.credit_code import division_of
from enterprises.models import Enterprise, EnterpriseChange, UnionCoverage, UnionStatus
from unions.models import Division, GrassrootsForm, UnionOrg, division_prefix

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
    "operator_post",
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


def _check_headquarters(enterprise, group):
    """A headquarters may be anywhere in the registry, but a chain of them never loops back."""
    refusal = groups.headquarters_loop(enterprise, group)
    if refusal:
        raise RegistryError(refusal)


def enterprise_create(*, user, data):
    """Create an enterprise from validated form data; returns it with any warnings about its code."""
    _require_data_entry(user)
    enterprise = Enterprise(**data)
    _check_headquarters(enterprise, data.get("parent_group"))
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
    if "parent_group" in data:
        _check_headquarters(before, data["parent_group"])
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


def _check_coverage_writer(user, union):
    if not union.is_grassroots:
        raise RegistryError(_("Only a grassroots union covers enterprises."))
    if not user.can_edit(union):
        raise RegistryError(_("You may not change the coverage of %(union)s.") % {"union": union.name})


def _close_open_coverage(enterprise, *, user, before):
    """End the enterprise's open coverage on the day before `before`; returns it, or None if there was none."""
    current = UnionCoverage.objects.select_for_update().filter(enterprise=enterprise, valid_to__isnull=True).first()
    if current is None:
        return None
    if before <= current.valid_from:
        raise RegistryError(
            _("%(name)s is covered by %(union)s since %(date)s: a new coverage must start after that day.")
            % {"name": enterprise.name, "union": current.union.name, "date": long_date(current.valid_from)}
        )
    current.valid_to = before - datetime.timedelta(days=1)
    current.ended_by, current.ended_at = user, timezone.now()
    current.save(update_fields=["valid_to", "ended_by", "ended_at"])
    return current


def coverage_start(*, user, enterprise, union, valid_from):
    """Record that `union` covers `enterprise` from `valid_from` on, ending the coverage it had until then."""
    _check_coverage_writer(user, union)
    if not Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists():
        raise RegistryError(_("You may not change the coverage of %(name)s.") % {"name": enterprise.name})
    if valid_from > timezone.localdate():
        raise RegistryError(_("A coverage cannot start in the future."))
    open_here = UnionCoverage.objects.open().filter(union=union)
    if open_here.filter(enterprise=enterprise).exists():
        raise RegistryError(_("%(name)s is already covered by this union.") % {"name": enterprise.name})
    if union.form == GrassrootsForm.ENTERPRISE and open_here.exists():
        raise RegistryError(
            _("An enterprise union covers one enterprise; several small enterprises share a joint grassroots union.")
        )
    try:
        with transaction.atomic():
            _close_open_coverage(enterprise, user=user, before=valid_from)
            coverage = UnionCoverage.objects.create(
                enterprise=enterprise, union=union, valid_from=valid_from, created_by=user
            )
            _settle_union_status(enterprise, union, valid_from, user)
            return coverage
    except IntegrityError as exc:
        # Someone else recorded a coverage of the same enterprise at the same moment.
        raise RegistryError(
            _("%(name)s was just changed by someone else: try again.") % {"name": enterprise.name}
        ) from exc


def union_status_given_by(union):
    """The registry's union status of an enterprise that `union` covers."""
    if union.form == GrassrootsForm.ENTERPRISE:
        return UnionStatus.OWN
    if union.form == GrassrootsForm.JOINT:
        return UnionStatus.JOINT
    return UnionStatus.AREA


def _settle_union_status(enterprise, union, valid_from, user):
    """A coverage gives the enterprise its union status (and a founding date when it had none), with the change
    in its history: the status follows the link instead of being typed by hand."""
    before = Enterprise.objects.select_related("county", "responsible_unit", "parent_group").get(pk=enterprise.pk)
    status = union_status_given_by(union)
    founded_on = before.union_founded_on or valid_from
    if (before.union_status, before.union_founded_on) == (status, founded_on):
        return
    Enterprise.objects.filter(pk=enterprise.pk).update(
        union_status=status, union_founded_on=founded_on, version=F("version") + 1, updated_at=timezone.now()
    )
    after = Enterprise.objects.select_related("county", "responsible_unit", "parent_group").get(pk=enterprise.pk)
    tallies.recount([after.county_id])
    fields = ("union_status", "union_founded_on")
    changed = {field: [display_value(before, field), display_value(after, field)] for field in fields}
    _record(
        after,
        EnterpriseChange.Action.UPDATED,
        user,
        {field: values for field, values in changed.items() if values[0] != values[1]},
        reason=_("Covered by %(union)s") % {"union": union.name},
    )
    enterprise.refresh_from_db()


def coverage_end(coverage, *, user, valid_to):
    """End an open coverage on `valid_to`, the last day covered."""
    _check_coverage_writer(user, coverage.union)
    if valid_to < coverage.valid_from:
        raise RegistryError(_("A coverage cannot end before it starts."))
    if valid_to > timezone.localdate():
        raise RegistryError(_("A coverage cannot end in the future."))
    ended = UnionCoverage.objects.filter(pk=coverage.pk, valid_to__isnull=True).update(
        valid_to=valid_to, ended_by=user, ended_at=timezone.now()
    )
    if not ended:
        raise RegistryError(_("This coverage has already ended."))
    coverage.refresh_from_db()
    return coverage
