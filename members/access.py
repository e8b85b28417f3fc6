"""The scoped door to the member rolls: every view finds people and memberships here.

A person or membership outside the user's area is a 404; one the user can see but may not change is a 403.
Lists read masked numbers only: the encrypted columns are not even loaded.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.models import JoinApplication, MemberImportBatch, Membership, Person, TransferCertificate
from members.services import MEMBER_HOLDING_KINDS
from unions.models import UnionOrg, scoped


def get_person_for_user(user, pk, *, secrets=False):
    people = Person.objects.visible_to(user)
    return get_object_or_404(people if secrets else people.without_secrets(), pk=pk)


def get_membership_for_user(user, pk, *, write=False):
    queryset = Membership.objects.visible_to(user).select_related("person", "union", "employer")
    membership = get_object_or_404(queryset.defer("person__id_number", "person__phone"), pk=pk)
    if write and not user.can_edit(membership.union):
        raise PermissionDenied
    return membership


def member_unions_for(user):
    """The township, street and grassroots unions whose members the user may see."""
    return UnionOrg.objects.visible_to(user).filter(kind__in=MEMBER_HOLDING_KINDS).order_by("path")


def editable_member_unions(user):
    """The member-holding unions whose rolls the user may change: data-entry staff see only their own subtree,
    which they may change throughout, and administrators everything (`User.can_edit`)."""
    return member_unions_for(user) if user.enters_data else UnionOrg.objects.none()


def get_member_import_for_user(user, pk):
    """An upload is seen only by the person who uploaded it; its encrypted rows are not read to show it."""
    return get_object_or_404(MemberImportBatch.objects.defer("rows").select_related("union"), pk=pk, created_by=user)


def get_member_union_for_user(user, code, *, write=False):
    union = get_object_or_404(member_unions_for(user).select_related("parent"), code=code)
    if write and not user.can_edit(union):
        raise PermissionDenied
    return union


def get_application_for_user(user, pk, *, write=False, secrets=False):
    """An online application, seen by the staff of the union taking it and of the units above."""
    applications = JoinApplication.objects.visible_to(user).select_related("union__parent", "employer")
    application = get_object_or_404(applications if secrets else applications.without_secrets(), pk=pk)
    if write and not user.can_edit(application.union):
        raise PermissionDenied
    return application


def certificates_visible_to(user):
    """Transfer certificates seen by the staff of the issuing union's area, of the addressed union's and of the
    receiving union's (and by those who see everything)."""
    return scoped(TransferCertificate.objects.all(), user, "from_union__path", also=_addressed_or_received)


def _addressed_or_received(user):
    return Q(to_union__path__startswith=user.scope_path) | Q(received_union__path__startswith=user.scope_path)


def get_certificate_for_user(user, pk, *, issuer=False):
    """A certificate the user may see (else 404); with `issuer`, one whose issuing union they may change (else 403)."""
    certificate = get_object_or_404(
        certificates_visible_to(user)
        .select_related("person", "membership", "from_union__parent", "to_union__parent", "received_union", "issued_by")
        .defer("person__id_number", "person__phone"),
        pk=pk,
    )
    if issuer and not user.can_edit(certificate.from_union):
        raise PermissionDenied
    return certificate
