from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models.push import LetterKind


class LetterIssueForm(forms.Form):
    """Which letter to issue, with the case's version the clerk saw: a page left open while another clerk
    recorded on the case is refused."""

    kind = forms.ChoiceField(label=_("Letter"), choices=LetterKind.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
