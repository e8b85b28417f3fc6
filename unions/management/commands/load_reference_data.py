from django.core.management.base import BaseCommand

from unions.reference import load_reference_data


class Command(BaseCommand):
    help = "Load Tibet's divisions (GB/T 2260) and the union federations above the grassroots; safe to run again."

    def handle(self, *args, **options):
        created = load_reference_data()
        summary = ", ".join(f"{name}: {count} new" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({summary})."))
