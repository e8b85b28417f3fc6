from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enterprises.access import get_enterprise_for_user
from enterprises.models import Enterprise, UnionCoverage
from members import services, tallies
from members.access import (
    certificates_visible_to,
    editable_member_unions,
    get_member_union_for_user,
    get_membership_for_user,
    get_person_for_user,
)
from members.forms import (
    KEPT_REASONS,
    EnrolForm,
    IdSearchForm,
    MemberFilterForm,
    MembershipForm,
    PersonForm,
    RevealForm,
    StatusForm,
)
from members.models import Membership, Person
from unions.models import Role

PER_PAGE = 50
HISTORY_ROWS = 100
COVERED_SHOWN = 20


def listed(memberships):
    """What a list row shows, without loading (or decrypting) the encrypted columns."""
    return memberships.select_related("person", "union__parent", "employer").defer("person__id_number", "person__phone")


def page_of(request, memberships, count=None):
    paginator = Paginator(listed(memberships), PER_PAGE)
    if count is not None:
        paginator.count = count  # instead of the cached COUNT(*) Paginator would run
    return paginator.get_page(request.GET.get("page"))


@login_required
def member_list(request):
    filters = MemberFilterForm(request.GET or None, user=request.user)
    memberships = filters.apply(Membership.objects.visible_to(request.user))
    query = request.GET.copy()
    query.pop("page", None)
    scope = request.user.organisation if not request.user.sees_everything else None
    figures = tallies.figures_of(scope) if scope else tallies.figures_of_region()
    # The area's current members are counted ahead in the tallies: no count of a million rows for the first page.
    known_count = None if filters.narrows() else figures["members"]
    context = {
        "figures": figures,
        "filters": filters,
        "search": IdSearchForm(),
        "page": page_of(request, memberships, count=known_count),
        "querystring": query.urlencode(),
        "can_enrol": request.user.enters_data,
        "can_export_full": request.user.role == Role.STAFF,
    }
    return render(request, "members/list.html", context)


@never_cache
@login_required
@require_POST
def member_search(request):
    """Exact search by full ID number, through the blind index; answered here, never redirected with the number."""
    search = IdSearchForm(request.POST)
    found = Membership.objects.none()
    if search.is_valid():
        people = Person.objects.with_id_number(search.cleaned_data["id_number"]).visible_to(request.user)
        found = Membership.objects.visible_to(request.user).filter(person__in=people)
    context = {
        "filters": MemberFilterForm(user=request.user),
        "search": search,
        "searched": True,
        "page": Paginator(listed(found), PER_PAGE).get_page(1),
        "querystring": "",
        "can_enrol": request.user.enters_data,
    }
    return render(request, "members/list.html", context)


@login_required
def member_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    memberships = list(
        Membership.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("union__parent", "employer")
        .prefetch_related("changes__by")
    )
    current = next((m for m in memberships if m.is_current), None)
    current_pk = current.pk if current else None
    certificates = list(
        certificates_visible_to(request.user)
        .filter(person=person)
        .select_related("from_union", "to_union", "received_union")
    )
    context = {
        "person": person,
        "memberships": memberships,
        "current": current,
        "person_changes": person.changes.select_related("by")[:HISTORY_ROWS],
        "can_edit": bool(current) and request.user.can_edit(current.union),
        "can_reveal": services.may_reveal(request.user, current or (memberships[0] if memberships else None)),
        "reveal_form": RevealForm(),
        "certificates": certificates,
        "waiting_certificate": next((c for c in certificates if c.is_waiting and c.membership_id == current_pk), None),
    }
    return render(request, "members/detail.html", context)


@never_cache
@login_required
def member_reveal(request, pk):
    """The full numbers, for a logged reason: in the response body of a POST only, never in a URL or a cache."""
    person = get_person_for_user(request.user, pk, secrets=True)
    if not services.may_reveal(request.user, services.current_membership_of(person) or person.memberships.first()):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        try:
            shown = services.reveal(request.user, person, form.cleaned_data["reason"])
        except services.MemberError as error:
            form.add_error(None, str(error))
    template = "members/partials/reveal.html" if request.headers.get("HX-Request") else "members/reveal.html"
    return render(request, template, {"person": person, "form": form, "shown": shown})


@login_required
def member_create(request):
    if not request.user.enters_data:
        raise PermissionDenied
    unions = editable_member_unions(request.user)
    initial = {}
    if request.GET.get("union"):
        union = unions.filter(code=request.GET["union"]).first()
        initial["union"] = union.pk if union else None
    form = EnrolForm(request.POST or None, user=request.user, unions=unions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        employer = data.pop("employer_code")
        try:
            membership = services.enrol(request.user, employer=employer, **data)
        except services.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is now a member of %(union)s.") % {
                "name": membership.person.name, "union": membership.union.name,
            })  # fmt: skip
            return redirect("members:detail", membership.person_id)
    return render(request, "members/form.html", {"form": form, "title": _("Add a member")})


def _current_membership_to_edit(request, person):
    membership = person.memberships.current().select_related("union").first()
    if membership is None or not Membership.objects.visible_to(request.user).filter(pk=membership.pk).exists():
        raise PermissionDenied
    if not request.user.can_edit(membership.union):
        raise PermissionDenied
    return membership


@login_required
def member_edit(request, pk):
    person = get_person_for_user(request.user, pk, secrets=True)
    _current_membership_to_edit(request, person)
    initial = {field: getattr(person, field) for field in ["name", "sex", "ethnicity", "rural_household"]}
    initial.update(migrant_worker=person.migrant_worker, version=person.version)
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(request.user, person, version=form.cleaned_data["version"], **form.changes())
        except services.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The member's details were saved."))
            return redirect("members:detail", person.pk)
    context = {"form": form, "title": _("Edit %(name)s") % {"name": person.name}, "person": person}
    return render(request, "members/form.html", context)


@login_required
def membership_edit(request, pk):
    membership = get_membership_for_user(request.user, pk, write=True)
    if not membership.is_current:
        raise PermissionDenied
    initial = {
        "version": membership.version,
        "employer_code": membership.employer.credit_code if membership.employer else "",
        "joined_on": membership.joined_on,
        "card_number": membership.card_number or "",
    }
    form = MembershipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_membership(
                request.user,
                membership,
                version=data["version"],
                employer=data["employer_code"],
                joined_on=data["joined_on"],
                card_number=data["card_number"].strip(),
            )
        except services.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("members:detail", membership.person_id)
    title = _("Membership of %(name)s in %(union)s") % {"name": membership.person.name, "union": membership.union}
    return render(request, "members/form.html", {"form": form, "title": title, "person": membership.person})


@login_required
def membership_status(request, pk):
    membership = get_membership_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST or None, initial={"version": membership.version, "status": membership.status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_status(
                request.user,
                membership,
                version=data["version"],
                status=data["status"],
                ended_on=data["ended_on"],
                reason=data["reason"],
            )
        except services.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The membership status was saved."))
            return redirect("members:detail", membership.person_id)
    title = _("Status of the membership of %(name)s") % {"name": membership.person.name}
    context = {
        "form": form,
        "title": title,
        "person": membership.person,
        "confirm": True,
        "kept_reasons": KEPT_REASONS,
    }
    return render(request, "members/form.html", context)


@login_required
def union_members(request, code):
    """A township, street or grassroots union with its members."""
    union = get_member_union_for_user(request.user, code)
    covered = (
        UnionCoverage.objects.open()
        .filter(union=union, enterprise__in=Enterprise.objects.visible_to(request.user))
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    context = {
        "union": union,
        "covered": covered[:COVERED_SHOWN],
        "covered_count": covered.count(),
        "page": page_of(request, Membership.objects.filter(union=union).current()),
        "counts": tallies.figures_of(union),
        "can_enrol": request.user.can_edit(union) and request.user.enters_data,
    }
    return render(request, "members/union.html", context)


@login_required
def enterprise_members(request, pk):
    """An enterprise's members, and its migrant workers' membership rate."""
    enterprise = get_enterprise_for_user(request.user, pk)
    memberships = Membership.objects.visible_to(request.user).filter(employer=enterprise).current()
    # The enterprise's figure counts its members in every union, as the 80% rule reads it.
    migrant_members = tallies.figures_of_employer(enterprise)["migrant_members"]
    rate = round(100 * migrant_members / enterprise.migrant_workers, 1) if enterprise.migrant_workers else None
    context = {
        "enterprise": enterprise,
        "page": page_of(request, memberships),
        "migrant_members": migrant_members,
        "rate": rate,
    }
    return render(request, "members/enterprise.html", context)
