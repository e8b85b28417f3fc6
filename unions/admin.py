from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from campaign_portal.admin import pinyin_column
from unions.forms import PortalAdminPasswordChangeForm
from unions.models import Division, StatisticalDivision, UnionOrg, User
from unions.services import grant_admin_flags


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", pinyin_column(Division, "name"), "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("code", "level", "parent")

    # Divisions are reference data from GB/T 2260: loaded by load_reference_data, never added by hand.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatisticalDivision)
class StatisticalDivisionAdmin(admin.ModelAdmin):
    list_display = ("code", pinyin_column(StatisticalDivision, "name"), "level", "division", "township")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("code", "level", "area_code", "division", "township")
    list_select_related = ("division", "township")

    # Statistical codes are reference data of the NBS: loaded by load_reference_data, never added by hand.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnionOrg)
class UnionOrgAdmin(admin.ModelAdmin):
    list_display = (pinyin_column(UnionOrg, "name"), "code", "kind", "division", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    readonly_fields = ("path", "depth", "version", "updated_at")
    list_select_related = ("division", "parent")
    autocomplete_fields = ("parent", "division", "statistical_division")

    def has_add_permission(self, request):
        # The tree path is derived; new organisations come from the reference data or later services.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "code", "kind", "parent") if obj else self.readonly_fields


# Roles decide what an account may do; Django's groups are not used, and their permission lists would only show
# permission names that Django stores in English.
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", pinyin_column(User, "first_name"), "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation__kind")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    # The role decides what an account may do; Django's own groups and permission flags are not used.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Unit and role"), {"fields": ("organisation", "role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Unit and role"), {"fields": ("organisation", "role")}),
    )
    readonly_fields = ("last_login", "date_joined")
    change_password_form = PortalAdminPasswordChangeForm

    def save_model(self, request, obj, form, change):
        grant_admin_flags(obj)
        super().save_model(request, obj, form, change)
