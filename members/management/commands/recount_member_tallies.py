from django.core.management.base import BaseCommand

from members import tallies


class Command(BaseCommand):
    help = "Recount the member tallies from the rolls (after memberships were written around the portal)."

    def handle(self, *args, **options):
        tallies.recount()
        self.stdout.write(self.style.SUCCESS(f"Member tallies recounted: {sum(tallies.stored_counts().values())}."))
