"""The administrator's view of the member rolls: read-only, masked, and the log of who saw full numbers."""

from django.contrib import admin

from campaign_portal.admin import ReadOnlyModelAdmin
from members.models import Membership, Person, PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyModelAdmin):
    list_display = ("at", "user", "kind", "person", "organisation", "rows", "reason")
    list_filter = ("kind",)
    search_fields = ("user__username", "person__name", "reason")
    date_hierarchy = "at"
    list_select_related = ("user", "person", "organisation")


@admin.register(Person)
class PersonAdmin(ReadOnlyModelAdmin):
    """Masked numbers only: full numbers are seen in the portal, for a logged reason."""

    list_display = ("name", "id_masked", "sex", "ethnicity", "phone_masked", "migrant_worker")
    list_filter = ("migrant_worker", "sex")
    search_fields = ("name",)
    exclude = ("id_number", "phone")
    readonly_fields = ("id_masked", "phone_masked", "birth_date")

    def get_queryset(self, request):
        return super().get_queryset(request).without_secrets()


@admin.register(Membership)
class MembershipAdmin(ReadOnlyModelAdmin):
    list_display = ("person", "union", "employer", "joined_on", "status", "card_number")
    list_filter = ("status",)
    search_fields = ("person__name", "card_number", "union__name")
    list_select_related = ("person", "union", "employer")
    raw_id_fields = ("person", "union", "employer")
