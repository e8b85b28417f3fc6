import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign_portal.collation import by_pinyin
from enterprises import groups
from enterprises.credit_code import validate_credit_code
from enterprises.models import (
    FIGURES,
    HEADCOUNT_BANDS,
    MANUFACTURING,
    Enterprise,
    IndustrySection,
    KeySector,
    PartyOrg,
    UnionStatus,
)
from enterprises.services import ENTERED_FIELDS
from unions.models import Division, UnionOrg

DATE_PLACEHOLDER = _("e.g. 2019-08-10 or 2019年8月10日")
REPORTING_KINDS = [UnionOrg.Kind.PREFECTURE_FEDERATION, UnionOrg.Kind.REPORTING_UNIT]


def counties_for(user):
    counties = Division.objects.filter(level=Division.Level.COUNTY).select_related("parent")
    prefix = None if user.sees_everything else user.scope_division_prefix
    return counties.filter(code__startswith=prefix) if prefix else counties


def reporting_units_for(user):
    return UnionOrg.objects.visible_to(user).filter(kind__in=REPORTING_KINDS).order_by("code")


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}（{obj.code}）"


class EnterpriseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent_group_code = forms.CharField(
        label=_("Group headquarters (its credit code or name)"),
        required=False,
        max_length=200,
        help_text=_(
            "For a subsidiary: the unified social credit code or the exact name of its group headquarters, "
            "which may be in another prefecture."
        ),
    )

    class Meta:
        model = Enterprise
        fields = [field for field in ENTERED_FIELDS if field != "parent_group"]
        field_classes = {"county": CountyChoiceField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "registered_on": forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}),
            "union_founded_on": forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER}),
            "credit_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["county"].queryset = counties_for(user)
        self.fields["county"].empty_label = _("Choose a county")
        self.fields["industry"].choices = [("", _("Choose an industry section"))] + IndustrySection.choices
        units = self.fields["responsible_unit"]
        units.queryset = reporting_units_for(user)
        units.required = False
        units.empty_label = _("Default: the federation of the county's prefecture")
        if self.instance.responsible_unit_id:
            # The unit it reports through now, even one outside the user's own (the regional non-public enterprise
            # federation reports for enterprises located in a prefecture): saving must not quietly move it.
            units.queryset = UnionOrg.objects.filter(
                Q(pk__in=units.queryset.values("pk")) | Q(pk=self.instance.responsible_unit_id)
            ).order_by("code")
            units.empty_label = _("Keep the current unit (the new prefecture's federation if the county moves)")
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            if self.instance.parent_group_id:
                self.initial["parent_group_code"] = self.instance.parent_group.credit_code

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_parent_group_code(self):
        """The headquarters may be any enterprise of the registry, in whichever prefecture; never a loop."""
        text = self.cleaned_data["parent_group_code"].strip()
        if not text:
            return None
        found = groups.find_headquarters(text)
        if not found:
            raise forms.ValidationError(
                _("No enterprise in the registry has the credit code or name %(text)s.") % {"text": text}
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several enterprises are called %(text)s: give the credit code instead.") % {"text": text}
            )
        group = found[0]
        refusal = groups.headquarters_loop(self.instance, group)
        if refusal:
            raise forms.ValidationError(refusal)
        return group

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("operator_post") and not cleaned.get("operator_political_post"):
            self.add_error(
                "operator_post", _("Tick that the operator holds a political post, or leave the post empty.")
            )
        if cleaned.get("union_status") == UnionStatus.NONE and cleaned.get("union_founded_on"):
            self.add_error("union_founded_on", _("An enterprise without a union has no union founding date."))
        today = timezone.localdate()
        for field in ("registered_on", "union_founded_on"):
            if cleaned.get(field) and cleaned[field] > today:
                self.add_error(field, _("This date cannot be in the future."))
        return cleaned

    def entered_data(self):
        data = {field: self.cleaned_data[field] for field in self._meta.fields}
        data["parent_group"] = self.cleaned_data["parent_group_code"]
        return data


FLAGS = {
    "hard_case": (_("Headquarters-type hard case"), Q(beyond_local_reach=True, union_status=UnionStatus.NONE)),
    "operates_across_prefectures": (_("Operates across prefectures"), Q(operates_across_prefectures=True)),
    "long_without_union": (_("Long without a union"), Q(long_without_union=True)),
    "operator_political_post": (_("Operator holds a political post"), Q(operator_political_post=True)),
    "well_known": (_("Well known"), Q(well_known=True)),
    "internet_industry": (_("Internet industry"), Q(internet_industry=True)),
    "manufacturing": (_("Manufacturing"), Q(industry=MANUFACTURING)),
    "development_zone": (_("In a development zone"), ~Q(development_zone="")),
    "subsidiary": (_("Subsidiary of a group"), Q(parent_group__isnull=False)),
}

# Each order ends in a unique key running the same way as the rest, so that one index (in models.Enterprise.Meta)
# serves it page by page, read forwards or backwards, at any size of the registry. The first is the default: by
# county, as the statistical forms list them, then by name; a place's staff read it straight from the index.
SORTS = {
    "county": (("county_id", by_pinyin("name"), "pk"), _("County, then name")),
    "name": ((by_pinyin("name"), "pk"), _("Name")),
    "-headcount": (("-headcount", "-pk"), _("Headcount, largest first")),
    "headcount": (("headcount", "pk"), _("Headcount, smallest first")),
    "-updated": (("-updated_at", "-pk"), _("Last changed")),
    "credit_code": (("credit_code",), _("Credit code")),
}
DEFAULT_SORT = "county"
# A search term that could be part of a credit code (18 digits or capital letters) is looked for in the codes too.
CODE_FRAGMENT = re.compile(r"[0-9A-Z]+")


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    prefecture = forms.ModelChoiceField(label=_("Prefecture"), queryset=Division.objects.none(), required=False)
    county = CountyChoiceField(label=_("County"), queryset=Division.objects.none(), required=False)
    band = forms.TypedChoiceField(
        label=_("Headcount"),
        choices=[("", _("Any headcount"))]
        + [(band, _("%(band)s or more") % {"band": band}) for band in HEADCOUNT_BANDS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    party_org = forms.ChoiceField(
        label=_("Party organisation"), choices=[("", _("Any"))] + PartyOrg.choices, required=False
    )
    union_status = forms.ChoiceField(label=_("Union"), choices=[("", _("Any"))] + UnionStatus.choices, required=False)
    key_sector = forms.ChoiceField(
        label=_("Key sector"), choices=[("", _("Any"))] + KeySector.choices[1:], required=False
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("Any"))] + IndustrySection.choices, required=False
    )
    four_criteria = forms.BooleanField(label=_("Meets the four criteria"), required=False)
    small = forms.BooleanField(label=_("Fewer than 25 staff"), required=False)
    # Set by the links behind a figure: the enterprises a unit reports for, and one survey figure.
    unit = forms.CharField(widget=forms.HiddenInput, required=False)
    figure = forms.ChoiceField(
        widget=forms.HiddenInput, choices=[("", "")] + [(name, name) for name in FIGURES], required=False
    )
    flags = forms.MultipleChoiceField(
        label=_("Flags"),
        choices=[(key, label) for key, (label, _condition) in FLAGS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[(key, label) for key, (_field, label) in SORTS.items()], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        counties = counties_for(user)
        self.fields["county"].queryset = counties
        self.fields["county"].empty_label = self.fields["prefecture"].empty_label = _("Any")
        self.fields["prefecture"].queryset = Division.objects.filter(
            code__in=counties.values("parent_id").distinct()
        ).order_by("code")

    def apply(self, queryset):
        """Narrow the (already scoped) queryset by what the user chose; an invalid choice is ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        if query := (data.get("q") or "").strip():
            by_name = Q(name__icontains=query)
            code = query.upper()
            queryset = queryset.filter(
                by_name | Q(credit_code__contains=code) if CODE_FRAGMENT.fullmatch(code) else by_name
            )
        if data.get("prefecture"):
            queryset = queryset.filter(county__parent=data["prefecture"])
        if data.get("county"):
            queryset = queryset.filter(county=data["county"])
        if data.get("band"):
            queryset = queryset.in_scope(data["band"])
        for field in ("party_org", "union_status", "key_sector", "industry"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("unit"):
            unit = UnionOrg.objects.visible_to(self.user).filter(code=data["unit"]).first()
            queryset = queryset.reported_by(unit) if unit else queryset.none()
        if data.get("figure"):
            queryset = queryset.with_figure(data["figure"])
        if data.get("four_criteria"):
            queryset = queryset.meeting_four_criteria()
        if data.get("small"):
            queryset = queryset.small()
        for flag in data.get("flags", []):
            queryset = queryset.filter(FLAGS[flag][1])
        return queryset.order_by(*SORTS[data.get("sort") or DEFAULT_SORT][0])


class CoverageStartForm(forms.Form):
    """Add an enterprise to a grassroots union's coverage: by its credit code, within what the user may see."""

    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    valid_from = forms.DateField(
        label=_("Covered from"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            self.initial["valid_from"] = timezone.localdate()

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Enterprise.objects.visible_to(self.user).filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise in your area has this credit code."))
        return enterprise


class CoverageEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day covered"), widget=forms.DateInput(attrs={"placeholder": DATE_PLACEHOLDER})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["valid_to"] = timezone.localdate()
