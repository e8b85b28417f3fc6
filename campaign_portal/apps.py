from django.apps import AppConfig


class CampaignPortalConfig(AppConfig):
    name = "campaign_portal"
    verbose_name = "Campaign portal"
