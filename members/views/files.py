"""The member rolls' files: the import (template, upload and check, confirmation) and the export.

A confirmation of more than BACKGROUND_IMPORT_ROWS rows and an export of more than BACKGROUND_EXPORT_ROWS run
as background jobs (members.jobs), whose page shows their progress and outcome; smaller ones in the request.
"""

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import jobs, selectors
from members.access import editable_member_unions, get_member_import_for_user
from members.exports import export_members
from members.imports import ImportNotPossible, ImportRefused, member_import_check, member_import_commit
from members.imports.template import member_import_template
from members.models import MemberImportBatch, PersonalDataAccess
from unions.models import Role, UnionOrg

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_UPLOADS = 10


def _require_data_entry(request):
    if not request.user.enters_data:
        raise PermissionDenied


class MemberImportForm(forms.Form):
    union = forms.ModelChoiceField(
        label=gettext_lazy("Union the members join"), queryset=UnionOrg.objects.none(), to_field_name="code"
    )
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx, at most 20 MB and 100,000 rows)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = editable_member_unions(user)


@login_required
def import_template(request):
    _require_data_entry(request)
    response = HttpResponse(member_import_template().getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("member import template.xlsx"))
    return response


@login_required
def import_start(request):
    _require_data_entry(request)
    form = MemberImportForm(request.POST or None, request.FILES or None, user=request.user, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            batch = member_import_check(form.cleaned_data["file"], user=request.user, union=form.cleaned_data["union"])
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("members:import_preview", pk=batch.pk)
    recent = MemberImportBatch.objects.filter(created_by=request.user).defer("rows").select_related("union")
    return render(request, "members/import_start.html", {"form": form, "recent": recent[:RECENT_UPLOADS]})


@login_required
def import_preview(request, pk):
    _require_data_entry(request)
    batch = get_member_import_for_user(request.user, pk)
    if request.method == "POST":
        if jobs.import_runs_in_background(batch):
            return redirect("jobs:detail", pk=jobs.import_job_start(batch, user=request.user).pk)
        try:
            member_import_commit(batch, user=request.user)
        except ImportNotPossible as exc:
            messages.error(request, str(exc))
            return redirect("members:import_preview", pk=batch.pk)
        messages.success(
            request,
            _("%(file)s imported: %(count)d members joined %(union)s.")
            % {"file": batch.file_name, "count": batch.row_count, "union": batch.union.name},
        )
        return redirect("members:list")
    return render(request, "members/import_preview.html", {"batch": batch})


def filtered_memberships(request):
    """The memberships the user is looking at, filtered as the list is; returns (memberships, their unit)."""
    filters, memberships = selectors.filtered_memberships(request.user, request.GET)
    return memberships, selectors.filtered_unit(request.user, filters)


def _export_name(user, full_numbers):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    unit = user.organisation.name if user.organisation_id else _("all units")
    if full_numbers:
        return _("%(unit)s members, full numbers, %(stamp)s.xlsx") % {"unit": unit, "stamp": stamp}
    return _("%(unit)s members %(stamp)s.xlsx") % {"unit": unit, "stamp": stamp}


def _export(request, memberships, *, full_numbers, row_count=None):
    """The file in the response, or, for a long list, a background job whose page offers it when written."""
    name = _export_name(request.user, full_numbers)
    row_count = memberships.count() if row_count is None else row_count
    if jobs.export_runs_in_background(row_count):
        job = jobs.export_job_start(
            user=request.user,
            query=request.GET.urlencode(),
            full_numbers=full_numbers,
            file_name=name,
            row_count=row_count,
        )
        return redirect("jobs:detail", pk=job.pk)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    export_members(memberships, full_numbers=full_numbers, file=file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX)


@login_required
def member_export(request):
    """The list as filtered, every page of it, with the numbers masked: for everyone who sees the list."""
    memberships, _unit = filtered_memberships(request)
    return _export(request, memberships, full_numbers=False)


def may_export_full_numbers(user, unit):
    """Only the data-entry staff of the unit (or of a unit above it) export its members' full numbers."""
    return user.role == Role.STAFF and unit is not None and user.can_edit(unit)


class FullExportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need the full numbers?"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why you need the full numbers."))
        return reason


@login_required
def member_export_full(request):
    """The list as filtered, with full ID and phone numbers, for a reason that is logged with the export."""
    memberships, union = filtered_memberships(request)
    unit = union or request.user.organisation
    if not may_export_full_numbers(request.user, unit):
        raise PermissionDenied
    form = FullExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rows = memberships.count()
        PersonalDataAccess.objects.create(
            kind=PersonalDataAccess.Kind.EXPORT,
            user=request.user,
            organisation=unit,
            rows=rows,
            reason=form.cleaned_data["reason"],
        )
        return _export(request, memberships, full_numbers=True, row_count=rows)
    context = {"form": form, "unit": unit, "rows": memberships.count(), "querystring": request.GET.urlencode()}
    return render(request, "members/export_full.html", context)
