from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from campaign_portal.collation import by_pinyin
from campaign_portal.models import LoginAttempt, LoginFailure, LoginRecord, ThrottleHit


def pinyin_column(model, field):
    """A list column of a name that sorts by pinyin when its header is clicked (Django's would sort by code point)."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=by_pinyin(field))
    def column(obj):
        return getattr(obj, field)

    column.__name__ = field
    return column


# The task queue's own rows (in English only) stay out of the admin: the portal's background jobs show at /jobs/.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


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


# django-axes' records (AXES_ENABLE_ADMIN is off so that axes registers none of its own), with its admin's
# columns and filters, and the few labels it writes in English only said again in words we can translate.


@admin.register(LoginAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("Locked Out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}

    @admin.display(description=_("Expires At"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        threshold = timezone.now() - settings.AXES_COOLOFF_TIME
        count, _deleted = LoginAttempt.objects.filter(attempt_time__lte=threshold).delete()
        self.message_user(
            request,
            ngettext("%(count)d expired access attempt removed.", "%(count)d expired access attempts removed.", count)
            % {"count": count},
        )


@admin.register(LoginRecord)
class LoginRecordAdmin(AccessLogAdmin):
    pass


@admin.register(LoginFailure)
class LoginFailureAdmin(AccessFailureLogAdmin):
    pass
