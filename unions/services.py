"""Writes to the union tree and to staff accounts, each with its checks."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unions.evidence import EvidenceRefused, check_evidence_file
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
from unions.standards import EightHave, EightHavesChange, EightHavesItem


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


# -- the 八有 checklist of township unions ---------------------------------------------------------------


def may_assess_eight_haves(user, union):
    """Staff of the township union's county federation or above (and administrators); not the union itself."""
    return union.kind == UnionOrg.Kind.TOWNSHIP_UNION and union.parent is not None and user.can_edit(union.parent)


def _check_assessment(union, *, user, item, met, note, assessed_on, has_file):
    if union.kind != UnionOrg.Kind.TOWNSHIP_UNION:
        raise UnionError(_("The eight-haves checklist is kept for township and street unions only."))
    if not may_assess_eight_haves(user, union):
        raise UnionError(_("Only staff of the county federation or a federation above it may assess this union."))
    if item not in EightHave.values:
        raise UnionError(_("There is no such item in the eight-haves checklist."))
    if assessed_on is None or assessed_on > timezone.localdate():
        raise UnionError(_("The date of the assessment cannot be in the future."))
    if met and not (note.strip() or has_file):
        raise UnionError(_("An item marked as met needs evidence: a note, a file, or both."))


def _checked_file(attachment):
    try:
        return check_evidence_file(attachment)
    except EvidenceRefused as exc:
        raise UnionError(str(exc)) from exc


def eight_haves_assess(union, *, user, item, met, note, assessed_on, attachment=None, version):
    """Record the assessment of one 八有 item of a township union, with a history row in the same transaction.

    `version` is the item's version the form was filled in on (0 before its first assessment); a form filled
    in on an older copy is refused. A new file replaces the item's earlier one.
    """
    note = note or ""
    if not may_assess_eight_haves(user, union):
        raise UnionError(_("Only staff of the county federation or a federation above it may assess this union."))
    file_info = _checked_file(attachment) if attachment is not None else None
    with transaction.atomic():
        # Serialises the assessments of one union, so that two first assessments of an item cannot both pass.
        union = UnionOrg.objects.select_for_update(of=("self",)).select_related("parent").get(pk=union.pk)
        current = EightHavesItem.objects.select_related("assessed_by").filter(union=union, item=item).first()
        has_file = file_info is not None or bool(current and current.attachment)
        _check_assessment(union, user=user, item=item, met=met, note=note, assessed_on=assessed_on, has_file=has_file)
        if (current.version if current else 0) != version:
            raise StaleEdit(
                _("Someone else assessed this item while you were editing. Reload the page to see their assessment.")
            )
        before = current.snapshot() if current else None
        entry = current or EightHavesItem(union=union, item=item, version=0)
        old_file = entry.attachment.name if current and file_info else ""
        entry.met, entry.note, entry.assessed_by, entry.assessed_on = met, note, user, assessed_on
        entry.version += 1
        if file_info:
            entry.attachment_name, entry.attachment_type = file_info
            entry.attachment_size = attachment.size
            entry.attachment.save(entry.attachment_name, attachment, save=False)
        try:
            entry.save()
            EightHavesChange.objects.create(
                union=union, item=item, before=before, after=entry.snapshot(), changed_by=user
            )
        except Exception:
            # The row was not saved, so nothing else would ever remove the stored file.
            if file_info:
                entry.attachment.storage.delete(entry.attachment.name)
            raise
        if old_file:
            storage = entry.attachment.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return entry
