from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import attachments, notifications
from reports.access import get_notification_for_user, get_submission_for_user, require_units_staff


@login_required
def task_list(request):
    return render(request, "reports/tasks.html", {})


def _local_path(path):
    """Where to go back to after an action: a path on this site, never another host."""
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return reverse("reports:tasks")


@login_required
@require_POST
def attachment_add(request, pk):
    submission = get_submission_for_user(request.user, pk)
    require_units_staff(request.user, submission.unit)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            attachment = attachments.attachment_add(submission, user=request.user, uploaded=uploaded)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been attached.") % {"name": attachment.original_name})
    return redirect(_local_path(request.POST.get("next")))


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
    next_path = _local_path(request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        try:
            attachments.attachment_delete(attachment, user=request.user)
        except attachments.AttachmentRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": attachment.original_name})
        return redirect(next_path)
    context = {"attachment": attachment, "next": next_path, "locked": attachment.submission.is_locked}
    return render(request, "reports/attachment_confirm_delete.html", context)


NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark one's own notification read and follow it. A GET, as it changes nothing but the reader's own mark."""
    notification = get_notification_for_user(request.user, pk)
    notifications.notification_mark_read(notification)
    if url_has_allowed_host_and_scheme(notification.url, {request.get_host()}, request.is_secure()):
        return redirect(notification.url)
    return redirect("reports:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    notifications.notifications_mark_all_read(request.user)
    return redirect("reports:notifications")
