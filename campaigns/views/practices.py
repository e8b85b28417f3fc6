"""The catalogue of model practices (典型经验) the reports carry, and the 组织部 marking some 示范."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.access import require_reviewer
from campaigns.forms import PracticeFilterForm, PracticeMarkForm, ReviewForm
from campaigns.models import PracticeMark
from campaigns.services.errors import WorkflowError
from campaigns.services.practices import practice_mark as mark_practice
from campaigns.services.practices import practice_unmark as unmark_practice
from campaigns.views.common import local_path

PER_PAGE = 20


@login_required
def practice_list(request):
    """Every handed-in report's practices the user may see, filtered, 20 to a page; reviewers mark them here."""
    campaigns = selectors.practice_campaigns(request.user)
    form = PracticeFilterForm(request.GET or None, campaigns=campaigns)
    options = form.options()
    reports = selectors.practices_for(request.user, **options)
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "form": form,
        "page": page,
        "querystring": urlencode(query),
        "campaign": options["campaign"],
        "back": request.get_full_path(),
    }
    return render(request, "campaigns/practices.html", context)


def _practice_for_user(user, pk):
    """A handed-in report with practices the user may see; any other is a 404."""
    return get_object_or_404(selectors.practices_for(user), pk=pk)


def _mark_of(submission):
    return PracticeMark.objects.filter(submission=submission).first()


@login_required
def practice_mark(request, pk):
    """The 组织部 marks a report's practices 示范 under a headline, or changes the headline of its mark."""
    submission = _practice_for_user(request.user, pk)
    require_reviewer(request.user)
    mark = _mark_of(submission)
    back = local_path(request.POST.get("next") or request.GET.get("next"), "campaigns:practices")
    initial = {
        "version": mark.version if mark else 0,
        "title": mark.title if mark else "",
        "note": mark.note if mark else "",
    }
    form = PracticeMarkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mark_practice(
                submission, user=request.user, title=data["title"], note=data["note"], version=data["version"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("“%(title)s” is marked as a model practice.") % {"title": data["title"]})
            return redirect(back)
    context = {"submission": submission, "mark": mark, "form": form, "back": back}
    return render(request, "campaigns/practice_mark.html", context)


@login_required
def practice_unmark(request, pk):
    """The 组织部 takes the 示范 mark off, after a confirmation page."""
    submission = _practice_for_user(request.user, pk)
    require_reviewer(request.user)
    back = local_path(request.POST.get("next") or request.GET.get("next"), "campaigns:practices")
    mark = _mark_of(submission)
    if mark is None:
        messages.info(request, _("These practices are not marked as a model practice."))
        return redirect(back)
    form = ReviewForm(request.POST or None, initial={"version": mark.version})
    if request.method == "POST" and form.is_valid():
        try:
            unmark_practice(submission, user=request.user, version=form.cleaned_data["version"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("“%(title)s” is no longer a model practice.") % {"title": mark.title})
            return redirect(back)
    context = {"submission": submission, "mark": mark, "form": form, "back": back}
    return render(request, "campaigns/practice_unmark.html", context)
