"""Forms of the public join pages (members.views.joining): the application, its correction and the status look-up.

Every message is the portal's own msgid, so that the Tibetan catalogue covers it (Django ships no Tibetan).
"""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from members.ethnicity import ETHNICITIES, ETHNICITY_NAMES
from members.idnumbers import normalise_id, normalise_phone
from members.services.applying import covering_union
from unions.models import UnionOrg

REQUIRED = {"required": _("Please fill in this field.")}
CHOICE = {"required": _("Please choose one."), "invalid_choice": _("Please choose one of the listed options.")}
DEFAULT_ETHNICITY = "04" if "04" in ETHNICITY_NAMES else ""
EMPLOYER_HITS = 10
MIN_SEARCH_LENGTH = 2


class JoinCaptchaInput(CaptchaTextInput):
    template_name = "join/_captcha_widget.html"  # members/templates: widgets render through app directories


def captcha_field():
    return CaptchaField(
        label=_("Answer the sum in the picture"),
        widget=JoinCaptchaInput(),
        error_messages={
            "invalid": _("The answer to the sum is wrong or was already used. Answer the new sum."),
            "required": _("Please answer the sum in the picture."),
            "incomplete": _("Please answer the sum in the picture."),
        },
    )


def employer_hits(query):
    """At most ten enterprises whose name contains the query (two characters or more), with their county."""
    query = (query or "").replace("\x00", "").strip()
    if len(query) < MIN_SEARCH_LENGTH:
        return []
    return list(Enterprise.objects.filter(name__contains=query[:50]).select_related("county")[:EMPLOYER_HITS])


# The county choices as last read, with the mark of the county federations they were read at.
_kept_counties = {}


def county_choices():
    """The county federations, grouped by prefecture, as (division code, county name).

    Every form page shows them, and they change only when the union tree does: they are read again when the
    county federations' number or last change differs from the last reading, which one small query tells.
    """
    counties = UnionOrg.objects.filter(kind=UnionOrg.Kind.COUNTY_FEDERATION, division__isnull=False)
    mark = tuple(counties.aggregate(count=Count("pk"), changed=Max("updated_at")).values())
    if _kept_counties.get("mark") != mark:
        groups = {}
        for county in counties.select_related("division", "parent__division").order_by("path"):
            prefecture = county.parent.division.name if county.parent and county.parent.division else ""
            groups.setdefault(prefecture, []).append((county.code, county.division.name))
        _kept_counties.update(mark=mark, groups=list(groups.items()))
    return [("", _("Choose the county or district")), *_kept_counties["groups"]]


def township_unions(county_code):
    """The township and street unions of a county; none for anything but a county code (digits only)."""
    if not (county_code or "").isdigit():
        return UnionOrg.objects.none()
    return UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION, parent__code=county_code).order_by("path")


class EmployerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.county.name}"


class ApplicantFields(forms.Form):
    """What the applicant writes about themselves and their workplace, on the form and on its correction."""

    name = forms.CharField(label=_("Your name"), max_length=50, error_messages=REQUIRED)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, error_messages=REQUIRED)
    ethnicity = forms.ChoiceField(
        label=_("Ethnic group"), choices=ETHNICITIES, initial=DEFAULT_ETHNICITY, error_messages=CHOICE
    )
    rural_household = forms.TypedChoiceField(
        label=_("Household registration"),
        choices=[("1", _("Rural (farming or herding)")), ("0", _("Not rural (town)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages=CHOICE,
    )
    household_place = forms.CharField(
        label=_("Place of household registration"),
        max_length=100,
        help_text=_("For example: 日喀则市南木林县艾玛乡"),
        error_messages=REQUIRED,
    )
    employer_query = forms.CharField(label=_("Search your employer by name"), max_length=50, required=False)
    employer = EmployerChoice(
        label=_("Your employer"),
        queryset=Enterprise.objects.select_related("county"),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=CHOICE,
    )
    no_union = forms.BooleanField(label=_("My workplace has no union, or it is not in the list"), required=False)
    workplace = forms.CharField(label=_("Name of your workplace"), max_length=100, required=False)
    county = forms.ChoiceField(label=_("County or district of your workplace"), required=False, error_messages=CHOICE)
    township_union = forms.ModelChoiceField(
        label=_("Township or street union of your workplace"),
        queryset=UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION),
        required=False,
        empty_label=_("Choose the township or street"),
        error_messages=CHOICE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = county_choices()
        self.hits = employer_hits(self.data.get("employer_query") if self.is_bound else "")
        chosen = self._chosen_employer()
        shown = self.hits + ([chosen] if chosen and chosen not in self.hits else [])
        self.fields["employer"].queryset = (
            Enterprise.objects.filter(pk__in=[e.pk for e in shown]) if self.is_bound else (Enterprise.objects.none())
        )
        self.employer_options = shown
        self.employer_query_text = (self.data.get("employer_query") or "").strip() if self.is_bound else ""
        county = self.data.get("county") if self.is_bound else self.initial.get("county")
        self.county_groups = self.fields["county"].choices[1:]
        self.chosen_county = county or ""
        unions = township_unions(county) if county else []
        self.fields["township_union"].choices = [
            ("", self.fields["township_union"].empty_label),
            *[(union.pk, union.name) for union in unions],
        ]

    def _chosen_employer(self):
        value = self.data.get("employer") if self.is_bound else self.initial.get("employer")
        if not value or not str(value).isdigit():
            return None
        return Enterprise.objects.select_related("county").filter(pk=value).first()

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        employer = data.get("employer")
        if covering_union(employer) is not None:
            return data  # the employer's grassroots union takes the application
        if employer is None and not data.get("workplace", "").strip():
            self.add_error("workplace", _("Choose your employer above or write the name of your workplace."))
        if data.get("township_union") is None:
            self.add_error("township_union", _("Choose the township or street union of the place where you work."))
        return data

    def applicant_values(self):
        data = self.cleaned_data
        takes_township = covering_union(data.get("employer")) is None
        return {
            "name": data["name"],
            "phone": data["phone"],
            "ethnicity": data["ethnicity"],
            "rural_household": data["rural_household"],
            "household_place": data["household_place"],
            "employer": data.get("employer"),
            "workplace": data.get("workplace", ""),
            "township_union": data.get("township_union") if takes_township else None,
        }


class ApplyForm(ApplicantFields):
    field_order = ["name", "id_number", "phone", "ethnicity", "rural_household", "household_place"]

    id_number = forms.CharField(label=_("Resident ID number"), max_length=25, error_messages=REQUIRED)
    consent = forms.BooleanField(
        label=_("I have read the text above and agree to the processing of my sensitive personal information."),
        error_messages={"required": _("Without your separate consent the application cannot be sent.")},
    )
    captcha = captcha_field()

    def clean_id_number(self):
        return normalise_id(self.cleaned_data["id_number"])

    def applicant_values(self):
        return {**super().applicant_values(), "id_number": self.cleaned_data["id_number"], "consent": True}


class CorrectForm(ApplicantFields):
    version = forms.IntegerField(widget=forms.HiddenInput)
    captcha = captcha_field()


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=20, error_messages=REQUIRED)
    id_last4 = forms.CharField(label=_("Last four characters of your ID number"), max_length=4, error_messages=REQUIRED)
    phone = forms.CharField(label=_("Mobile phone given on the application"), max_length=20, error_messages=REQUIRED)
    captcha = captcha_field()

    def clean_id_last4(self):
        value = self.cleaned_data["id_last4"].strip().upper()
        if len(value) != 4:
            raise ValidationError(_("Write the last four characters of your ID number."))
        return value
