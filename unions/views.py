from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from campaign_portal.collation import by_pinyin
from unions.access import get_org_for_user, get_org_or_card_for_user
from unions.evidence import download_name
from unions.forms import (
    DirectorySearchForm,
    EightHavesFilterForm,
    EightHavesItemForm,
    GrassrootsUnionForm,
    UnionOrgContactForm,
)
from unions.models import Division, EightHave, UnionOrg
from unions.selectors import (
    build_tree,
    eight_haves_of,
    eight_haves_summary,
    home_units,
    meeting_eight_haves_pks,
    meets_eight_haves,
)
from unions.services import (
    UnionError,
    eight_haves_assess,
    grassroots_union_create,
    grassroots_union_update,
    may_assess_eight_haves,
    union_org_update_contact,
)

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


# -- the 八有 checklist of township unions ---------------------------------------------------------------

TOWNSHIPS_PER_PAGE = 50


def _township_for_user(user, code):
    union = get_org_for_user(user, code)
    if union.kind != UnionOrg.Kind.TOWNSHIP_UNION:
        raise Http404
    return union


@login_required
def eight_haves(request, code):
    union = _township_for_user(request.user, code)
    entries = {entry.item: entry for entry in union.eight_haves.select_related("assessed_by")}
    may_assess = may_assess_eight_haves(request.user, union)
    rows = [
        {
            "item": item,
            "label": label,
            "entry": entries.get(item),
            "form": EightHavesItemForm(entry=entries.get(item), prefix=item) if may_assess else None,
        }
        for item, label in EightHave.choices
    ]
    context = {
        "org": union,
        "ancestors": union.ancestors(),
        "rows": rows,
        "meets": meets_eight_haves(item for item, entry in entries.items() if entry.met),
        "met_count": sum(entry.met for entry in entries.values()),
        "may_assess": may_assess,
        "history": union.eight_haves_changes.select_related("changed_by")[:HISTORY_LENGTH],
    }
    return render(request, "unions/eight_haves.html", context)


HISTORY_LENGTH = 100


@login_required
def eight_haves_item(request, code, item):
    union = _township_for_user(request.user, code)
    if item not in EightHave.values:
        raise Http404
    if not may_assess_eight_haves(request.user, union):
        raise PermissionDenied
    entry = union.eight_haves.select_related("assessed_by").filter(item=item).first()
    form = EightHavesItemForm(request.POST or None, request.FILES or None, entry=entry, prefix=item)
    if request.method == "POST" and form.is_valid():
        try:
            eight_haves_assess(union, user=request.user, item=item, **form.assessment())
        except UnionError as exc:
            form.add_error(None, str(exc))
            entry = union.eight_haves.select_related("assessed_by").filter(item=item).first()
            # Having seen what is saved now, the user may deliberately save again over it.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = entry.version if entry else 0
        else:
            messages.success(
                request, _("The assessment of “%(item)s” has been saved.") % {"item": EightHave(item).label}
            )
            return redirect("unions:eight_haves", code=union.code)
    context = {"org": union, "item": EightHave(item), "entry": entry, "form": form}
    return render(request, "unions/eight_haves_assess.html", context)


@login_required
def eight_haves_file(request, code, item):
    union = _township_for_user(request.user, code)
    entry = get_object_or_404(union.eight_haves.exclude(attachment=""), item=item)
    response = FileResponse(
        entry.attachment.open("rb"),
        as_attachment=True,
        filename=download_name(entry.attachment_name, entry.attachment_type),
        content_type=entry.attachment_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _overview_area(request):
    """The federation whose area the overview covers: the one asked for, or the user's own (the region for those
    who oversee everything). Another unit's area is a 404."""
    code = request.GET.get("area", "")
    if "\x00" in code or len(code) > 40:  # no organisation has such a code; the database may not even take it
        raise Http404
    if code:
        area = get_org_for_user(request.user, code)
        if not area.is_place_federation and area.pk != request.user.organisation_id:
            raise Http404
        return area
    if request.user.sees_everything:
        return get_object_or_404(UnionOrg.objects.filter(kind=UnionOrg.Kind.REGION_FEDERATION))
    return get_org_for_user(request.user, request.user.organisation.code)


@login_required
def eight_haves_overview(request):
    area = _overview_area(request)
    townships = UnionOrg.objects.visible_to(request.user).subtree_of(area).filter(kind=UnionOrg.Kind.TOWNSHIP_UNION)
    summary = eight_haves_summary(townships)
    divisions = Division.objects.in_bulk(list(summary))
    filters = EightHavesFilterForm(
        request.GET or None, counties=[divisions[code] for code in summary if code in divisions]
    )
    listed = townships.select_related("division").order_by("division_id", "code")
    if filters.is_valid():
        if filters.cleaned_data["county"]:
            listed = listed.filter(division_id=filters.cleaned_data["county"])
        if filters.cleaned_data["meets"] == "yes":
            listed = listed.filter(pk__in=meeting_eight_haves_pks())
        elif filters.cleaned_data["meets"] == "no":
            listed = listed.exclude(pk__in=meeting_eight_haves_pks())
    page = Paginator(listed, TOWNSHIPS_PER_PAGE).get_page(request.GET.get("page"))
    met = eight_haves_of(UnionOrg.objects.filter(pk__in=[union.pk for union in page]))
    for union in page:
        union.missing_items = [label for item, label in EightHave.choices if item not in met[union.pk]]
    context = {
        "area": area,
        "counties": _overview_rows(summary, divisions),
        "totals": _overview_totals(summary),
        "items": EightHave.choices,
        "filters": filters,
        "page": page,
        "querystring": _querystring_without_page(request),
    }
    return render(request, "unions/eight_haves_overview.html", context)


def _rate(meeting, unions):
    return 100 * meeting / unions if unions else None


def _overview_rows(summary, divisions):
    return [
        {
            "division": divisions.get(code),
            **figures,
            "rate": _rate(figures["meeting"], figures["unions"]),
            "missing_list": [figures["missing"][item] for item in EightHave.values],
        }
        for code, figures in summary.items()
    ]


def _overview_totals(summary):
    unions = sum(figures["unions"] for figures in summary.values())
    meeting = sum(figures["meeting"] for figures in summary.values())
    missing = [sum(figures["missing"][item] for figures in summary.values()) for item in EightHave.values]
    return {"unions": unions, "meeting": meeting, "rate": _rate(meeting, unions), "missing_list": missing}


def _querystring_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
