import datetime
from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Threshold
from unions.models import Division


class DashboardForm(forms.Form):
    """What a dashboard, its Excel summary and the briefing show: place, source, threshold, comparison, date."""

    source = forms.TypedChoiceField(label=_("Figures from"), required=False, coerce=int, empty_value=None)
    threshold = forms.TypedChoiceField(
        label=_("Enterprises in scope"), choices=Threshold.choices, coerce=int, required=False, empty_value=None
    )
    compare = forms.TypedChoiceField(
        label=_("Compare with the previous campaign"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=True,
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2099-12-31"}),
        validators=[
            MinValueValidator(datetime.date(2000, 1, 1), message=_("Choose a date from 2000 to 2099.")),
            MaxValueValidator(datetime.date(2099, 12, 31), message=_("Choose a date from 2000 to 2099.")),
        ],
    )
    area = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, data, *, campaigns):
        super().__init__(data)
        self.campaigns = {campaign.pk: campaign for campaign in campaigns}
        self.fields["source"].choices = [("", _("The registry, live"))] + [
            (campaign.pk, _("%(campaign)s, approved reports") % {"campaign": campaign}) for campaign in campaigns
        ]

    def options(self):
        """The cleaned choices; a field that is missing or malformed falls back to its default on its own (the
        page says which were ignored), the others keep what was asked for."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form (no query string) has none
        source = self.campaigns.get(data.get("source"))
        # A campaign's own scope (25 for the 2015 plan) is the default wherever its figures are shown.
        return {
            "area": data.get("area") or "",
            "source": source,
            "threshold": data.get("threshold") or (source.default_threshold if source else 100),
            "compare": data.get("compare", True),
            "as_of": data.get("as_of"),
        }


def dashboard_query(options, **changes):
    """The query string of a dashboard with these options (and `changes`), for its links and downloads."""
    values = {
        "area": options["area"],
        "source": options["source"].pk if options["source"] else "",
        "threshold": options["threshold"],
        "compare": "1" if options["compare"] else "0",
        "as_of": options["as_of"].isoformat() if options["as_of"] else "",
    }
    values.update(changes)
    return urlencode({key: value for key, value in values.items() if value not in ("", None)})


class EnrolmentDashboardForm(forms.Form):
    """Which members campaign, and which organisation of one's own area (a code; another unit's is a 404)."""

    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    org = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, data, *, campaigns):
        super().__init__(data)
        self.campaigns = {campaign.pk: campaign for campaign in campaigns}
        self.fields["campaign"].choices = [(campaign.pk, str(campaign)) for campaign in campaigns]

    def options(self):
        """A malformed or unknown choice falls back to its default, as on the other dashboard."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"campaign": self.campaigns.get(data.get("campaign")), "org": (data.get("org") or "").strip()}


class HeadquartersFilterForm(forms.Form):
    """The headquarters report's filter: with a union, without, or both."""

    union = forms.ChoiceField(
        label=_("Union of the headquarters"),
        choices=[("", _("Any")), ("yes", _("With a union")), ("no", _("Without a union"))],
        required=False,
    )

    def chosen(self):
        return self.cleaned_data.get("union", "") if self.is_valid() else ""


class VetoListForm(forms.Form):
    """The veto list's campaign (whose organising cases it reads; the newest by default) and prefecture."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    prefecture = forms.ModelChoiceField(label=_("Prefecture"), queryset=Division.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-year", "-pk")
        self.fields["campaign"].empty_label = _("The newest campaign")
        self.fields["prefecture"].queryset = Division.objects.filter(level=Division.Level.PREFECTURE).order_by("code")
        self.fields["prefecture"].empty_label = _("The whole region")

    def options(self):
        """The campaign and prefecture asked for; a malformed choice falls back to the default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        campaign = data.get("campaign") or self.fields["campaign"].queryset.first()
        return campaign, data.get("prefecture")
