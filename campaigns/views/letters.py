"""The 一函两书 letters of an organising case: issuing one (a confirmation page and its POST), downloading one.

A case is found through its door (another unit's case is a 404); issuing needs a user who records on the case
(403 otherwise); whoever sees the case downloads its letters.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.letters import documents
from campaigns.letters.forms import LetterIssueForm
from campaigns.letters.numbering import document_number, issuing_unit_for, prefix_for
from campaigns.models.push import CaseStatus, Letter, LetterCounter, OrganisingCase
from campaigns.push_selectors import get_case_for_user
from campaigns.services.errors import WorkflowError
from campaigns.services.letters import letter_issue as issue_letter
from campaigns.services.push import may_work_on
from campaigns.views.common import local_path


def case_url(case):
    return reverse("campaigns:case", args=[case.pk]) + "#letters"


def back_path(request, case):
    """A `next` path on this site, else the case's page."""
    requested = request.POST.get("next") or request.GET.get("next")
    return local_path(requested) if requested else case_url(case)


def letters_panel(user, case, next_path):
    """What templates/campaigns/push/_letters.html shows of a case's letters."""
    return {
        "case": case,
        "letters": case.letters.select_related("issuing_unit", "issued_by"),
        "may_issue": case.status == CaseStatus.OPEN and may_work_on(user, case),
        "letter_form": LetterIssueForm(initial={"version": case.version}),
        "next": next_path,
    }


def _next_number(user):
    """The number the user's next letter would get today, unless someone issues one first."""
    unit = issuing_unit_for(user.organisation)
    if unit is None:
        return None
    year = timezone.localdate().year
    counter = LetterCounter.objects.filter(unit=unit, year=year).first()
    return document_number(prefix_for(unit.division), year, (counter.last_serial if counter else 0) + 1)


@login_required
def letter_issue(request, pk):
    case = get_case_for_user(request.user, pk)
    if not may_work_on(request.user, case):
        raise PermissionDenied
    back = back_path(request, case)
    form = LetterIssueForm(request.POST or None, initial={"version": case.version, "kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = issue_letter(case, user=request.user, kind=data["kind"], version=data["version"])
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Letter %(number)s has been issued.") % {"number": letter.number})
            return redirect(back)
    context = {
        "case": case,
        "form": form,
        "back": back,
        "closed": case.status != CaseStatus.OPEN,
        "next_number": _next_number(request.user),
    }
    return render(request, "campaigns/push/letter_issue.html", context)


@login_required
def letter_download(request, pk):
    letter = get_object_or_404(
        Letter.objects.filter(case__in=OrganisingCase.objects.visible_to(request.user).values("pk")), pk=pk
    )
    response = FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=documents.download_name(letter),
        content_type=documents.DOCX_CONTENT_TYPE,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
