from django.core.management.base import BaseCommand

from campaigns.seeds import load_campaigns


class Command(BaseCommand):
    help = "Load the campaigns of fixtures/campaigns.json with their stages and deadlines; safe to run again."

    def handle(self, *args, **options):
        created = load_campaigns()
        self.stdout.write(self.style.SUCCESS(f"Campaigns loaded ({len(created)} new)."))
