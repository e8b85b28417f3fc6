from django.contrib import admin

from campaign_portal.admin import ReadOnlyModelAdmin, pinyin_column
from enterprises.models import Enterprise, EnterpriseChange, ImportBatch, UnionCoverage


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyModelAdmin):
    list_display = (
        pinyin_column(Enterprise, "name"),
        "credit_code",
        "county",
        "headcount",
        "party_org",
        "union_status",
        "responsible_unit",
    )
    list_filter = ("party_org", "union_status", "industry", "key_sector", "county__parent")
    search_fields = ("name", "credit_code")
    list_select_related = ("county", "responsible_unit")
    raw_id_fields = ("parent_group",)
    readonly_fields = ("version", "created_at", "updated_at")


@admin.register(EnterpriseChange)
class EnterpriseChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("changed_at", pinyin_column(EnterpriseChange, "name"), "credit_code", "action", "changed_by")
    list_filter = ("action",)
    search_fields = ("name", "credit_code")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "file_name", "status", "created_by", "row_count", "new_count", "changed_count")
    list_filter = ("status",)
    search_fields = ("file_name", "created_by__username")
    list_select_related = ("created_by",)
    # The checked rows can run to a hundred thousand; the counts and the errors say what the admin needs.
    exclude = ("fields", "rows")


@admin.register(UnionCoverage)
class UnionCoverageAdmin(ReadOnlyModelAdmin):
    list_display = ("enterprise", "union", "valid_from", "valid_to", "created_by")
    list_filter = ("union__form",)
    search_fields = ("enterprise__name", "enterprise__credit_code", "union__name", "union__code")
    list_select_related = ("enterprise", "union", "created_by")
