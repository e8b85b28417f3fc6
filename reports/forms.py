from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Threshold


class DashboardForm(forms.Form):
    """What a dashboard, its Excel summary and the briefing show: place, source, threshold, comparison, date."""

    area = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.TypedChoiceField(label=_("Figures from"), required=False, coerce=int, empty_value=None)
    threshold = forms.TypedChoiceField(
        label=_("Enterprises in scope"), choices=Threshold.choices, coerce=int, required=False, empty_value=100
    )
    compare = forms.TypedChoiceField(
        label=_("Compare with the previous campaign"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=True,
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, campaigns):
        super().__init__(data)
        self.campaigns = {campaign.pk: campaign for campaign in campaigns}
        self.fields["source"].choices = [("", _("The registry, live"))] + [
            (campaign.pk, _("%(campaign)s, approved reports") % {"campaign": campaign}) for campaign in campaigns
        ]

    def options(self):
        """The cleaned choices, falling back to the defaults for anything missing or malformed."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "area": data.get("area") or "",
            "source": self.campaigns.get(data.get("source")),
            "threshold": data.get("threshold") or 100,
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
