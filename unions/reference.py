"""Loading the reference data in fixtures/: divisions and the union organisations above the grassroots."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from unions.models import PATH_SEPARATOR, Division, StatisticalDivision, UnionOrg
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


# Lhasa's development zones and parks carry six-digit statistical codes of their own but are no GB/T 2260 county.
# Which county each lies in is not in the published data, so their township-level bodies hang under the prefecture.
ZONE_PREFECTURE = {"540171": "540100", "540172": "540100", "540173": "540100", "540174": "540100"}
ZONE_SUFFIX = "管委会"
STREET_SUFFIX = "街道"


def township_union_name(township_name, *, is_zone=False):
    """乡、镇 and zones: "<name>工会"; a street (街道): "<name>工会联合会", as a street's union federates its
    communities' and enterprises' unions."""
    if township_name.endswith(STREET_SUFFIX):
        return f"{township_name}工会联合会"
    if is_zone and township_name.endswith(ZONE_SUFFIX):
        township_name = township_name.removesuffix(ZONE_SUFFIX)
    return f"{township_name}工会"


def _sync(model, wanted, fields):
    """Create the missing rows and bring changed ones up to date, in bulk: {pk: model instance} → new count."""
    existing = model.objects.in_bulk(list(wanted))
    attnames = [model._meta.get_field(name).attname for name in fields]
    new = [row for pk, row in wanted.items() if pk not in existing]
    changed = []
    for pk, row in wanted.items():
        current = existing.get(pk)
        if current is not None and any(getattr(current, f) != getattr(row, f) for f in attnames):
            changed.append(row)
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, fields, batch_size=1000)
    return len(new)


def load_statistical_divisions():
    counties = set(Division.objects.values_list("code", flat=True))
    townships = {}
    for row in _rows("tibet_townships.csv"):
        area = row["county_code"]
        division = ZONE_PREFECTURE.get(area, area)
        if division not in counties:
            raise ValueError(f"township {row['code']} names an unknown division {area}")
        townships[row["code"]] = StatisticalDivision(
            code=row["code"], name=row["name"], level="township", area_code=area, division_id=division
        )
    created = _sync(StatisticalDivision, townships, ["name", "area_code", "division"])
    villages = {}
    for row in _rows("tibet_villages.csv"):
        township = townships[row["township_code"]]
        villages[row["code"]] = StatisticalDivision(
            code=row["code"],
            name=row["name"],
            level="village",
            area_code=township.area_code,
            division_id=township.division_id,
            township_id=township.code,
        )
    created += _sync(StatisticalDivision, villages, ["name", "area_code", "division", "township"])
    return created


def load_township_unions():
    """One township or street union per township-level division, under its county's federation (zones: under
    the prefecture's). Names follow the published names; contact details are left alone."""
    parents = UnionOrg.objects.in_bulk(
        set(ZONE_PREFECTURE.values())
        | set(StatisticalDivision.objects.filter(level="township").values_list("division_id", flat=True)),
        field_name="code",
    )
    existing = UnionOrg.objects.filter(kind=UnionOrg.Kind.TOWNSHIP_UNION).in_bulk(field_name="code")
    new, renamed = [], []
    for township in StatisticalDivision.objects.filter(level="township").order_by("code"):
        parent = parents[township.division_id]
        name = township_union_name(township.name, is_zone=township.area_code in ZONE_PREFECTURE)
        org = existing.get(township.code)
        if org is None:
            new.append(
                UnionOrg(
                    code=township.code,
                    name=name,
                    kind=UnionOrg.Kind.TOWNSHIP_UNION,
                    division_id=township.division_id,
                    statistical_division=township,
                    parent=parent,
                    path=f"{parent.path}{township.code}{PATH_SEPARATOR}",
                    depth=parent.depth + 1,
                )
            )
        elif org.name != name:
            org.name = name
            org.version += 1
            renamed.append(org)
    UnionOrg.objects.bulk_create(new, batch_size=1000)
    UnionOrg.objects.bulk_update(renamed, ["name", "version"], batch_size=1000)
    return len(new)


@transaction.atomic
def load_reference_data():
    """Idempotent: running it again creates nothing and keeps contact details."""
    forget_divisions()
    return {
        "divisions": load_divisions(),
        "place_federations": load_place_federations(),
        "other_units": load_other_units(),
        "statistical_divisions": load_statistical_divisions(),
        "township_unions": load_township_unions(),
    }


_kept_divisions = []


def divisions():
    """Every division (GB/T 2260: the region, its prefectures and counties), ordered by code and read once per
    process: the table changes only when the reference data is loaded, which forgets them. Not to be changed."""
    if not _kept_divisions:
        _kept_divisions.extend(Division.objects.order_by("code"))
    return _kept_divisions


def county_places():
    """{county code: "prefecture · county"}, the place as lists show it, from the divisions read once."""
    by_code = {division.code: division for division in divisions()}
    return {
        code: f"{by_code[division.parent_id].name} · {division.name}"
        if division.parent_id in by_code
        else division.name
        for code, division in by_code.items()
        if division.level == Division.Level.COUNTY
    }


def forget_divisions():
    _kept_divisions.clear()
