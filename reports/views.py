"""The dashboards, the Excel summary, the briefing and the booklet of model practices: reads of everything below,
and downloads."""

import io
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from campaigns.models import Campaign
from campaigns.selectors import practice_campaigns
from enterprises.groups import visible_pks
from reports import booklet, briefing, charts, dashboards, download_cache, enrolment, headquarters, statform, veto
from reports.forms import (
    DashboardForm,
    EnrolmentDashboardForm,
    HeadquartersFilterForm,
    VetoListForm,
    dashboard_query,
)
from unions.models import UnionOrg


@login_required
def _dashboard_for(request, campaign=None, campaigns=None):
    """The dashboard the query string asks for, inside the person's own area (another place is a 404).

    `campaigns` is dashboards.dashboard_campaigns(request.user), when read already."""
    if campaigns is None:
        campaigns = dashboards.dashboard_campaigns(request.user)
    form = DashboardForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    area = dashboards.area_of(request.user, options["area"])
    if area is None:
        raise Http404
    dashboard = dashboards.build(
        request.user,
        area=area,
        threshold=options["threshold"],
        source=options["source"],
        compare=options["compare"],
        as_of=options["as_of"],
        campaign=campaign,
        campaigns=campaigns,
    )
    return form, options, dashboard


@login_required
def dashboard(request):
    form, options, dashboard = _dashboard_for(request)
    context = {
        "form": form,
        "options": options,
        "dashboard": dashboard,
        "total": dashboard.total,
        "threshold": dashboard.threshold,
        "area": dashboard.area,
        "thresholds": (100, 50, 25),
        "query": dashboard_query(options),
        "charts": charts.for_dashboard(dashboard),
        "breadcrumb": dashboards.breadcrumb(request.user, dashboard.area),
    }
    return render(request, "reports/dashboard.html", context)


def _download(filename, write, *args, **kwargs):
    """A generated file as a download; the response closes the temporary file once sent."""
    file = tempfile.TemporaryFile()  # noqa: SIM115
    write(file, *args, **kwargs)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename)


def _built(write, *args, **kwargs):
    buffer = io.BytesIO()
    write(buffer, *args, **kwargs)
    return buffer.getvalue()


def _kept_download(request, kind, build):
    """A download kept while the figures behind it are unchanged: `build()` gives (file name, bytes)."""
    filename, content = download_cache.kept_or_built(request, kind, build)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename)


@login_required
def dashboard_summary(request):
    """The Excel summary laid out as the official statistical form, for the area on screen."""

    def build():
        _form, options, dashboard = _dashboard_for(request)
        content = _built(
            statform.write_summary,
            dashboard,
            hard_cases=dashboards.hard_cases(request.user, dashboard.area, dashboard.threshold),
            hard_case_reasons=dashboards.hard_case_reasons(request.user, dashboard.campaign),
            key_enterprises=dashboards.key_ununionised(
                request.user,
                dashboard.area,
                dashboard.threshold,
                headcount=dashboards.key_headcount_of(dashboard.campaign),
            ),
        )
        return statform.filename(dashboard), content

    return _kept_download(request, "summary", build)


def _asked_campaign(request, campaigns=None):
    """The campaign `campaign` in the address names, or None when it names none; a malformed or unknown one is a
    404. Looked for among `campaigns` (every campaign, read already) when given."""
    asked = request.GET.get("campaign", "")
    if not asked:
        return None
    if not asked.isdigit() or len(asked) > 9:
        raise Http404
    if campaigns is None:
        return get_object_or_404(Campaign, pk=asked)
    found = next((campaign for campaign in campaigns if campaign.pk == int(asked)), None)
    if found is None:
        raise Http404
    return found


def _briefing_campaign(request, campaigns):
    """The campaign the briefing is about: the one named, else the one whose reports the figures come from, else
    the person's newest (`campaigns`: dashboards.dashboard_campaigns)."""
    asked = _asked_campaign(request, campaigns)
    if asked is not None:
        return asked
    form = DashboardForm(request.GET or None, campaigns=campaigns)
    return form.options()["source"] or dashboards.latest_campaign(request.user, campaigns)


def _members_org(user, code):
    """The organisation a members campaign's page is about: the one `code` names, through the scoping door (another
    unit's is a 404), else where the person's own view starts."""
    if code:
        return get_object_or_404(UnionOrg.objects.visible_to(user), code=code)
    return enrolment.root_of(user)


def _members_briefing(request, campaign, campaigns):
    """A members campaign's briefing for the person's own area, or a unit of it named by `org` (another unit's is
    a 404); the date decides which reports count as handed in."""
    form = DashboardForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    code = request.GET.get("org", "").strip()
    org = _members_org(request.user, code)
    context = briefing.members_context(campaign, org, options["as_of"])
    query = {"campaign": campaign.pk, "org": code, "as_of": options["as_of"].isoformat() if options["as_of"] else ""}
    query = urlencode({key: value for key, value in query.items() if value})
    back = urlencode({"campaign": campaign.pk, **({"org": code} if code else {})})
    return {
        **context,
        "form": form,
        "query": query,
        "org_code": code,
        "back_url": f"{reverse('reports:members_dashboard')}?{back}",
    }


@login_required
def briefing_page(request):
    campaigns = dashboards.dashboard_campaigns(request.user)
    campaign = _briefing_campaign(request, campaigns)
    if campaign is not None and campaign.counts_members:
        return render(request, "reports/briefing.html", _members_briefing(request, campaign, campaigns))
    form, options, dashboard = _dashboard_for(request, _asked_campaign(request, campaigns), campaigns)
    context = {
        "form": form,
        "dashboard": dashboard,
        "options": options,
        "query": dashboard_query(options),
        **briefing.context(dashboard),
    }
    return render(request, "reports/briefing.html", context)


@login_required
def briefing_docx(request):

    def build():
        campaigns = dashboards.dashboard_campaigns(request.user)
        campaign = _briefing_campaign(request, campaigns)
        if campaign is not None and campaign.counts_members:
            context = _members_briefing(request, campaign, campaigns)
            subject = context["members_briefing"]
            return briefing.filename(subject), _built(briefing.write_docx, subject, context)
        _form, options, dashboard = _dashboard_for(request, _asked_campaign(request, campaigns), campaigns)
        return briefing.filename(dashboard), _built(briefing.write_docx, dashboard, briefing.context(dashboard))

    return _kept_download(request, "briefing", build)


@login_required
def practices_booklet(request):
    """The campaign's model practices (典型经验汇编) the person may see, as a Word booklet."""
    campaign_pk = request.GET.get("campaign", "")
    if not campaign_pk.isdigit():
        raise Http404
    campaign = get_object_or_404(practice_campaigns(request.user), pk=campaign_pk)
    reports = booklet.entries(request.user, campaign)
    return _download(booklet.filename(campaign), booklet.write_docx, campaign, reports)


CHILD_LINES_PER_PAGE = 100


@login_required
def members_dashboard(request):
    """A members campaign's figures for one organisation and each one below it, drilled down to member rows."""
    campaigns = list(enrolment.members_campaigns())
    form = EnrolmentDashboardForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    campaign = options["campaign"] or (campaigns[0] if campaigns else None)
    if campaign is None:
        return render(request, "reports/members_dashboard.html", {"form": form, "dashboard": None})
    org = _members_org(request.user, options["org"])
    page = Paginator(enrolment.children_of(org), CHILD_LINES_PER_PAGE).get_page(request.GET.get("page"))
    dashboard, _figures = enrolment.build(campaign, org, children=list(page))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "dashboard": dashboard,
        "campaign": campaign,
        "columns": enrolment.COLUMNS,
        "labels": enrolment.COLUMN_LABELS,
        "page": page,
        "querystring": query.urlencode(),
        "breadcrumb": enrolment.breadcrumb(request.user, org),
    }
    return render(request, "reports/members_dashboard.html", context)


@login_required
def members_form(request):
    """A members campaign's official form for one organisation of the person's area, with the lists behind it.

    Unlike the dashboard, a download does not fall back: a malformed or unknown campaign or organisation is a 404.
    """
    campaigns = list(enrolment.members_campaigns())
    form = EnrolmentDashboardForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    if form.errors:  # an unknown campaign, or one that does not count members, is not among the choices
        raise Http404
    campaign = options["campaign"] or (campaigns[0] if campaigns else None)
    org = _members_org(request.user, options["org"])
    if campaign is None or org is None:
        raise Http404
    filename = enrolment.members_form_filename(campaign, org)
    return _kept_download(
        request, "members_form", lambda: (filename, _built(enrolment.write_members_form, campaign, org))
    )


HEADQUARTERS_PER_PAGE = 50


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def headquarters_page(request):
    """Group headquarters the person may see, with how many of their subsidiaries a union covers."""
    form = HeadquartersFilterForm(request.GET or None)
    rows = headquarters.headquarters_rows(request.user, form.chosen())
    page = Paginator(rows, HEADQUARTERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "openable": visible_pks(request.user, [row.pk for row in page]),
        "querystring": _query_without_page(request),
    }
    return render(request, "reports/headquarters.html", context)


@login_required
def headquarters_xlsx(request):
    form = HeadquartersFilterForm(request.GET or None)
    rows = headquarters.headquarters_rows(request.user, form.chosen())
    return _download(headquarters.filename(), headquarters.write_xlsx, request.user, rows)


VETO_PER_PAGE = 100


def _require_oversight(request):
    """The veto list is the 组织部's (and the administrators'): anyone else is refused outright."""
    if not request.user.oversees:
        raise PermissionDenied


@login_required
def veto_list(request):
    _require_oversight(request)
    form = VetoListForm(request.GET or None)
    campaign, prefecture = form.options()
    page = Paginator(veto.veto_enterprises(prefecture), VETO_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "campaign": campaign,
        "page": page,
        "rows": veto.with_cases(page, campaign),
        "querystring": _query_without_page(request),
    }
    return render(request, "reports/veto_list.html", context)


@login_required
def veto_list_xlsx(request):
    _require_oversight(request)
    campaign, prefecture = VetoListForm(request.GET or None).options()
    rows = veto.with_cases(veto.veto_enterprises(prefecture), campaign)
    return _download(
        veto.filename(prefecture), veto.write_xlsx, request.user, rows, campaign=campaign, prefecture=prefecture
    )
