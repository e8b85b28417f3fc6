from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"
    verbose_name = _("Portal")

    def ready(self):
        from campaign_portal.logins import count_login_failure

        # Every failed login, through any login page, counts against its address.
        user_login_failed.connect(count_login_failure, dispatch_uid="campaign_portal.count_login_failure")
