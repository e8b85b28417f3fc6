from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from members import crypto
from members.models import Person

BATCH = 2000


class Command(BaseCommand):
    help = "Re-encrypt every ID and phone number under the newest of DJANGO_MEMBER_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        rotated = 0
        raw = Person.objects.annotate(raw_id=Cast("id_number", TextField()), raw_phone=Cast("phone", TextField()))
        last_pk = 0
        while True:
            rows = list(raw.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "raw_id", "raw_phone")[:BATCH])
            if not rows:
                break
            last_pk = rows[-1][0]
            stale = [pk for pk, token, phone in rows if not _current(token) or not _current(phone)]
            with transaction.atomic():
                people = list(Person.objects.filter(pk__in=stale))
                # Saving re-encrypts the plaintext the instance holds, under the newest key.
                Person.objects.bulk_update(people, ["id_number", "phone"])
            rotated += len(people)
        self.stdout.write(f"Re-encrypted {rotated} people under the newest key.")


def _current(token):
    return not token or crypto.is_current(token)
