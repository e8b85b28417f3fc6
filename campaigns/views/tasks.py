from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campaigns import notifications, selectors
from campaigns.access import get_notification_for_user
from campaigns.forms import TaskFilterForm
from campaigns.views.common import local_path

TASKS_PER_PAGE = 50
NOTIFICATIONS_PER_PAGE = 30


@login_required
def task_list(request):
    """The reports due from the person's units (for the 组织部: from every unit, with what waits for it).

    Current campaigns by default; `?closed=1` lists those that have ended. Filters by campaign and status.
    """
    closed = request.GET.get("closed") == "1"
    campaigns = list(selectors.campaigns_of(request.user, closed=closed))
    form = TaskFilterForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    chosen = [options["campaign"]] if options["campaign"] else campaigns
    tasks = selectors.tasks_for(request.user, campaigns=chosen, status=options["status"])
    context = {
        "form": form,
        "closed": closed,
        "filtered": bool(options["campaign"] or options["status"]),
        "page": Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page")),
        "querystring": _without_page(request.GET),
    }
    if request.user.is_reviewer and not closed:
        context["waiting"] = selectors.waiting_for_review()
        context["requests"] = selectors.pending_extension_requests()
    return render(request, "campaigns/tasks.html", context)


def _without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one's own notification read and follow it: a POST, since it changes the mark."""
    notification = get_notification_for_user(request.user, pk)
    notifications.notification_mark_read(notification)
    return redirect(local_path(notification.url, fallback="campaigns:notifications"))


@login_required
@require_POST
def notifications_read_all(request):
    notifications.notifications_mark_all_read(request.user)
    return redirect("campaigns:notifications")
