from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaign_portal.models import Job
from campaign_portal.pagination import CountedPaginator
from enterprises import exports, groups, jobs, services
from enterprises.access import (
    get_coverage_for_user,
    get_enterprise_for_user,
    get_grassroots_for_user,
    get_import_for_user,
)
from enterprises.forms import CoverageEndForm, CoverageStartForm, EnterpriseForm
from enterprises.imports import ImportNotPossible, ImportRefused, import_check, import_commit
from enterprises.imports.grassroots import (
    grassroots_import_check,
    grassroots_import_commit,
    grassroots_import_template,
)
from enterprises.imports.template import import_template_file
from enterprises.models import Enterprise, ImportBatch, UnionCoverage
from enterprises.selectors import (
    MISMATCHES,
    coverage_mismatches,
    filtered_enterprises,
    list_count,
    mismatch_counts,
    preview_context,
)
from unions.access import get_org_for_user
from unions.models import UnionOrg
from unions.reference import county_places
from unions.services import UnionError

PER_PAGE = 50
HISTORY_ROWS = 100


@login_required
def enterprise_list(request):
    filters, enterprises = filtered_enterprises(request.user, request.GET)
    count, capped = list_count(request.user, filters, enterprises)
    # The places come from the divisions kept in memory: a join on them would steer the database off the index
    # that reads the page in order.
    paginator = CountedPaginator(enterprises.select_related("responsible_unit"), PER_PAGE, count=count, capped=capped)
    page = paginator.get_page(request.GET.get("page"))
    places = county_places()
    for enterprise in page:
        enterprise.place = places.get(enterprise.county_id, enterprise.county_id)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "querystring": query.urlencode()}
    return render(request, "enterprises/list.html", context)


@login_required
def enterprise_export(request):
    """The list as filtered, every page of it, as a spreadsheet (xlsx unless format=csv); a large one is written by
    a background job and downloaded from the job's page."""
    kind = request.GET.get("format", "xlsx")
    if kind not in exports.RESPONSES:
        return HttpResponseBadRequest(
            _("The export format must be xlsx or csv."), content_type="text/plain; charset=utf-8"
        )
    _filters, enterprises = filtered_enterprises(request.user, request.GET)
    row_count = enterprises.count()
    if jobs.export_runs_in_background(row_count):
        job = jobs.export_job_start(user=request.user, query=request.GET.urlencode(), kind=kind, row_count=row_count)
        messages.info(
            request, _("The export is large: it is being written in the background. Download it here once it is ready.")
        )
        return redirect("jobs:detail", pk=job.pk)
    return exports.RESPONSES[kind](enterprises, exports.export_filename(request.user, kind))


@login_required
def enterprise_detail(request, pk):
    enterprise = get_enterprise_for_user(request.user, pk)
    headquarters = (
        Enterprise.objects.select_related("county__parent").filter(pk=enterprise.parent_group_id).first()
        if enterprise.parent_group_id
        else None
    )
    subsidiaries = list(groups.subsidiaries_of(enterprise))
    related = [sub.pk for sub in subsidiaries] + ([headquarters.pk] if headquarters else [])
    context = {
        "enterprise": enterprise,
        "history": enterprise.changes.select_related("changed_by")[:HISTORY_ROWS],
        # Both sides of a group are shown as a summary to anyone who sees one side; a link only where it opens.
        "headquarters": headquarters,
        "subsidiaries": subsidiaries,
        "openable": groups.visible_pks(request.user, related),
        # The unions are shown by name to anyone who may see the enterprise; a link only where the union is visible.
        "coverages": enterprise.coverages.select_related("union"),
        "visible_unions": set(
            UnionOrg.objects.visible_to(request.user)
            .filter(coverages__enterprise=enterprise)
            .values_list("pk", flat=True)
        ),
        "can_edit": request.user.enters_data,
        "can_delete": request.user.oversees,
    }
    return render(request, "enterprises/detail.html", context)


def _report_saved(request, enterprise, warnings, message):
    messages.success(request, message % {"name": enterprise.name})
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def enterprise_create(request):
    if not request.user.enters_data:
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise, warnings = services.enterprise_create(user=request.user, data=form.entered_data())
        return _report_saved(request, enterprise, warnings, _("%(name)s has been added to the registry."))
    return render(request, "enterprises/form.html", {"form": form})


@login_required
def enterprise_edit(request, pk):
    enterprise = get_enterprise_for_user(request.user, pk, write=True)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    current = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or 0
        try:
            saved, warnings = services.enterprise_update(
                enterprise, user=request.user, version=version, data=form.entered_data()
            )
        except services.StaleEnterpriseEdit as exc:
            form.add_error(None, str(exc))
            current = get_enterprise_for_user(request.user, pk)
            # Having seen what is saved now, the user may deliberately save over it.
            form.data = form.data.copy()
            form.data["version"] = current.version
        except services.RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            return _report_saved(request, saved, warnings, _("The changes to %(name)s have been saved."))
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise, "current": current})


@login_required
def enterprise_delete(request, pk):
    enterprise = get_enterprise_for_user(request.user, pk, delete=True)
    if request.method == "POST":
        services.enterprise_delete(enterprise, user=request.user, reason=request.POST.get("reason", "")[:200])
        messages.success(request, _("%(name)s has been deleted from the registry.") % {"name": enterprise.name})
        return redirect("enterprises:list")
    return render(request, "enterprises/confirm_delete.html", {"enterprise": enterprise})


def _require_data_entry(request):
    if not request.user.enters_data:
        raise PermissionDenied


@login_required
def import_template(request):
    _require_data_entry(request)
    return FileResponse(
        import_template_file(request.user), as_attachment=True, filename=_("enterprise registry import template.xlsx")
    )


@login_required
def import_start(request):
    _require_data_entry(request)
    error = None
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = _("Choose a file to upload.")
        else:
            try:
                batch = import_check(uploaded, user=request.user)
            except ImportRefused as exc:
                error = str(exc)
            else:
                return redirect("enterprises:import_preview", pk=batch.pk)
    recent = ImportBatch.objects.filter(created_by=request.user)[:10]
    return render(request, "enterprises/import_start.html", {"error": error, "recent": recent})


@login_required
def import_preview(request, pk):
    _require_data_entry(request)
    batch = get_import_for_user(request.user, pk)
    if request.method == "POST" and jobs.import_runs_in_background(batch):
        return redirect("jobs:detail", pk=jobs.import_job_start(batch, user=request.user).pk)
    if request.method == "POST":
        try:
            import_commit(batch, user=request.user)
        except ImportNotPossible as exc:
            messages.error(request, str(exc))
            return redirect("enterprises:import_preview", pk=batch.pk)
        messages.success(
            request,
            _("%(file)s imported: %(new)d new and %(changed)d changed enterprises.")
            % {"file": batch.file_name, "new": batch.new_count, "changed": batch.changed_count},
        )
        return redirect("enterprises:list")
    context = preview_context(batch)
    context.update(in_background=jobs.import_runs_in_background(batch), import_job=jobs.import_job_of(batch))
    return render(request, "enterprises/import_preview.html", context)


@login_required
def tallies_recount(request):
    """The 组织部 and administrators recount the dashboards' tallies from the registry, as a background job."""
    if not request.user.oversees:
        raise PermissionDenied
    if request.method == "POST":
        return redirect("jobs:detail", pk=jobs.recount_job_start(user=request.user).pk)
    recent = Job.objects.visible_to(request.user).filter(kind=jobs.RECOUNT)[:5]
    return render(request, "enterprises/tallies_recount.html", {"recent": recent})


COVERAGE_PER_PAGE = 50


@login_required
def union_coverage(request, code):
    """The enterprises a grassroots union covers, now and before, with the form to add one."""
    union = get_grassroots_for_user(request.user, code)
    can_edit = request.user.can_edit(union)
    form = CoverageStartForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            enterprise = form.cleaned_data["credit_code"]
            try:
                services.coverage_start(
                    user=request.user, enterprise=enterprise, union=union, valid_from=form.cleaned_data["valid_from"]
                )
            except services.RegistryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("%(union)s now covers %(name)s.") % {"union": union.name, "name": enterprise.name}
                )
                return redirect("enterprises:union_coverage", code=union.code)
    coverages = (
        UnionCoverage.objects.filter(union=union, enterprise__in=Enterprise.objects.visible_to(request.user))
        .select_related("enterprise__county")
        .order_by(F("valid_to").desc(nulls_first=True), "-valid_from", "pk")
    )
    context = {
        "union": union,
        "form": form,
        "can_edit": can_edit,
        "page": Paginator(coverages, COVERAGE_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "enterprises/union_coverage.html", context)


@login_required
def coverage_end(request, pk):
    coverage = get_coverage_for_user(request.user, pk, write=True)
    if not coverage.is_open:
        raise Http404
    form = CoverageEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coverage_end(coverage, user=request.user, valid_to=form.cleaned_data["valid_to"])
        except services.RegistryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(union)s no longer covers %(name)s.")
                % {"union": coverage.union.name, "name": coverage.enterprise.name},
            )
            return redirect("enterprises:union_coverage", code=coverage.union.code)
    return render(request, "enterprises/coverage_end.html", {"coverage": coverage, "form": form})


@login_required
def unit_consistency(request, code):
    """Where the registry's union status and the recorded coverage disagree, for one unit's enterprises."""
    unit = get_org_for_user(request.user, code)
    which = request.GET.get("list", "uncovered")
    if which not in MISMATCHES:
        which = "uncovered"
    enterprises = coverage_mismatches(request.user, unit, which).select_related("county__parent")
    enterprises = enterprises.prefetch_related(
        Prefetch("coverages", UnionCoverage.objects.open().select_related("union"), to_attr="open_coverages")
    )
    counts = mismatch_counts(request.user, unit)
    context = {
        "unit": unit,
        "which": which,
        "counts": counts,
        "page": CountedPaginator(enterprises, PER_PAGE, count=counts[which]).get_page(request.GET.get("page")),
        "querystring": f"list={which}",
    }
    return render(request, "enterprises/consistency.html", context)


GRASSROOTS_IMPORT_SESSION_KEY = "grassroots_import"


@login_required
def grassroots_import_template_download(request):
    _require_data_entry(request)
    return FileResponse(
        grassroots_import_template(request.user),
        as_attachment=True,
        filename=_("grassroots union import template.xlsx"),
    )


@login_required
def grassroots_import(request):
    """Upload, check every row and show every error; once the file is clean, confirm to set up all of its unions."""
    _require_data_entry(request)
    context = {"error": None, "errors": [], "checked": []}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        checked = request.session.pop(GRASSROOTS_IMPORT_SESSION_KEY, None)
        if not checked:
            messages.error(request, _("Nothing is waiting to be imported: upload the file again."))
            return redirect("enterprises:grassroots_import")
        try:
            created = grassroots_import_commit(checked, user=request.user)
        except UnionError as exc:
            context["error"] = str(exc)
        else:
            messages.success(request, _("%(count)d grassroots unions have been set up.") % {"count": len(created)})
            return redirect("unions:detail", code=created[0].parent.code)
    elif request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            context["error"] = _("Choose a file to upload.")
        else:
            try:
                checked, errors = grassroots_import_check(uploaded, user=request.user)
            except ImportRefused as exc:
                context["error"] = str(exc)
            else:
                context["errors"] = errors
                if not errors:
                    request.session[GRASSROOTS_IMPORT_SESSION_KEY] = checked
                    context["checked"] = checked
    return render(request, "enterprises/grassroots_import.html", context)
