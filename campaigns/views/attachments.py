from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import attachments
from campaigns.access import get_deadline_and_unit_for_user, require_units_staff
from campaigns.views.common import local_path


@login_required
@require_POST
def attachment_add(request, deadline, unit):
    deadline, unit = get_deadline_and_unit_for_user(request.user, deadline, unit)
    require_units_staff(request.user, unit)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            attachment = attachments.report_attach(deadline, unit, user=request.user, uploaded=uploaded)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been attached.") % {"name": attachment.original_name})
    return redirect(local_path(request.POST.get("next")))


@login_required
def attachment_download(request, pk):
    attachment = attachments.get_attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachments.download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_delete(request, pk):
    attachment = attachments.get_attachment_for_user(request.user, pk)
    require_units_staff(request.user, attachment.submission.unit)
    next_path = local_path(request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        try:
            attachments.attachment_delete(attachment, user=request.user)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": attachment.original_name})
        return redirect(next_path)
    context = {"attachment": attachment, "next": next_path, "locked": attachment.submission.is_locked}
    return render(request, "campaigns/attachment_confirm_delete.html", context)
