from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from members import crypto
from members.models import MemberImportBatch, Person

BATCH = 2000
# Every model with encrypted columns, and those columns.
ENCRYPTED = [(Person, ["id_number", "phone"]), (MemberImportBatch, ["rows"])]


class Command(BaseCommand):
    help = (
        "Re-encrypt every ID and phone number (and checked uploads) under the newest of DJANGO_MEMBER_ENCRYPTION_KEYS."
    )

    def handle(self, *args, **options):
        for model, fields in ENCRYPTED:
            rotated = rotate(model, fields)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {rotated} re-encrypted under the newest key.")


def rotate(model, fields):
    """Re-encrypt the rows of `model` that an older key encrypted; returns how many."""
    raw = model.objects.annotate(**{f"raw_{field}": Cast(field, TextField()) for field in fields})
    rotated, last_pk = 0, 0
    while True:
        rows = list(
            raw.filter(pk__gt=last_pk).order_by("pk").values_list("pk", *(f"raw_{field}" for field in fields))[:BATCH]
        )
        if not rows:
            return rotated
        last_pk = rows[-1][0]
        stale = [row[0] for row in rows if not all(_current(token) for token in row[1:])]
        with transaction.atomic():
            objects = list(model.objects.filter(pk__in=stale))
            # Saving re-encrypts the plaintext the instance holds, under the newest key.
            model.objects.bulk_update(objects, fields)
        rotated += len(objects)


def _current(token):
    return not token or crypto.is_current(token)
