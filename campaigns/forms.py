from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import ReportKind, Submission, Threshold

DATE_PLACEHOLDER = _("e.g. 2019-08-10 or 2019年8月10日")

# Which text fields each kind of report asks for, and how they are called there.
CONTENT_LABELS = {
    ReportKind.PLAN: {"results": _("The unit's work plan")},
    ReportKind.PROGRESS: {
        "results": _("Progress in this period"),
        "practices": _("Model practices and new approaches"),
    },
    ReportKind.SUMMARY: {
        "results": _("Results"),
        "practices": _("Practices and lessons"),
        "shortcomings": _("Shortcomings"),
        "next_steps": _("Next steps"),
    },
}


class ReportContentForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["results", "practices", "shortcomings", "next_steps"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        labels = CONTENT_LABELS.get(kind, {})
        for name in list(self.fields):
            if name in labels:
                self.fields[name].label = labels[name]
            else:
                del self.fields[name]


class HardCaseReasonsForm(forms.Form):
    """One reason per headquarters-type hard case, keyed by enterprise."""

    def __init__(self, *args, hard_cases, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.hard_cases = hard_cases
        for enterprise in hard_cases:
            self.fields[f"reason_{enterprise.pk}"] = forms.CharField(
                label=enterprise.name,
                required=False,
                max_length=300,
                initial=reasons.get(str(enterprise.pk), ""),
                widget=forms.TextInput(attrs={"placeholder": _("Why the prefecture cannot organise it alone")}),
            )

    def reasons(self):
        return {enterprise.pk: self.cleaned_data[f"reason_{enterprise.pk}"] for enterprise in self.hard_cases}

    def rows(self):
        return [(enterprise, self[f"reason_{enterprise.pk}"]) for enterprise in self.hard_cases]


class ReviewForm(forms.Form):
    """Carries the version the reviewer saw, so that a second reviewer's click is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(ReviewForm):
    reason = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    correction_due_on = forms.DateField(
        label=_("Resubmit by"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}),
        help_text=_("Needed once the deadline has passed: the unit may resubmit until this day."),
    )


class ExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The new date cannot be in the past."))
        return due_on


class CampaignCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new campaign"), min_value=2000, max_value=2100)


class ThresholdForm(forms.Form):
    """The scope threshold of every participating unit, one select each."""

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            self.fields[f"threshold_{participation.pk}"] = forms.TypedChoiceField(
                label=participation.unit.name, choices=Threshold.choices, coerce=int, initial=participation.threshold
            )

    def changes(self):
        return [
            (participation, self.cleaned_data[f"threshold_{participation.pk}"])
            for participation in self.participations
            if self.cleaned_data[f"threshold_{participation.pk}"] != participation.threshold
        ]


class TargetForm(forms.Form):
    """目标任务分解: a number of enterprises with a union and a coverage rate per unit; blank leaves a unit without."""

    def __init__(self, *args, participations, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            target = targets.get(participation.unit_id)
            self.fields[f"count_{participation.unit_id}"] = forms.IntegerField(
                label=_("%(unit)s: enterprises with a union") % {"unit": participation.unit.name},
                min_value=0,
                max_value=2_000_000,
                required=False,
                initial=target.union_count if target else None,
            )
            self.fields[f"rate_{participation.unit_id}"] = forms.DecimalField(
                label=_("%(unit)s: union coverage (%%)") % {"unit": participation.unit.name},
                min_value=0,
                max_value=100,
                decimal_places=1,
                required=False,
                initial=target.union_rate if target else None,
            )
            self.fields[f"version_{participation.unit_id}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=target.version if target else 0
            )

    def clean(self):
        data = super().clean()
        for participation in self.participations:
            count, rate = data.get(f"count_{participation.unit_id}"), data.get(f"rate_{participation.unit_id}")
            if (count is None) != (rate is None):
                field = f"rate_{participation.unit_id}" if rate is None else f"count_{participation.unit_id}"
                if field not in self.errors:
                    self.add_error(field, _("Enter both the number and the rate, or neither."))
        return data

    def rows(self):
        """(participation, count field, rate field) for the template."""
        return [
            (p, self[f"count_{p.unit_id}"], self[f"rate_{p.unit_id}"], self[f"version_{p.unit_id}"])
            for p in self.participations
        ]

    def entries(self):
        """{unit pk: (count, rate, version seen)} for every unit with both figures."""
        return {
            p.unit_id: (
                self.cleaned_data[f"count_{p.unit_id}"],
                self.cleaned_data[f"rate_{p.unit_id}"],
                self.cleaned_data.get(f"version_{p.unit_id}") or 0,
            )
            for p in self.participations
            if self.cleaned_data.get(f"count_{p.unit_id}") is not None
        }
