from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from unions.models import Division, UnionOrg, User


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(UnionOrg)
class UnionOrgAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "division", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("path", "depth", "version", "updated_at")
    list_select_related = ("division", "parent")
    autocomplete_fields = ("parent", "division")

    def has_add_permission(self, request):
        # The tree path is derived; new organisations come from the reference data or later services.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "code", "kind", "parent") if obj else self.readonly_fields


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation__kind")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Unit and role"), {"fields": ("organisation", "role", "phone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Unit and role"), {"fields": ("organisation", "role")}),
    )
