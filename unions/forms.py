import re

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from unions.evidence import ACCEPT as EVIDENCE_ACCEPT
from unions.models import GrassrootsForm, StatisticalDivision, UnionOrg
from unions.services import CONTACT_FIELDS

PHONE_PATTERN = re.compile(r"^[0-9+()\- ]{5,40}$")


CONTACT_WIDGETS = {
    "phone": forms.TextInput(attrs={"inputmode": "tel"}),
    "founded_on": forms.DateInput(attrs={"placeholder": _("e.g. 2019-08-10 or 2019年8月10日")}),
}
CONTACT_HELP = {"founded_on": _("Either 2019-08-10 or 2019年8月10日.")}


class ContactChecks:
    """The checks of a phone number and a founding date, for every form that edits them."""

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(_("Enter a phone number with digits, spaces, dashes or brackets only."))
        return phone

    def clean_founded_on(self):
        founded_on = self.cleaned_data["founded_on"]
        if founded_on and founded_on > timezone.localdate():
            raise forms.ValidationError(_("The founding date cannot be in the future."))
        return founded_on


class UnionOrgContactForm(ContactChecks, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = UnionOrg
        fields = CONTACT_FIELDS
        widgets = CONTACT_WIDGETS
        help_texts = CONTACT_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def contact_changes(self):
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


class GrassrootsUnionForm(ContactChecks, forms.ModelForm):
    """A grassroots union's name, form, village and contact details; the parent comes from the page."""

    village_code = forms.RegexField(
        label=_("Village or community code"),
        regex=r"^[0-9]{12}$",
        required=False,
        help_text=_("The 12-digit statistical code; required for a village union."),
        error_messages={"invalid": _("Enter the 12-digit statistical code.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UnionOrg
        fields = ("name", "short_name", "form", *CONTACT_FIELDS)
        widgets = CONTACT_WIDGETS
        help_texts = CONTACT_HELP

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["form"].required = True
        self.fields["form"].choices = GrassrootsForm.choices
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["village_code"] = self.instance.statistical_division_id or ""

    def clean_village_code(self):
        code = self.cleaned_data["village_code"]
        if not code:
            return None
        village = StatisticalDivision.objects.filter(code=code, level=StatisticalDivision.Level.VILLAGE).first()
        if village is None:
            raise forms.ValidationError(_("No village or community has this code."))
        return village

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("form") == GrassrootsForm.VILLAGE
            and not cleaned.get("village_code")
            and not self.has_error("village_code")
        ):
            self.add_error("village_code", _("A village union needs the statistical code of its village."))
        return cleaned

    def union_fields(self):
        fields = {name: self.cleaned_data[name] for name in ("name", "short_name", "form", *CONTACT_FIELDS)}
        fields["statistical_division"] = self.cleaned_data["village_code"]
        return fields


class DirectorySearchForm(forms.Form):
    """The directory's search box: a name, short name or code."""

    q = forms.CharField(label=_("Search by name or code"), required=False, max_length=100)


class PortalAdminPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's form for setting an account's password, with Django's warning said in a translatable message.

    Django appends the warning to the help text in English only; the admin's script shows and hides it by its id.
    """

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class EightHavesItemForm(forms.Form):
    """One item of a township union's 八有 checklist; the service decides whether the assessment stands."""

    met = forms.BooleanField(label=_("Met"), required=False)
    note = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was seen and where: names of the staff, the rules adopted, the venue's address, …"),
    )
    attachment = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=format_lazy(
            "{} {}",
            _("PDF, Word (.docx), Excel (.xlsx) or a PNG, JPEG or GIF image, at most 10 MB."),
            _("A new file replaces the earlier one."),
        ),
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        widget=forms.DateInput(attrs={"placeholder": _("e.g. 2019-08-10 or 2019年8月10日")}),
        help_text=_("Either 2019-08-10 or 2019年8月10日."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entry is not None:
            self.initial.update(
                {"met": entry.met, "note": entry.note, "assessed_on": entry.assessed_on, "version": entry.version}
            )
        else:
            self.initial.update({"assessed_on": timezone.localdate(), "version": 0})

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the assessment cannot be in the future."))
        return assessed_on

    def assessment(self):
        data = self.cleaned_data
        return {
            "met": data["met"],
            "note": data["note"].strip(),
            "assessed_on": data["assessed_on"],
            "attachment": data["attachment"] or None,
            "version": data["version"],
        }


class EightHavesFilterForm(forms.Form):
    """The overview's filters: one county of the area, and whether the union meets the standard."""

    MEETS_CHOICES = [("", _("All")), ("yes", _("Meets the standard")), ("no", _("Does not meet the standard"))]

    county = forms.ChoiceField(label=_("County"), required=False)
    meets = forms.ChoiceField(label=_("Eight-haves standard"), required=False, choices=MEETS_CHOICES)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties")), *[(d.code, d.name) for d in counties]]
