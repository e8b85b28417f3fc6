import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.notifications import send_reminders


def aware_datetime(text):
    """An ISO date and time; without an offset it is read in Asia/Shanghai (the portal's time zone)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now must be an ISO date and time such as 2019-08-05T09:00; got {text!r}") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Remind unit staff of reports due in 7, 3 and 1 days or overdue, reviewers of reports waiting "
        "more than 3 days, and unions of online join applications untouched for 15 days (their county at 30); "
        "email each new notification once. Safe to run any number of times (daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this moment, e.g. 2019-08-05T09:00 (for trials)")

    def handle(self, *args, now=None, **options):
        moment = aware_datetime(now) if now else timezone.now()
        run = send_reminders(now=moment)
        when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders as of {when}: {run.created} notifications created, {run.emailed} emails sent."
            )
        )
