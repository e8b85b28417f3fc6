from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaign_portal.collation import by_pinyin
from unions.access import get_org_for_user, get_org_or_card_for_user
from unions.forms import DirectorySearchForm, GrassrootsUnionForm, UnionOrgContactForm
from unions.models import UnionOrg
from unions.selectors import build_tree, home_units
from unions.services import UnionError, grassroots_union_create, grassroots_union_update, union_org_update_contact

DIRECTORY_SEARCH_LIMIT = 50
CHILDREN_PER_PAGE = 30


@login_required
def home(request):
    unit, sub_units = home_units(request.user)
    return render(request, "unions/home.html", {"unit": unit, "sub_units": sub_units})


@login_required
def directory(request):
    orgs = UnionOrg.objects.visible_to(request.user).for_directory()
    search = DirectorySearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {"query": query, "search": search}
    if query:
        matches = orgs.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(short_name__icontains=query))
        matches = matches.order_by(by_pinyin("name"), "pk")
        context["matches"] = matches[:DIRECTORY_SEARCH_LIMIT]
        context["more_matches"] = matches.count() > DIRECTORY_SEARCH_LIMIT
    else:
        context["roots"] = build_tree(orgs)
    if request.headers.get("HX-Request"):
        return render(request, "unions/_directory_results.html", context)
    return render(request, "unions/directory.html", context)


@login_required
def org_detail(request, code):
    org, full = get_org_or_card_for_user(request.user, code)
    if not full:
        # A unit above the person's own: its contact card only, so that a breadcrumb up the tree leads somewhere.
        return render(request, "unions/card.html", {"org": org, "ancestors": org.ancestors()})
    children = Paginator(org.children.select_related("division").order_by("kind", "code"), CHILDREN_PER_PAGE)
    context = {
        "org": org,
        "ancestors": org.ancestors(),
        "children": children.get_page(request.GET.get("page")),
        "can_edit": request.user.can_edit(org),
    }
    return render(request, "unions/detail.html", context)


@login_required
def grassroots_create(request, code):
    parent = get_org_for_user(request.user, code, write=True)
    if not parent.may_hold_grassroots:
        raise Http404
    form = GrassrootsUnionForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = grassroots_union_create(user=request.user, parent=parent, **form.union_fields())
        except UnionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s has been set up.") % {"name": org.name})
            return redirect("unions:detail", code=org.code)
    return render(request, "unions/grassroots_form.html", {"parent": parent, "form": form})


def _grassroots_edit(request, org):
    form = GrassrootsUnionForm(request.POST or None, instance=UnionOrg.objects.get(pk=org.pk), parent=org.parent)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            grassroots_union_update(
                org, user=request.user, version=form.cleaned_data["version"] or 0, **form.union_fields()
            )
        except UnionError as exc:
            form.add_error(None, str(exc))
            current = UnionOrg.objects.select_related("statistical_division").get(pk=org.pk)
            form.data = form.data.copy()
            form.data["version"] = current.version
        else:
            messages.success(request, _("The changes to %(name)s have been saved.") % {"name": org.name})
            return redirect("unions:detail", code=org.code)
    context = {"parent": org.parent, "org": org, "form": form, "current": current}
    return render(request, "unions/grassroots_form.html", context)


@login_required
def org_edit(request, code):
    org = get_org_for_user(request.user, code, write=True)
    if org.is_grassroots:
        return _grassroots_edit(request, org)
    form = UnionOrgContactForm(request.POST or None, instance=UnionOrg.objects.get(pk=org.pk))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            union_org_update_contact(
                org, user=request.user, version=form.cleaned_data["version"], **form.contact_changes()
            )
        except UnionError as exc:
            form.add_error(None, str(exc))
            current = UnionOrg.objects.get(pk=org.pk)
            # Having seen what is saved now, the user may deliberately save again over it.
            form.data = form.data.copy()
            form.data["version"] = current.version
        else:
            messages.success(request, _("The contact details of %(name)s have been saved.") % {"name": org.name})
            return redirect("unions:detail", code=org.code)
    return render(request, "unions/edit.html", {"org": org, "form": form, "current": current})
