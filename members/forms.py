from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from members.ethnicity import ETHNICITIES
from members.idnumbers import normalise_id, normalise_phone
from members.models import (
    CURRENT_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    MembershipStatus,
    Sex,
    TransferCertificate,
)
from unions.models import UnionOrg

DATE_PLACEHOLDER = _("e.g. 2026-05-01")
CURRENT = "current"
ALL = "all"


class UnionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.short_name or obj.parent.name if obj.parent_id else ""
        return f"{parent} · {obj.name}" if parent else obj.name


def _employer_by_credit_code(user, code):
    code = (code or "").strip().upper()
    if not code:
        return None
    employer = Enterprise.objects.visible_to(user).filter(credit_code=code).first()
    if employer is None:
        raise ValidationError(_("No enterprise in your area has this unified social credit code."))
    return employer


class PersonFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNICITIES, initial="04")
    rural_household = forms.BooleanField(label=_("Rural household registration"), required=False)
    migrant_worker = forms.BooleanField(
        label=_("Migrant worker"),
        required=False,
        help_text=_("A worker with a rural (farming or herding) household registration in a non-agricultural job."),
    )

    def clean(self):
        data = super().clean()
        if data.get("migrant_worker") and not data.get("rural_household"):
            self.add_error("rural_household", _("A migrant worker has a rural household registration."))
        return data


ID_WIDGET = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"})


class EnrolForm(PersonFields):
    """A new member: the person's details and the membership's."""

    union = UnionChoiceField(label=_("Union"), queryset=UnionOrg.objects.none())
    id_number = forms.CharField(label=_("Resident ID number"), max_length=40, widget=ID_WIDGET)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    employer_code = forms.CharField(label=_("Employer (its unified social credit code)"), max_length=18, required=False)
    joined_on = forms.DateField(label=_("Date joined"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}))
    card_number = forms.CharField(label=_("Member card number"), max_length=30, required=False)

    field_order = ["union", "name", "id_number", "sex", "ethnicity", "phone", "rural_household", "migrant_worker"]

    def __init__(self, *args, user, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["union"].queryset = unions.select_related("parent")

    def clean_id_number(self):
        return normalise_id(self.cleaned_data["id_number"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_employer_code(self):
        return _employer_by_credit_code(self.user, self.cleaned_data["employer_code"])

    def clean_card_number(self):
        return self.cleaned_data["card_number"].strip() or None


class PersonForm(PersonFields):
    """Changes to a person; the numbers are typed again only to change them (they are never shown here)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("New resident ID number"),
        max_length=40,
        required=False,
        widget=ID_WIDGET,
        help_text=_("Leave empty to keep the number on file."),
    )
    phone = forms.CharField(
        label=_("New phone"), max_length=30, required=False, help_text=_("Leave empty to keep the number on file.")
    )
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return normalise_id(value) if value.strip() else None

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"]) or None

    def changes(self):
        data = dict(self.cleaned_data)
        changes = {field: data[field] for field in ["name", "sex", "ethnicity", "rural_household", "migrant_worker"]}
        if data["id_number"]:
            changes["id_number"] = data["id_number"]
        if data["clear_phone"]:
            changes["phone"] = ""
        elif data["phone"]:
            changes["phone"] = data["phone"]
        return changes


class MembershipForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    employer_code = forms.CharField(label=_("Employer (its unified social credit code)"), max_length=18, required=False)
    joined_on = forms.DateField(label=_("Date joined"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}))
    card_number = forms.CharField(label=_("Member card number"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_employer_code(self):
        return _employer_by_credit_code(self.user, self.cleaned_data["employer_code"])


# The usual reasons a membership is kept (保留会籍), offered as suggestions in the status form.
KEPT_REASONS = [_("Retired"), _("Out of work")]


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Membership status"), choices=MembershipStatus.choices)
    ended_on = forms.DateField(
        label=_("Date ended"), required=False, widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_(
            "Needed when the membership ends. A member who retires or loses their job keeps their membership: "
            'choose "Membership kept" and give the reason: retired or out of work.'
        ),
        widget=forms.TextInput(attrs={"list": "kept-reasons"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") and data["status"] not in CURRENT_STATUSES:
            if not data.get("ended_on"):
                self.add_error("ended_on", _("Give the date the membership ended."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason the membership ended."))
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full numbers?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. checking the member card application")}),
    )


class WithoutValueInput(forms.TextInput):
    """A text box that is never filled in again by the page that answers it."""

    def format_value(self, value):
        return None


class IdSearchForm(forms.Form):
    """Exact search by a full ID number: sent by POST, so that the number never appears in a URL,
    and not written back into the answering page."""

    id_number = forms.CharField(
        label=_("Full resident ID number"),
        max_length=40,
        widget=WithoutValueInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_id_number(self):
        return normalise_id(self.cleaned_data["id_number"])


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=50, required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    township = forms.CharField(label=_("Township or street union (code)"), max_length=40, required=False)
    union = forms.CharField(label=_("Union (code)"), max_length=40, required=False)
    enterprise = forms.IntegerField(label=_("Employer"), required=False, min_value=1, max_value=2**62)
    # Set by the links behind a campaign's figures: a unit and everything below it, the year joined.
    within = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    joined_year = forms.IntegerField(label=_("Joined in"), min_value=1950, max_value=2100, required=False)
    joined_until = forms.IntegerField(label=_("Joined by the end of"), min_value=1950, max_value=2100, required=False)
    migrant = forms.ChoiceField(
        label=_("Migrant worker"), required=False, choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
    )
    status = forms.ChoiceField(
        label=_("Membership status"),
        required=False,
        choices=[(CURRENT, _("Current (member or kept)")), (ALL, _("All")), *MembershipStatus.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        counties = UnionOrg.objects.visible_to(user).filter(kind=UnionOrg.Kind.COUNTY_FEDERATION)
        self.fields["county"].choices = [("", _("All"))] + [
            (org.code, org.name) for org in counties.only("code", "name").order_by("code")
        ]

    def narrows(self):
        """Whether the list is narrower than the area's current members (which the tallies count ahead).
        A value that is not valid is dropped by apply(), so it narrows nothing."""
        if not self.is_bound:
            return False
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or CURRENT
        return status != CURRENT or any(data.get(name) for name in self.fields if name != "status")

    def apply(self, memberships):
        if not self.is_bound:
            return memberships.current()
        if not self.is_valid():
            # A bad value is dropped, not answered with an error page: the rest of the filters still apply.
            for name in list(self.errors):
                self.cleaned_data.pop(name, None)
        data = self.cleaned_data
        status = data.get("status") or CURRENT
        if status == CURRENT:
            memberships = memberships.current()
        elif status != ALL:
            memberships = memberships.filter(status=status)
        for name in ("county", "township", "within"):
            if data.get(name):
                memberships = memberships.filter(union__path__contains=f"/{data[name]}/")
        if data.get("union"):
            memberships = memberships.filter(union__code=data["union"])
        if data.get("enterprise"):
            memberships = memberships.filter(employer_id=data["enterprise"])
        if data.get("migrant"):
            memberships = memberships.filter(person__migrant_worker=data["migrant"] == "yes")
        if data.get("joined_year"):
            memberships = memberships.filter(joined_on__year=data["joined_year"])
        if data.get("joined_until"):
            memberships = memberships.filter(joined_on__year__lte=data["joined_until"])
        if data.get("q"):
            memberships = memberships.filter(Q(person__name__contains=data["q"].strip()))
        return memberships


class ApplicationStepForm(forms.Form):
    """Return or reject an online application: the reason goes to the applicant."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApplicationAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    migrant_worker = forms.BooleanField(
        label=_("Migrant worker"),
        required=False,
        help_text=_("A worker with a rural household registration in a non-agricultural job."),
    )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *ApplicationStatus.choices]


def grouped_union_choices(unions):
    """The unions as choices grouped under their county (or prefecture, or reporting unit), in tree order."""
    groups = {
        org.code: org
        for org in UnionOrg.objects.exclude(kind__in=[UnionOrg.Kind.TOWNSHIP_UNION, UnionOrg.Kind.GRASSROOTS_UNION])
        .select_related("parent")
        .only("code", "name", "short_name", "kind", "parent__name", "parent__short_name", "parent__kind")
    }
    grouped = {}
    for union in unions.only("pk", "name", "path").order_by("path"):
        codes = [code for code in union.path.strip("/").split("/") if code in groups]
        group = groups[codes[-1]] if codes else None
        grouped.setdefault(_group_label(group), []).append((union.pk, union.name))
    return list(grouped.items())


def _group_label(org):
    if org is None:
        return ""
    parent = org.parent if org.parent_id and org.parent.kind == UnionOrg.Kind.PREFECTURE_FEDERATION else None
    return f"{parent.short_name or parent.name} · {org.name}" if parent else org.name


class CertificateIssueForm(forms.Form):
    to_union = forms.TypedChoiceField(
        label=_("Union the member moves to"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. changed employer")}),
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = unions
        self.fields["to_union"].choices = [("", _("Not known yet (any union may receive it)"))] + (
            grouped_union_choices(unions)
        )

    def clean_to_union(self):
        pk = self.cleaned_data["to_union"]
        return self.unions.filter(pk=pk).first() if pk is not None else None


class CertificateReceiveForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=20, widget=ID_WIDGET)
    code = forms.CharField(label=_("Verification code"), max_length=8, widget=ID_WIDGET)
    union = UnionChoiceField(
        label=_("Receiving union"),
        queryset=UnionOrg.objects.none(),
        required=False,
        empty_label=_("The union the certificate names"),
        help_text=_("Leave it as it is when the certificate names your union; choose one when it names none."),
    )
    employer_code = forms.CharField(
        label=_("New employer (its unified social credit code)"), max_length=18, required=False
    )

    def __init__(self, *args, user, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["union"].queryset = unions.select_related("parent")
        only = unions.first() if unions.count() == 1 else None
        if only is not None:
            self.fields["union"].initial = only.pk
            self.fields["union"].widget = forms.HiddenInput()

    def clean_employer_code(self):
        return _employer_by_credit_code(self.user, self.cleaned_data["employer_code"])

    def clean(self):
        """Without a chosen union, the one the certificate names, when the user may receive into it. The answer is
        the same whether the number is unknown or names no union of the user's, so nothing is learnt from it."""
        data = super().clean()
        if data.get("union") is None and data.get("number"):
            named = (
                TransferCertificate.objects.filter(
                    number=data["number"].strip().upper(), status=CertificateStatus.ISSUED
                )
                .values_list("to_union", flat=True)
                .first()
            )
            data["union"] = self.fields["union"].queryset.filter(pk=named).first() if named else None
            if data["union"] is None:
                self.add_error("union", _("Choose the union that receives the member."))
        return data


class CertificateCancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is the certificate cancelled?"), max_length=200)


class CertificateFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *CertificateStatus.choices]

    def apply(self, certificates):
        if self.is_bound and self.is_valid() and self.cleaned_data["status"]:
            return certificates.filter(status=self.cleaned_data["status"])
        return certificates
