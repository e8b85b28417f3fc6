import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Conclusion, ReportKind, Submission, Threshold

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


# How far ahead a new due date may lie: a campaign runs within a year.
LATEST_EXTENSION_DAYS = 366


class FutureDateField(forms.DateField):
    """A day from today to a year ahead: what an extension can sensibly ask for or grant."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        today = timezone.localdate()
        if value is not None and value < today:
            raise forms.ValidationError(_("The new date cannot be in the past."))
        if value is not None and value > today + datetime.timedelta(days=LATEST_EXTENSION_DAYS):
            raise forms.ValidationError(_("The new date must be within a year from today."))


class ReviewForm(forms.Form):
    """Carries the version the reviewer saw, so that a second reviewer's click is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(ReviewForm):
    reason = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    correction_due_on = FutureDateField(
        label=_("Resubmit by"),
        required=False,
        help_text=_("Needed once the deadline has passed: the unit may resubmit until this day."),
    )


class ExtensionForm(forms.Form):
    """The 组织部 grants more time directly (answering the unit's pending request, if it has one)."""

    due_on = FutureDateField(label=_("New due date"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ExtensionRequestForm(forms.Form):
    """Unit staff ask for more time: the date they want and why."""

    due_on = FutureDateField(label=_("Date you ask for"))
    reason = forms.CharField(
        label=_("Why the unit needs more time"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionDecisionForm(ReviewForm):
    """The 组织部's answer to a request: grant until a date it decides, or refuse with a reason."""

    GRANT, REFUSE = "grant", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(GRANT, _("Grant")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    due_on = FutureDateField(
        label=_("Granted until"), required=False, help_text=_("The date asked for is filled in; you may change it.")
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when refusing: the unit sees it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.GRANT and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date the unit may hand the report in by."))
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is refused."))
        return data


class CampaignCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new campaign"), min_value=2000, max_value=2100)


class ThresholdForm(forms.Form):
    """The scope threshold of every participating unit, one select each, and why it changes."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        required=False,
        help_text=_("Kept with each change and shown on the board, since the scope changes the unit's figures."),
    )

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            self.fields[f"threshold_{participation.pk}"] = forms.TypedChoiceField(
                label=participation.unit.name, choices=Threshold.choices, coerce=int, initial=participation.threshold
            )
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def clean(self):
        data = super().clean()
        if not self.errors and self.changes() and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the scope changes: the unit's survey figures change with it."))
        return data

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


class TaskFilterForm(forms.Form):
    """The task list's filters within the current or the ended campaigns: one campaign, a status."""

    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Every status")),
            ("todo", _("To be handed in")),
            ("overdue", _("Overdue")),
            ("returned", _("Returned for correction")),
            ("submitted", _("Waiting for review")),
            ("approved", _("Approved")),
        ],
    )

    def __init__(self, data, *, campaigns):
        super().__init__(data)
        self.campaigns = {campaign.pk: campaign for campaign in campaigns}
        self.fields["campaign"].choices = [("", _("Every campaign"))] + [
            (campaign.pk, str(campaign)) for campaign in campaigns
        ]

    def options(self):
        """The cleaned choices; anything malformed falls back to showing everything."""
        data = self.cleaned_data if self.is_valid() else {}
        campaign = self.campaigns.get(data.get("campaign"))
        return {"campaign": campaign, "status": data.get("status") or ""}


class BoardFilterForm(forms.Form):
    """Which units the board shows: every one, or those with a report in one state."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Every unit")),
            ("missing", _("Units with reports missing")),
            ("overdue", _("Units with reports overdue")),
            ("submitted", _("Units with reports to review")),
            ("returned", _("Units with returned reports")),
            ("extension", _("Units asking for an extension")),
        ],
    )

    ROWS = {
        "missing": lambda cell: not cell.done,
        "overdue": lambda cell: cell.overdue,
        "submitted": lambda cell: cell.status == Submission.Status.SUBMITTED,
        "returned": lambda cell: cell.status == Submission.Status.RETURNED,
        "extension": lambda cell: cell.request is not None,
    }

    def row_filter(self):
        """A test on a board row's cells: whether the row stays."""
        status = self.cleaned_data.get("status") if self.is_valid() else ""
        keep = self.ROWS.get(status)
        return (lambda cells: any(keep(cell) for cell in cells)) if keep else (lambda cells: True)


class BaselineForm(forms.Form):
    """The 2014 baselines of a members campaign: a number and its source per unit; a blank number removes it."""

    def __init__(self, *args, participations, baselines, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            baseline = baselines.get(participation.unit_id)
            unit = participation.unit.pk
            self.fields[f"number_{unit}"] = forms.IntegerField(
                label=_("%(unit)s: migrant-worker members in 2014") % {"unit": participation.unit.name},
                min_value=0,
                max_value=10_000_000,
                required=False,
                initial=baseline.migrant_members if baseline else None,
            )
            self.fields[f"source_{unit}"] = forms.CharField(
                label=_("%(unit)s: source") % {"unit": participation.unit.name},
                max_length=200,
                required=False,
                initial=baseline.source if baseline else "",
            )
            self.fields[f"version_{unit}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=baseline.version if baseline else 0
            )

    def clean(self):
        data = super().clean()
        for participation in self.participations:
            unit = participation.unit_id
            no_source = not (data.get(f"source_{unit}") or "").strip()
            if data.get(f"number_{unit}") is not None and no_source and f"source_{unit}" not in self.errors:
                self.add_error(f"source_{unit}", _("Name where this number comes from."))
        return data

    def rows(self):
        return [
            (p, self[f"number_{p.unit_id}"], self[f"source_{p.unit_id}"], self[f"version_{p.unit_id}"])
            for p in self.participations
        ]

    def entries(self):
        """{unit pk: (number or None, source, version seen)} for every unit on the form."""
        return {
            p.unit_id: (
                self.cleaned_data.get(f"number_{p.unit_id}"),
                self.cleaned_data.get(f"source_{p.unit_id}") or "",
                self.cleaned_data.get(f"version_{p.unit_id}") or 0,
            )
            for p in self.participations
        }


MEMBER_TARGET_FIELDS = ("new_migrant_members", "eighty_rate", "eight_haves_rate")


class MemberTargetForm(forms.Form):
    """目标任务分解 of a members campaign: new migrant-worker members, the 80% rate in 四要素 enterprises and the
    八有 rate, per unit; a blank figure sets no target."""

    def __init__(self, *args, participations, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            target = targets.get(participation.unit_id)
            unit, name = participation.unit_id, participation.unit.name
            self.fields[f"new_migrant_members_{unit}"] = forms.IntegerField(
                label=_("%(unit)s: new migrant-worker members") % {"unit": name},
                min_value=0,
                max_value=10_000_000,
                required=False,
                initial=target.new_migrant_members if target else None,
            )
            for field, label in (
                ("eighty_rate", _("%(unit)s: 四要素 enterprises at 80%% or more (%%)")),
                ("eight_haves_rate", _("%(unit)s: township unions meeting 八有 (%%)")),
            ):
                self.fields[f"{field}_{unit}"] = forms.DecimalField(
                    label=label % {"unit": name},
                    min_value=0,
                    max_value=100,
                    decimal_places=1,
                    required=False,
                    initial=getattr(target, field) if target else None,
                )
            self.fields[f"member_version_{unit}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, initial=target.version if target else 0
            )

    def rows(self):
        return [
            (p, *(self[f"{field}_{p.unit_id}"] for field in MEMBER_TARGET_FIELDS), self[f"member_version_{p.unit_id}"])
            for p in self.participations
        ]

    def entries(self):
        """{unit pk: ({field: value or None}, version seen)} for every unit on the form."""
        return {
            p.unit_id: (
                {field: self.cleaned_data.get(f"{field}_{p.unit_id}") for field in MEMBER_TARGET_FIELDS},
                self.cleaned_data.get(f"member_version_{p.unit_id}") or 0,
            )
            for p in self.participations
        }


class EightyFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Every enterprise")), ("below", _("Below 80 per cent")), ("met", _("80 per cent or more"))],
    )


class PracticeFilterForm(forms.Form):
    """Which model practices the catalogue lists: of one campaign, of units matching a name or code, 示范 only."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("Every campaign")
    )
    unit = forms.CharField(label=_("Unit (name or code)"), max_length=50, required=False)
    model_only = forms.BooleanField(label=_("Model practices (示范) only"), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns

    def options(self):
        """The filters that are valid; a bad one is left out (and its error shown), never an error page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "campaign": data.get("campaign"),
            "unit": (data.get("unit") or "").strip(),
            "model_only": bool(data.get("model_only")),
        }


class PracticeMarkForm(ReviewForm):
    """The headline under which the 组织部 holds a report's practices up as 示范, and an optional note."""

    title = forms.CharField(label=_("Headline"), max_length=100)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptanceForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=[("", "—")] + Conclusion.choices, required=False)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AcceptanceApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
