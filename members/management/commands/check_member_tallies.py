from django.core.management.base import BaseCommand, CommandError

from members import tallies
from unions.models import UnionOrg


class Command(BaseCommand):
    help = (
        "Compare the member tallies with a fresh count of the rolls; say which unions differ and exit with status 1 "
        "if any do (for cron and CI). recount_member_tallies repairs them."
    )

    def handle(self, *args, **options):
        differences = tallies.drift()
        if not differences:
            if options["verbosity"] > 0:
                total = sum(tallies.stored_counts().values())
                self.stdout.write(self.style.SUCCESS(f"The member tallies equal a fresh count ({total} members)."))
            return
        names = dict(UnionOrg.objects.filter(pk__in={row[0] for row in differences}).values_list("pk", "name"))
        for union, employer, migrant, year, stored, counted in differences:
            self.stdout.write(
                f"{names.get(union, union)}, employer {employer or '-'}, migrant worker {migrant}, joined {year}: "
                f"stored {stored}, counted {counted} ({counted - stored:+d})"
            )
        raise CommandError(
            f"The member tallies differ from the rolls in {len({row[0] for row in differences})} unions. "
            "Run `python manage.py recount_member_tallies` to repair them.",
            returncode=1,
        )
