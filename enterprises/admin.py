from django.contrib import admin

from campaign_portal.admin import ReadOnlyModelAdmin
from enterprises.models import Enterprise, EnterpriseChange


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "credit_code", "county", "headcount", "party_org", "union_status", "responsible_unit")
    list_filter = ("party_org", "union_status", "industry", "key_sector", "county__parent")
    search_fields = ("name", "credit_code")
    list_select_related = ("county", "responsible_unit")
    raw_id_fields = ("parent_group",)
    readonly_fields = ("version", "created_at", "updated_at")


@admin.register(EnterpriseChange)
class EnterpriseChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("changed_at", "name", "credit_code", "action", "changed_by")
    list_filter = ("action",)
    search_fields = ("name", "credit_code")
