from django.contrib import admin

from campaign_portal.models import ThrottleHit


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Admin that only reads: the model's writes go through the portal's services, which keep the history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ThrottleHit)
class ThrottleHitAdmin(admin.ModelAdmin):
    """Counted events, such as failed logins by address. Deleting an address's records lifts its block at once."""

    list_display = ("at", "scope", "key")
    list_filter = ("scope",)
    search_fields = ("key",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
