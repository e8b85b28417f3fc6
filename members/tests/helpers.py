"""Test data for the member rolls: unions that hold members, and valid ID numbers."""

import datetime

from members.idnumbers import check_character
from unions.models import UnionOrg
from unions.services import union_org_upsert


def id_number(county="540102", born=datetime.date(1985, 3, 7), serial=1, sex_digit=1):
    first = f"{county}{born:%Y%m%d}{serial:02d}{sex_digit}"
    return first + check_character(first)


def grassroots_union(parent_code, code, name, form="enterprise"):
    union, _ = union_org_upsert(
        code=code,
        name=name,
        kind=UnionOrg.Kind.GRASSROOTS_UNION,
        form=form,
        parent=UnionOrg.objects.get(code=parent_code),
    )
    return union


def enrol_values(**overrides):
    values = {
        "name": "次仁",
        "sex": "M",
        "ethnicity": "04",
        "id_number": id_number(),
        "phone": "13812345678",
        "rural_household": True,
        "migrant_worker": True,
        "joined_on": datetime.date(2026, 5, 1),
    }
    values.update(overrides)
    return values


def enrol_many(user, union, employer, count, *, first_serial=1, migrant=True, joined_on=datetime.date(2026, 5, 1)):
    """`count` members of `union` working for `employer`, each with their own valid ID number."""
    from members.services import enrol

    for serial in range(first_serial, first_serial + count):
        enrol(
            user,
            union=union,
            employer=employer,
            **enrol_values(
                id_number=id_number(serial=serial % 100, born=datetime.date(1980 + serial // 100, 1, 2)),
                migrant_worker=migrant,
                rural_household=True,
                joined_on=joined_on,
            ),
        )
