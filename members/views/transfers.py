"""Transfer certificates: issued from a member's page, received by number and code, cancelled, listed per area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members import transfer_document
from members.access import (
    editable_member_unions,
    get_certificate_for_user,
    get_membership_for_user,
)
from members.forms import (
    CertificateCancelForm,
    CertificateFilterForm,
    CertificateIssueForm,
    CertificateReceiveForm,
)
from members.models import ApplicationStatus, JoinApplication, Membership, Person, TransferCertificate
from members.services import MEMBER_HOLDING_KINDS, transfers
from unions.models import UnionOrg

PER_PAGE = 50


def _listed(certificates):
    return certificates.select_related("person", "from_union", "to_union", "received_union").defer(
        "person__id_number", "person__phone"
    )


def _page(request, certificates):
    filters = CertificateFilterForm(request.GET or None)
    page = Paginator(_listed(filters.apply(certificates)), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filters": filters, "page": page, "querystring": query.urlencode()}


def transfer_applications(user):
    """Applications asking for a transfer whose applicant is a current member in the user's area, each with the
    pk of that membership; those with a certificate waiting are left out."""
    memberships = Membership.objects.visible_to(user).current().filter(person__id_index=OuterRef("id_index"))
    waiting = TransferCertificate.objects.waiting().values("application_id")
    return (
        JoinApplication.objects.without_secrets()
        .filter(status=ApplicationStatus.TRANSFER)
        .exclude(pk__in=waiting.exclude(application_id=None))
        .annotate(membership_pk=Subquery(memberships.values("pk")[:1]))
        .filter(membership_pk__isnull=False)
        .select_related("union")
        .order_by("created_at", "pk")
    )


@login_required
def transfers_out(request):
    context = _page(request, TransferCertificate.objects.outgoing_for(request.user))
    applications = list(transfer_applications(request.user)[:PER_PAGE])
    editable = {
        m.pk
        for m in Membership.objects.filter(pk__in=[a.membership_pk for a in applications]).select_related("union")
        if request.user.can_edit(m.union)
    }
    for application in applications:
        application.may_issue = application.membership_pk in editable
    context.update(direction="out", applications=applications, can_receive=request.user.enters_data)
    return render(request, "members/transfers/list.html", context)


@login_required
def transfers_in(request):
    context = _page(request, TransferCertificate.objects.incoming_for(request.user))
    context.update(direction="in", can_receive=request.user.enters_data)
    return render(request, "members/transfers/list.html", context)


def _application_for(request, membership):
    pk = request.GET.get("application") or request.POST.get("application")
    if not pk:
        return None
    if not str(pk).isdigit() or len(str(pk)) > 18:
        raise Http404
    applications = JoinApplication.objects.without_secrets().filter(
        status=ApplicationStatus.TRANSFER, id_index=membership.person.id_index
    )
    return get_object_or_404(applications.select_related("union"), pk=int(pk))


@login_required
def transfer_issue(request, pk):
    membership = get_membership_for_user(request.user, pk, write=True)
    if not membership.is_current:
        raise PermissionDenied
    application = _application_for(request, membership)
    unions = UnionOrg.objects.filter(kind__in=MEMBER_HOLDING_KINDS).exclude(pk=membership.union_id)
    initial = {"to_union": application.union_id} if application else {}
    form = CertificateIssueForm(request.POST or None, unions=unions, initial=initial)
    if application is not None:
        form.fields["to_union"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            certificate = transfers.certificate_issue(
                request.user,
                membership,
                to_union=form.cleaned_data["to_union"],
                reason=form.cleaned_data["reason"],
                application=application,
            )
        except transfers.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Transfer certificate %(number)s was issued. Print it and give it to the member.")
                % {"number": certificate.number},
            )
            return redirect("members:transfer_detail", certificate.pk)
    context = {"form": form, "membership": membership, "person": membership.person, "application": application}
    return render(request, "members/transfers/issue.html", context)


@never_cache
@login_required
def transfer_detail(request, pk):
    certificate = get_certificate_for_user(request.user, pk)
    is_issuer = request.user.can_edit(certificate.from_union)
    context = {
        "certificate": certificate,
        "steps": certificate.transitions.select_related("by"),
        "is_issuer": is_issuer,
        "person_visible": Person.objects.visible_to(request.user).filter(pk=certificate.person_id).exists(),
        "can_cancel": is_issuer and certificate.is_waiting,
    }
    return render(request, "members/transfers/detail.html", context)


@never_cache
@login_required
def transfer_document_download(request, pk):
    certificate = get_certificate_for_user(request.user, pk, issuer=True)
    response = HttpResponse(
        transfer_document.document_bytes(certificate),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{transfer_document.filename(certificate)}"'
    return response


@never_cache
@login_required
def transfer_receive(request):
    if not request.user.enters_data:
        raise PermissionDenied
    unions = editable_member_unions(request.user)
    initial = {"number": request.GET.get("number", "")[:20]}
    form = CertificateReceiveForm(request.POST or None, user=request.user, unions=unions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = transfers.certificate_receive(
                request.user,
                number=data["number"],
                code=data["code"],
                union=data["union"],
                employer=data["employer_code"],
            )
        except transfers.MemberError as error:
            form.add_error(None, str(error))
        else:
            certificate = TransferCertificate.objects.get(new_membership=membership)
            messages.success(
                request,
                _("%(name)s is now a member of %(union)s, by certificate %(number)s.")
                % {"name": membership.person.name, "union": membership.union.name, "number": certificate.number},
            )
            return redirect("members:transfer_detail", certificate.pk)
    return render(request, "members/transfers/receive.html", {"form": form, "has_unions": unions.exists()})


@login_required
def transfer_cancel(request, pk):
    certificate = get_certificate_for_user(request.user, pk, issuer=True)
    if not certificate.is_waiting:
        messages.error(request, _("Only a certificate waiting to be received can be cancelled."))
        return redirect("members:transfer_detail", certificate.pk)
    form = CertificateCancelForm(request.POST or None, initial={"version": certificate.version})
    if request.method == "POST" and form.is_valid():
        try:
            transfers.certificate_cancel(
                request.user, certificate, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except transfers.StaleCertificate as error:
            messages.error(request, str(error))
            return redirect("members:transfer_detail", certificate.pk)
        except transfers.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Certificate %(number)s was cancelled.") % {"number": certificate.number})
            return redirect("members:transfer_detail", certificate.pk)
    return render(request, "members/transfers/cancel.html", {"form": form, "certificate": certificate})


__all__ = [
    "transfer_cancel",
    "transfer_detail",
    "transfer_document_download",
    "transfer_issue",
    "transfer_receive",
    "transfers_in",
    "transfers_out",
]
