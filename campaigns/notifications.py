"""Messages in people's bells (and their email) about deadlines and reports.

Every notification has a key naming what it is about, unique per person, so each is created once however
often the workflow or the reminder command runs; keys of reminders carry the due date, so an extension
brings fresh ones. Each notification is emailed once: a conditional update claims it before sending.
"""

import datetime
import logging
import smtplib
from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.case_reminders import case_reminders
from campaigns.join_reminders import join_reminders
from campaigns.models import (
    SHANGHAI,
    Deadline,
    Extension,
    Notification,
    Participation,
    Submission,
    end_of_day,
)
from unions.models import Role, User

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Submission.Status
# Staff are reminded this many days before the due date (and once when it has passed).
REMIND_DAYS_BEFORE = (7, 3, 1)
# Only deadlines due within this window count, so that old campaigns never produce a flood.
LOOK_BACK = datetime.timedelta(days=30)
LOOK_AHEAD = datetime.timedelta(days=7)
# Reviewers are reminded of a report that has waited this long.
REVIEW_WAITING = datetime.timedelta(days=3)
# Notifications older than this are not emailed any more (say, to someone who has just added an address).
EMAIL_WITHIN = datetime.timedelta(days=7)
MESSAGE_LENGTH = Notification._meta.get_field("message").max_length
SUBJECT_LENGTH = 60


class ReminderRun(NamedTuple):
    created: int
    emailed: int


def report_url(deadline_id, unit):
    try:
        return reverse("campaigns:report", kwargs={"deadline": deadline_id, "unit": unit.code})
    except NoReverseMatch:
        return ""


def _notification(user_id, kind, key, message, url=""):
    return Notification(user_id=user_id, kind=kind, key=key, message=Truncator(message).chars(MESSAGE_LENGTH), url=url)


def notify(user, kind, key, message, url=""):
    """One notification per person and key: returns (notification, created), like get_or_create."""
    message = Truncator(message).chars(MESSAGE_LENGTH)
    return Notification.objects.get_or_create(
        user=user, key=key, defaults={"kind": kind, "message": message, "url": url}
    )


def _create_all(notifications):
    """Insert those that are new, in one statement; one a concurrent run inserted first is skipped by the database.

    Returns the new ones (as counted before inserting: two runs racing may both count a row that exists once).
    """
    wanted = {(notification.user_id, notification.key): notification for notification in notifications}
    if not wanted:
        return []
    existing = set(Notification.objects.filter(key__in={key for _user, key in wanted}).values_list("user_id", "key"))
    new = [notification for pair, notification in wanted.items() if pair not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return new


def _reviewer_ids():
    return list(User.objects.filter(role=Role.REVIEWER, is_active=True).values_list("pk", flat=True))


def _staff_ids_by_unit(unit_ids):
    staff = defaultdict(list)
    users = User.objects.filter(role=Role.STAFF, is_active=True, organisation_id__in=unit_ids)
    for pk, unit_id in users.values_list("pk", "organisation_id"):
        staff[unit_id].append(pk)
    return staff


def _submission_round(submission):
    """Names one submission of a report: a report returned and submitted again is a new round."""
    return f"{submission.pk}:{submission.submitted_at:%Y%m%d%H%M%S%f}"


def _about(deadline, unit, day=None):
    about = {"unit": unit.name, "report": deadline.title}
    if day is not None:
        about["date"] = date_format(day, "DATE_FORMAT")
    return about


# -- the workflow --------------------------------------------------------------------------------------


def notify_transition(submission, old_status, new_status):
    """Tell those concerned that a report changed status (called by the workflow's services, in their transaction).

    Reviewers hear of a submission; the unit's staff of a return, with its reason, and of an approval.
    Emails go out once the transaction has committed.
    """
    if new_status not in {Status.SUBMITTED, Status.RETURNED, Status.APPROVED}:
        return
    about = _about(submission.deadline, submission.unit)
    if new_status == Status.SUBMITTED:
        recipients = _reviewer_ids()
        kind, key = Kind.TO_REVIEW, f"review:{_submission_round(submission)}"
        message = _("%(unit)s has submitted %(report)s: it is waiting for your review.") % about
    elif new_status == Status.RETURNED:
        recipients = _staff_ids_by_unit([submission.unit_id])[submission.unit_id]
        transition = submission.transitions.last()
        kind, key = Kind.RETURNED, f"returned:{submission.pk}:{transition.pk}"
        message = _("%(report)s of %(unit)s has been returned for correction. Reason: %(reason)s") % {
            **about,
            "reason": transition.reason,
        }
    elif new_status == Status.APPROVED:
        recipients = _staff_ids_by_unit([submission.unit_id])[submission.unit_id]
        kind, key = Kind.APPROVED, f"approved:{submission.pk}:{submission.version}"
        message = _("%(report)s of %(unit)s has been approved.") % about
    _notify_all(recipients, kind, key, message, report_url(submission.deadline_id, submission.unit))


def notify_extension_requested(request):
    """Reviewers hear that a unit asks for more time (called by the service, in its transaction)."""
    about = _about(request.deadline, request.unit, request.due_on)
    message = _("%(unit)s asks for an extension of %(report)s until %(date)s: %(reason)s") % {
        **about,
        "reason": request.reason,
    }
    key = f"ext-request:{request.pk}"
    url = report_url(request.deadline_id, request.unit)
    _notify_all(_reviewer_ids(), Kind.EXTENSION_REQUESTED, key, message, url)


def notify_extension_decided(request, extension):
    """The unit's staff hear that their request was granted or refused, or that an extension was granted unasked."""
    deadline = request.deadline if request is not None else extension.deadline
    unit = request.unit if request is not None else extension.unit
    if extension is not None:
        about = _about(deadline, unit, extension.due_on)
        kind, key = Kind.EXTENSION_GRANTED, f"ext-granted:{extension.pk}"
        message = _("%(report)s of %(unit)s may now be handed in until %(date)s.") % about
    else:
        about = _about(deadline, unit)
        reason = request.transitions.last().reason
        kind, key = Kind.EXTENSION_REFUSED, f"ext-refused:{request.pk}"
        message = _("The extension of %(report)s of %(unit)s has been refused. Reason: %(reason)s") % {
            **about,
            "reason": reason,
        }
    recipients = _staff_ids_by_unit([unit.pk])[unit.pk]
    _notify_all(recipients, kind, key, message, report_url(deadline.pk, unit))


def _notify_all(recipients, kind, key, message, url):
    if _create_all([_notification(user_id, kind, key, message, url) for user_id in recipients]):
        transaction.on_commit(lambda: send_emails(Notification.objects.filter(key=key)), robust=True)


# -- reminders -----------------------------------------------------------------------------------------


def send_reminders(now=None):
    """Remind unit staff of reports due soon or overdue, reviewers of reports waiting long, unions of online
    join applications left untouched and units of organising cases that do not move; then email.

    Safe to run any number of times: each reminder is created once and emailed once.
    """
    now = now or timezone.now()
    joins = join_reminders(now, _notification, Kind.JOIN_WAITING)
    cases = case_reminders(now, _notification, Kind.CASE_STALE)
    created = _create_all([*_deadline_reminders(now), *_review_reminders(now), *joins, *cases])
    return ReminderRun(created=len(created), emailed=send_emails())


def _latest_due_dates(deadlines):
    """{(deadline pk, unit pk): due date} of extended deadlines; the latest grant counts, as in effective_due_on."""
    due = {}
    for extension in Extension.objects.filter(deadline__in=deadlines).order_by("-granted_at", "-pk"):
        due.setdefault((extension.deadline_id, extension.unit_id), extension.due_on)
    return due


def _deadline_reminders(now):
    today = timezone.localtime(now, SHANGHAI).date()
    window = (today - LOOK_BACK, today + LOOK_AHEAD)
    extended_into_window = Extension.objects.filter(due_on__range=window).values("deadline_id")
    deadlines = list(
        Deadline.objects.filter(Q(due_on__range=window) | Q(pk__in=extended_into_window)).select_related("stage")
    )
    if not deadlines:
        return
    units_by_campaign = defaultdict(list)
    for participation in Participation.objects.filter(
        campaign__in={deadline.stage.campaign_id for deadline in deadlines}
    ).select_related("unit"):
        units_by_campaign[participation.campaign_id].append(participation.unit)
    due_dates = _latest_due_dates(deadlines)
    done = set(
        Submission.objects.filter(deadline__in=deadlines, status__in=[Status.SUBMITTED, Status.APPROVED]).values_list(
            "deadline_id", "unit_id"
        )
    )
    staff = _staff_ids_by_unit({unit.pk for units in units_by_campaign.values() for unit in units})
    for deadline in deadlines:
        for unit in units_by_campaign[deadline.stage.campaign_id]:
            due_on = due_dates.get((deadline.pk, unit.pk), deadline.due_on)
            outside_window = not window[0] <= due_on <= window[1]
            if outside_window or (deadline.pk, unit.pk) in done or not staff[unit.pk]:
                continue
            reminder = _reminder(deadline, unit, due_on, now, today)
            if reminder is not None:
                kind, key, message = reminder
                url = report_url(deadline.pk, unit)
                yield from (_notification(user_id, kind, key, message, url) for user_id in staff[unit.pk])


def _reminder(deadline, unit, due_on, now, today):
    """The reminder due now for a report not yet in, as (kind, key, message), or None.

    A run that missed the 7th (or 3rd) day before sends that day's reminder late rather than not at all;
    one that comes after a later reminder sends nothing more.
    """
    about = _about(deadline, unit, due_on)
    if now >= end_of_day(due_on):
        message = _(
            "%(report)s of %(unit)s was due on %(date)s and has not been submitted. "
            "Submit it, or ask the organisation department for an extension."
        )
        return Kind.OVERDUE, f"overdue:{deadline.pk}:{unit.pk}:{due_on}", message % about
    days_left = (due_on - today).days
    if days_left > max(REMIND_DAYS_BEFORE):
        return None
    step = min(days for days in REMIND_DAYS_BEFORE if days >= days_left)
    if days_left == 0:
        message = _("%(report)s of %(unit)s is due today, %(date)s.") % about
    else:
        message = ngettext(
            "%(report)s of %(unit)s is due on %(date)s, in %(days)d day.",
            "%(report)s of %(unit)s is due on %(date)s, in %(days)d days.",
            days_left,
        ) % {**about, "days": days_left}
    return Kind.DUE_SOON, f"due-{step}:{deadline.pk}:{unit.pk}:{due_on}", message


def _review_reminders(now):
    reviewers = _reviewer_ids()
    if not reviewers:
        return
    waiting = Submission.objects.filter(status=Status.SUBMITTED, submitted_at__lt=now - REVIEW_WAITING)
    for submission in waiting.select_related("deadline__stage", "unit"):
        submitted_on = timezone.localtime(submission.submitted_at, SHANGHAI).date()
        message = _("%(report)s of %(unit)s has been waiting for review since %(date)s.") % _about(
            submission.deadline, submission.unit, submitted_on
        )
        key = f"review-waiting:{_submission_round(submission)}"
        url = report_url(submission.deadline_id, submission.unit)
        yield from (_notification(user_id, Kind.TO_REVIEW, key, message, url) for user_id in reviewers)


# -- email ---------------------------------------------------------------------------------------------


def send_emails(notifications=None):
    """Email each recent notification not yet emailed to a person with an address; returns how many went out.

    Each is claimed by a conditional update before sending, so two runs at once never send it twice;
    a failed send gives the claim back, so that the next run tries again.
    """
    pending = (Notification.objects.all() if notifications is None else notifications).filter(
        emailed_at__isnull=True, created_at__gte=timezone.now() - EMAIL_WITHIN, user__is_active=True
    )
    return sum(_email(notification) for notification in pending.exclude(user__email="").select_related("user"))


def _email(notification):
    claimed_at = timezone.now()
    if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=claimed_at):
        return 0
    try:
        send_mail(email_subject(notification), email_body(notification), None, [notification.user.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not email notification %s; the next run tries again", notification.pk)
        Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at).update(emailed_at=None)
        return 0
    return 1


def email_subject(notification):
    # A subject is one line: a return's reason may span several.
    message = Truncator(" ".join(notification.message.split())).chars(SUBJECT_LENGTH)
    return _("%(kind)s: %(message)s") % {"kind": notification.get_kind_display(), "message": message}


def email_body(notification):
    lines = [notification.message, ""]
    if notification.url and settings.PORTAL_URL:
        lines.append(_("Open it in the portal: %(link)s") % {"link": settings.PORTAL_URL + notification.url})
    lines.append(_("This message is also under the bell at the top of every page of the campaign portal."))
    return "\n".join(lines)


# -- reading -------------------------------------------------------------------------------------------


def notification_mark_read(notification, now=None):
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now or timezone.now())


def notifications_mark_all_read(user, now=None):
    return user.notifications.filter(read_at__isnull=True).update(read_at=now or timezone.now())
