from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.backends.signals import connection_created
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.conf.locale import LANG_INFO

        # Django knows no Tibetan; the public join pages speak it (settings.LANGUAGES), so tell Django its name.
        LANG_INFO.setdefault("bo", {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་ཡིག"})
        from campaign_portal import sessions  # noqa: F401 (connects the refresh at sign-in)
        from campaign_portal.collation import register_sqlite_collation
        from campaign_portal.logins import count_login_failure

        # SQLite learns the pinyin collation on every connection, before anything (a migration, too) uses it.
        connection_created.connect(register_sqlite_collation, dispatch_uid="campaign_portal.pinyin_collation")

        # Every failed login, through any login page, counts against its address.
        user_login_failed.connect(count_login_failure, dispatch_uid="campaign_portal.count_login_failure")

        # Each app's jobs module registers the background jobs it can run (campaign_portal.jobs).
        autodiscover_modules("jobs")
