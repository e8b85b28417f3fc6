"""The campaign records for the administrator to read: every write goes through the workflow's services, which keep
the transitions and the history, so the admin only shows them."""

from django.contrib import admin

from campaign_portal.admin import ReadOnlyModelAdmin
from campaigns.models import (
    Campaign,
    Extension,
    ExtensionRequest,
    ExtensionRequestTransition,
    Submission,
    ThresholdChange,
    Transition,
)


class TransitionInline(admin.TabularInline):
    model = Transition
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyModelAdmin):
    list_display = ("year", "name", "default_threshold", "created_at")
    search_fields = ("name",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "deadline", "status", "timeliness", "first_submitted_at", "submitted_at")
    list_filter = ("status", "timeliness", "deadline__stage__campaign")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "deadline__stage__campaign")
    # The frozen figures and enterprise list are data for the report page, which shows them in words.
    exclude = ("snapshot", "figures", "hard_case_reasons")
    inlines = [TransitionInline]


class RequestTransitionInline(TransitionInline):
    model = ExtensionRequestTransition


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "deadline", "due_on", "status", "requested_by", "requested_at")
    list_filter = ("status",)
    search_fields = ("unit__name", "reason")
    list_select_related = ("unit", "deadline__stage__campaign", "requested_by")
    inlines = [RequestTransitionInline]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "deadline", "due_on", "granted_by", "granted_at", "reason")
    search_fields = ("unit__name", "reason")
    list_select_related = ("unit", "deadline__stage__campaign", "granted_by")


@admin.register(ThresholdChange)
class ThresholdChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("changed_at", "participation", "before", "after", "changed_by", "reason")
    search_fields = ("participation__unit__name", "reason")
    list_select_related = ("participation__unit", "participation__campaign", "changed_by")
