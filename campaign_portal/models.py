import uuid

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ThrottleHit(models.Model):
    """One counted event of one key in one scope (a failed login from an address, say); see campaign_portal.throttles.

    Kept in the database so that every worker process sees the same counts and they survive a restart."""

    class Scope(models.TextChoices):
        LOGIN_ADDRESS = "login-address", _("Failed logins from one address")
        JOIN_ADDRESS = "join-address", _("Public join forms sent from one address")
        JOIN_ID = "join-id", _("Join applications for one ID number")
        JOIN_LOOKUP = "join-lookup", _("Application look-ups from one address")
        JOIN_SEARCH = "join-search", _("Employer searches from one address")

    scope = models.CharField(_("limited action"), max_length=40, choices=Scope.choices)
    key = models.CharField(_("counted for"), max_length=100)
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("throttle record")
        verbose_name_plural = _("throttle records")
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_hit_lookup")]

    def __str__(self):
        return f"{self.get_scope_display()} {self.key} {_when(self.at)}"


def _when(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else ""


# django-axes' records as the admin shows them: the same rows, named in the portal's language. (Axes' own
# models name a row in English, and the admin shows that name on every page about it.)


class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("access attempt")
        verbose_name_plural = _("access attempts")

    def __str__(self):
        return gettext("%(username)s from %(address)s, last at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }


class LoginRecord(AccessLog):
    class Meta:
        proxy = True
        verbose_name = _("access log")
        verbose_name_plural = _("access logs")

    def __str__(self):
        return gettext("%(username)s logged in from %(address)s at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }


class LoginFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = _("access failure")
        verbose_name_plural = _("access failures")

    def __str__(self):
        return gettext("%(username)s failed to log in from %(address)s at %(when)s") % {
            "username": self.username,
            "address": self.ip_address or "-",
            "when": _when(self.attempt_time),
        }


# Background jobs (campaign_portal.jobs): what was asked, how far it got, and what came of it.


class JobFile(models.Model):
    """A file a job read or wrote, kept in the database so that every web server and worker sees the same one."""

    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("job file")
        verbose_name_plural = _("job files")

    def __str__(self):
        return self.name


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone sees the jobs they started; the organisation department and administrators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.oversees:
            return self
        return self.filter(user=user)

    def stale(self, cutoff):
        return self.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff)


class Job(models.Model):
    """One piece of long work (an import, an export, a recount) run by a background worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("job"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="jobs"
    )
    organisation = models.ForeignKey(
        "unions.UnionOrg",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # [{"row": 12, "column": "职工人数", "message": "..."}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    data = models.JSONField(_("result data"), default=dict, blank=True)
    input_file = models.ForeignKey(
        JobFile, verbose_name=_("input file"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_file = models.ForeignKey(
        JobFile, verbose_name=_("result file"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    rerun_of = models.ForeignKey(
        "self", verbose_name=_("rerun of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_newest"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self):
        return f"{self.label} {_when(self.created_at)}"

    @property
    def finished(self):
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self):
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))


class JobTransition(models.Model):
    """A job's change of status: when, and why when it ended."""

    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="transitions")
    old_status = models.CharField(_("old status"), max_length=10, choices=Job.Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=10, choices=Job.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("job status change")
        verbose_name_plural = _("job status changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.old_status} → {self.new_status} {_when(self.at)}"
