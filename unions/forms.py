import re

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from unions.models import UnionOrg
from unions.services import CONTACT_FIELDS

PHONE_PATTERN = re.compile(r"^[0-9+()\- ]{5,40}$")


class UnionOrgContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = UnionOrg
        fields = CONTACT_FIELDS
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "founded_on": forms.DateInput(attrs={"placeholder": _("e.g. 2019-08-10 or 2019年8月10日")}),
        }
        help_texts = {"founded_on": _("Either 2019-08-10 or 2019年8月10日.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version

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

    def contact_changes(self):
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS}


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
