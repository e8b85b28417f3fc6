"""The stored database holds no ID or phone number in plaintext: neither SQLite's file nor PostgreSQL's dump."""

import shutil
import subprocess

import pytest
from django.db import connection

from members import services
from members.services.applying import application_submit
from members.tests.helpers import enrol_values, grassroots_union, id_number
from unions.models import Role, UnionOrg
from unions.services import staff_account_create

PHONE = "13987654321"
APPLICANT_PHONE = "13612340987"


@pytest.fixture
def enrolled(reference_data):
    staff = staff_account_create(
        username="cg", organisation=UnionOrg.objects.get(code="540102"), role=Role.STAFF, password="x-2026-pass"
    )
    union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    number = id_number(serial=7)
    services.enrol(staff, union=union, **enrol_values(id_number=number, phone=PHONE))
    return number


@pytest.fixture
def applied(enrolled):
    """Beside the member, someone who sent an online join application."""
    number = id_number(serial=8, sex_digit=2)
    application_submit(
        name="卓玛",
        id_number=number,
        phone=APPLICANT_PHONE,
        ethnicity="04",
        rural_household=True,
        household_place="艾玛乡",
        consent=True,
        workplace="八廓街某茶馆",
        township_union=UnionOrg.objects.get(code="540102002"),
    )
    return [enrolled, number]


def assert_no_plaintext(data, numbers):
    for number in numbers:
        for secret in (number, number[6:], PHONE, PHONE[3:], APPLICANT_PHONE, APPLICANT_PHONE[3:]):
            assert secret.encode() not in data


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file")
def test_the_sqlite_file_holds_no_plaintext_number(applied, tmp_path):
    target = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(target)])
    data = target.read_bytes()
    assert b"members_joinapplication" in data
    assert_no_plaintext(data, applied)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's dump")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="no pg_dump on this machine")
def test_a_pg_dump_holds_no_plaintext_number(applied):
    params = connection.get_connection_params()
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
         "-U", params.get("user") or "postgres", params["dbname"] if "dbname" in params else params["database"]],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    assert b"members_person" in dump.stdout
    assert b"members_joinapplication" in dump.stdout
    assert_no_plaintext(dump.stdout, applied)
