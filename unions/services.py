"""Writes to the union tree and to staff accounts, each with its checks."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from unions.models import (
    PATH_SEPARATOR,
    UNIT_ROLES,
    GrassrootsForm,
    Role,
    StatisticalDivision,
    UnionOrg,
    User,
    division_prefix,
)


class UnionError(Exception):
    """A refused change, with a message fit to show the user."""


class StaleEdit(UnionError):
    pass


def _path_for(code, parent):
    prefix = parent.path if parent else PATH_SEPARATOR
    return f"{prefix}{code}{PATH_SEPARATOR}"


def union_org_upsert(*, code, name, kind, parent=None, division=None, short_name="", form=""):
    """Create the organisation or bring its reference fields up to date; contact details are left alone."""
    path = _path_for(code, parent)
    fields = {
        "name": name,
        "kind": kind,
        "division_id": division.pk if division else None,
        "short_name": short_name,
        "form": form,
    }
    org = UnionOrg.objects.filter(code=code).first()
    if org is None:
        depth = path.count(PATH_SEPARATOR) - 2
        return UnionOrg.objects.create(code=code, parent=parent, path=path, depth=depth, **fields), True
    if org.path != path:
        raise UnionError(_("Moving %(name)s to another parent is not supported here.") % {"name": org.name})
    changed = [field for field, value in fields.items() if getattr(org, field) != value]
    if changed:
        for field in changed:
            setattr(org, field, fields[field])
        org.version += 1
        org.save(update_fields=[*changed, "version", "updated_at"])
    return org, False


CONTACT_FIELDS = ("leader", "phone", "address", "founded_on")


def union_org_update_contact(org, *, user, version, **changes):
    """Save contact details, refusing an edit made on a copy someone else has since changed."""
    if not user.can_edit(org):
        raise UnionError(_("You may not change this organisation."))
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    with transaction.atomic():
        updated = UnionOrg.objects.filter(pk=org.pk, version=version).update(version=F("version") + 1, **changes)
        if not updated:
            raise StaleEdit(
                _("Someone else saved this organisation while you were editing. Reload the page to see their changes.")
            )
    org.refresh_from_db()
    return org


GRASSROOTS_FIELDS = ("name", "short_name", "form", "statistical_division", *CONTACT_FIELDS)


def grassroots_union_check(parent, fields):
    """The rules a grassroots union's place and village must keep, whoever writes it."""
    if not parent.may_hold_grassroots:
        raise UnionError(_("A grassroots union belongs under a township union or a county or prefecture federation."))
    place = fields.get("statistical_division")
    if fields.get("form") == GrassrootsForm.VILLAGE and place is None:
        raise UnionError(_("A village union needs the statistical code of its village."))
    if place is None:
        return
    if place.level != StatisticalDivision.Level.VILLAGE:
        raise UnionError(_("Give the 12-digit code of a village or community."))
    within = (
        place.township_id == parent.statistical_division_id
        if parent.kind == UnionOrg.Kind.TOWNSHIP_UNION
        else parent.division_id is not None and place.division_id.startswith(division_prefix(parent.division_id))
    )
    if not within:
        raise UnionError(_("%(place)s is not within the area of %(parent)s.") % {"place": place, "parent": parent})


def _next_grassroots_code(parent):
    """The parent's code and a three-digit serial: 540102002.001, 540102002.002, …"""
    prefix = f"{parent.code}."
    taken = UnionOrg.objects.filter(parent=parent, code__startswith=prefix).values_list("code", flat=True)
    serials = [int(code.removeprefix(prefix)) for code in taken if code.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:03d}"


def grassroots_union_create(*, user, parent, **fields):
    """Set up a grassroots union under a township union or a federation the user may change."""
    if not user.can_edit(parent):
        raise UnionError(_("You may not change this organisation."))
    unknown = set(fields) - set(GRASSROOTS_FIELDS)
    if unknown:
        raise ValueError(f"not grassroots union fields: {sorted(unknown)}")
    grassroots_union_check(parent, fields)
    with transaction.atomic():
        # Serialises the serial numbers of one parent's grassroots unions.
        parent = UnionOrg.objects.select_for_update().get(pk=parent.pk)
        code = _next_grassroots_code(parent)
        return UnionOrg.objects.create(
            code=code,
            kind=UnionOrg.Kind.GRASSROOTS_UNION,
            parent=parent,
            division_id=parent.division_id,
            path=_path_for(code, parent),
            depth=parent.depth + 1,
            **fields,
        )


def grassroots_union_update(org, *, user, version, **changes):
    """Save a grassroots union's details, refusing an edit made on a copy someone else has since changed."""
    if not org.is_grassroots:
        raise UnionError(_("Only grassroots unions are edited with this form."))
    if not user.can_edit(org):
        raise UnionError(_("You may not change this organisation."))
    unknown = set(changes) - set(GRASSROOTS_FIELDS)
    if unknown:
        raise ValueError(f"not grassroots union fields: {sorted(unknown)}")
    grassroots_union_check(org.parent, {"form": org.form, "statistical_division": org.statistical_division, **changes})
    with transaction.atomic():
        updated = UnionOrg.objects.filter(pk=org.pk, version=version).update(version=F("version") + 1, **changes)
        if not updated:
            raise StaleEdit(
                _("Someone else saved this organisation while you were editing. Reload the page to see their changes.")
            )
    org.refresh_from_db()
    return org


def grant_admin_flags(user):
    """Only system administrators get into Django admin, with every permission there."""
    user.is_staff = user.is_superuser = user.role == Role.ADMIN


def staff_account_create(*, username, organisation, role, password, full_name="", email=""):
    """Create a staff account, checking the password against the portal's rules."""
    if role in UNIT_ROLES and organisation is None:
        raise UnionError(_("Unit staff and viewers must belong to an organisation."))
    user = User(username=username, organisation=organisation, role=role, first_name=full_name, email=email)
    grant_admin_flags(user)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
