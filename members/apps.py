from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from members import crypto

        # A missing or malformed key stops the portal at start-up, not at the first member saved.
        crypto.check_keys()
