"""The push phase's forms: designating a key enterprise, recording on its case, filtering the cases."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DATE_PLACEHOLDER, ReviewForm
from campaigns.models import CaseStatus, FoundingStep, Grade, KeyCriterion
from campaigns.services.push import MAX_ATTACHMENTS_PER_STEP, MAX_HEADCOUNT_SETTING


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the service checks their number, size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(each, initial) for each in files]


def _date_field(label):
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER})
    )


class DesignateForm(forms.Form):
    responsible_person = forms.CharField(label=_("Person responsible"), max_length=50)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class KeyHeadcountForm(forms.Form):
    key_headcount = forms.IntegerField(
        label=_("Staff that make an enterprise large"), min_value=1, max_value=MAX_HEADCOUNT_SETTING
    )


class MeasureForm(ReviewForm):
    grade = forms.TypedChoiceField(label=_("Measure"), choices=Grade.choices, coerce=int)
    happened_on = _date_field(_("Date"))
    who = forms.CharField(label=_("Who"), max_length=100, help_text=_("The unit and people who took the measure."))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Up to %(count)d files: PDF, Word, Excel or images, 10 MB each.")
        % {"count": MAX_ATTACHMENTS_PER_STEP},
    )


class FoundingStepForm(ReviewForm):
    founding_step = forms.ChoiceField(label=_("Founding step"), choices=FoundingStep.choices)
    happened_on = _date_field(_("Date"))
    who = forms.CharField(label=_("Who"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"))


class FoundUnionForm(ReviewForm):
    union = forms.ModelChoiceField(
        label=_("The union founded"),
        queryset=None,
        help_text=_("The grassroots union that now covers the enterprise; create it on its union's page first."),
    )
    founded_on = _date_field(_("Date founded"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions


class WithdrawForm(ReviewForm):
    reason = forms.CharField(
        label=_("Why it is no longer key"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], required=False)
    grade = forms.TypedChoiceField(
        label=_("Highest measure"),
        choices=[("", _("Any")), (0, _("No measure yet")), *Grade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    stale = forms.BooleanField(label=_("No step for 30 days"), required=False)
    letters = forms.BooleanField(label=_("With letters"), required=False)
    q = forms.CharField(label=_("Enterprise (name or credit code)"), max_length=100, required=False)
    # Set by the dashboard's links: the division the figures were counted in.
    area = forms.RegexField(regex=r"^54\d{4}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prefectures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", _("Every prefecture")), *prefectures]

    def options(self):
        """The valid filters; a bad one is left out (and its error shown), never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "grade": data.get("grade"),
            "prefecture": data.get("prefecture") or "",
            "stale": bool(data.get("stale")),
            "letters": bool(data.get("letters")),
            "q": (data.get("q") or "").strip(),
            "area": data.get("area") or "",
        }


class SuggestionFilterForm(forms.Form):
    criterion = forms.ChoiceField(
        label=_("Criterion"), choices=[("", _("Any criterion")), *KeyCriterion.choices], required=False
    )
    q = forms.CharField(
        label=_("Or any enterprise without a union (name or credit code)"), max_length=100, required=False
    )

    def options(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"criterion": data.get("criterion") or "", "q": (data.get("q") or "").strip()}
