from django.core.management.base import BaseCommand

from members.services.transfers import certificates_expire


class Command(BaseCommand):
    help = (
        "Mark every transfer certificate not received by the end of its last valid day as expired. Run it daily "
        "(cron or a systemd timer); running it again does nothing twice."
    )

    def handle(self, *args, **options):
        expired = certificates_expire()
        if options["verbosity"] > 0:
            self.stdout.write(f"{expired} transfer certificates expired.")
