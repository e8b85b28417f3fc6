from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.demo import load_demo_campaign, load_demo_reports
from campaigns.demo_members import load_demo_members_campaign
from campaigns.demo_practices import load_demo_practices
from campaigns.demo_push import load_demo_push
from campaigns.seeds import load_campaigns
from enterprises.demo import load_demo_grassroots, load_demo_groups, load_demo_registry
from members.demo import load_demo_members
from members.demo_joining import load_demo_applications
from unions.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts


class Command(BaseCommand):
    help = (
        "Load the demo accounts and data (development only; refused with DEBUG off unless --staging). "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staging",
            action="store_true",
            help="Load them with DEBUG off, on a staging install that holds no real data: the demo accounts "
            "log in with a password printed in the README.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            if not options["staging"]:
                raise CommandError(
                    "Demo data is for development only: it is refused when DJANGO_DEBUG is off. On a staging "
                    "install that holds no real data, `load_demo_data --staging` loads it all the same."
                )
            self.stderr.write(
                self.style.WARNING(
                    f"WARNING: DJANGO_DEBUG is off and --staging was given: creating demo accounts that anyone "
                    f"can log in to with the public password {DEMO_PASSWORD}, among them a system administrator. "
                    "Never do this on a server that holds or will hold real data."
                )
            )
        created = load_demo_accounts()
        load_campaigns()
        enterprises = load_demo_registry()
        self.stdout.write(self.style.SUCCESS(f"Demo registry: {enterprises} new enterprises."))
        groups = load_demo_groups()
        if groups:
            self.stdout.write(self.style.SUCCESS(f"Demo groups: {groups} subsidiaries linked to headquarters."))
        grassroots = load_demo_grassroots()
        self.stdout.write(self.style.SUCCESS(f"Demo grassroots unions: {grassroots} new, covering demo enterprises."))
        members = load_demo_members()
        self.stdout.write(self.style.SUCCESS(f"Demo rolls: {members} new members."))
        campaign = load_demo_campaign()
        if campaign:
            self.stdout.write(self.style.SUCCESS(f"Demo campaign: {campaign}, its deadlines placed around today."))
        if load_demo_reports():
            self.stdout.write(self.style.SUCCESS("Demo reports: the 2019 survey approved, this year's in every state."))
        if load_demo_members_campaign():
            self.stdout.write(
                self.style.SUCCESS("Demo 2015 members campaign: baselines, targets, reports, an extension for Lhasa.")
            )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts: {len(created)} new."))
        self.stdout.write(f"Demo password for every account: {DEMO_PASSWORD}")
        for username, org_code, role, full_name, purpose in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<16} {full_name}  ({org_code}, {role.label}: {purpose})")
        practices = load_demo_practices()
        if practices:
            self.stdout.write(
                self.style.SUCCESS(f"Demo model practices: {practices} marked by the organisation department.")
            )
        cases = load_demo_push()
        if cases:
            self.stdout.write(self.style.SUCCESS(f"Demo push phase: {cases} key enterprises with their cases."))
        applications = load_demo_applications()
        if applications:
            self.stdout.write(self.style.SUCCESS(f"Demo join applications: {applications} in Chengguan."))
