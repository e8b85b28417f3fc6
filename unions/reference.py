"""Loading the reference data in fixtures/: divisions and the union organisations above the grassroots."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from unions.models import Division, UnionOrg
from unions.services import union_org_upsert

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

REGION_FEDERATION_NAME = "西藏自治区总工会"
FEDERATION_KIND = {
    Division.Level.PROVINCE: UnionOrg.Kind.REGION_FEDERATION,
    Division.Level.PREFECTURE: UnionOrg.Kind.PREFECTURE_FEDERATION,
    Division.Level.COUNTY: UnionOrg.Kind.COUNTY_FEDERATION,
}


def _rows(name):
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_divisions():
    created = 0
    for row in _rows("tibet_divisions.csv"):  # parents come before their children
        _, was_created = Division.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent_code"] or None},
        )
        created += was_created
    return created


def load_place_federations():
    created = 0
    by_code = {}
    for division in Division.objects.order_by("code"):
        name = REGION_FEDERATION_NAME if division.level == Division.Level.PROVINCE else f"{division.name}总工会"
        org, was_created = union_org_upsert(
            code=division.code,
            name=name,
            kind=FEDERATION_KIND[division.level],
            parent=by_code.get(division.parent_id),
            division=division,
        )
        by_code[division.code] = org
        created += was_created
    return created


def load_other_units():
    created = 0
    for row in _rows("union_organisations.csv"):
        parent = UnionOrg.objects.get(code=row["parent_code"])
        _, was_created = union_org_upsert(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            kind=row["kind"],
            parent=parent,
            division=parent.division,
        )
        created += was_created
    return created


@transaction.atomic
def load_reference_data():
    """Idempotent: running it again creates nothing and keeps contact details."""
    return {
        "divisions": load_divisions(),
        "place_federations": load_place_federations(),
        "other_units": load_other_units(),
    }
