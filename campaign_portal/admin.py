from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Admin that only reads: the model's writes go through the portal's services, which keep the history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
