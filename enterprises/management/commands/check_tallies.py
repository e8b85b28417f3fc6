from django.core.management.base import BaseCommand, CommandError

from enterprises import tallies
from enterprises.models import FIGURE_LABELS, HEADCOUNT_BANDS
from unions.models import Division, UnionOrg

# The headcounts each band holds: 100+, 50–99, 25–49.
BAND_NAMES = {
    band: f"{band}+" if upper is None else f"{band}–{upper - 1}"
    for band, upper in zip(
        sorted(HEADCOUNT_BANDS, reverse=True), [None, *sorted(HEADCOUNT_BANDS, reverse=True)], strict=False
    )
}


class Command(BaseCommand):
    help = (
        "Compare the dashboards' figure tallies with a fresh count of the registry. Says which counties and figures "
        "differ and by how much, and exits with status 1 if any do (for cron and CI); recount_tallies repairs them."
    )

    def handle(self, *args, **options):
        differences = tallies.drift()
        if not differences:
            if options["verbosity"] > 0:  # silent for cron with --verbosity 0: it mails only a drift
                total = sum(tallies.stored_counts().values())
                self.stdout.write(
                    self.style.SUCCESS(f"The tallies equal a fresh count of the registry ({total} enterprises).")
                )
            return
        counties = dict(Division.objects.filter(level=Division.Level.COUNTY).values_list("code", "name"))
        units = dict(UnionOrg.objects.values_list("pk", "name"))
        current = None
        for county, unit, band, figure, stored, counted in differences:
            if county != current:
                self.stdout.write(f"{county} {counties.get(county, '')}")
                current = county
            self.stdout.write(
                f"  {units.get(unit, unit)}, headcount {BAND_NAMES[band]}, {FIGURE_LABELS[figure]}: "
                f"stored {stored}, counted {counted} ({counted - stored:+d})"
            )
        raise CommandError(
            f"The tallies differ from the registry in {len({row[0] for row in differences})} counties, so the "
            "dashboards show wrong figures. Rows were written around the portal's services. "
            "Run `python manage.py recount_tallies` to repair them.",
            returncode=1,
        )
