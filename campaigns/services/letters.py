"""Issuing the 一函两书 letters of an organising case: numbered per issuing unit and year, kept as issued.

A letter is a graded measure (grade 3) of the case's timeline. Its serial number is taken from the unit's counter
for the year under a row lock, so two clerks issuing at once get two numbers; re-issuing gives a new number and a
new file, and nothing issued is overwritten.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.letters import documents
from campaigns.letters.numbering import document_number, issuing_unit_for, prefix_for
from campaigns.models.push import CaseStep, Grade, Letter, LetterCounter, LetterKind
from campaigns.services.errors import WorkflowError
from campaigns.services.push import _check_date, _check_open, _check_worker, _locked, record_step


def letter_issue(case, *, user, kind, version, issued_on=None):
    """Issue a letter of `kind` on the case, dated `issued_on` (today): its number, its file, its step."""
    if kind not in LetterKind.values:
        raise WorkflowError(_("Choose one of the letters."))
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        case = _locked(case, version)
        _check_worker(user, case)
        _check_open(case)
        _check_date(issued_on, case)
        unit = issuing_unit_for(user.organisation)
        if unit is None:
            raise WorkflowError(_("Your account belongs to no unit that issues letters."))
        serial = _next_serial(unit, issued_on.year)
        number = document_number(prefix_for(unit.division), issued_on.year, serial)
        content = documents.render(
            kind, enterprise=case.enterprise.name, unit=unit.name, number=number, issued_on=issued_on
        )
        letter = Letter(case=case, kind=kind, issuing_unit=unit, year=issued_on.year, serial=serial,
                        number=number, issued_on=issued_on, issued_by=user)  # fmt: skip
        letter.file.save(f"{serial}.docx", ContentFile(content), save=False)
        try:
            letter.save()
            record_step(case, user=user, kind=CaseStep.Kind.MEASURE, grade=Grade.LETTERS, happened_on=issued_on,
                        who=unit.name, note=f"{documents.DOCUMENT_NAMES[kind]} {number}")  # fmt: skip
        except Exception:
            # No file is left behind without its row.
            letter.file.delete(save=False)
            raise
    return letter


def _next_serial(unit, year):
    """The unit's next serial number for the year, its counter locked until the transaction ends.

    The year's first letter makes the counter; get_or_create takes the row another clerk made at the same moment
    (it waits for that transaction, then finds the row) instead of failing.
    """
    LetterCounter.objects.get_or_create(unit=unit, year=year)
    counter = LetterCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial
