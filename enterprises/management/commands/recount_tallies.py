from django.core.management.base import BaseCommand

from enterprises import tallies


class Command(BaseCommand):
    help = "Recount the dashboards' figure tallies from the registry (after rows were written around the portal)."

    def handle(self, *args, **options):
        tallies.recount()
        self.stdout.write(
            self.style.SUCCESS(f"Tallies recounted: {sum(tallies.stored_counts().values())} enterprises.")
        )
