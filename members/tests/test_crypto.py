"""Encryption at rest: the instance holds plaintext, the database ciphertext; keys rotate."""

import base64
import io
import os

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from members import crypto
from members.models import Person
from members.tests.helpers import id_number


def new_key():
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def make_person(number=None, phone="13812345678"):
    person = Person(name="卓玛", sex="F", ethnicity="04")
    person.set_id_number(number or id_number(sex_digit=2))
    person.set_phone(phone)
    person.save()
    return person


def stored(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_person WHERE id = %s", [person.pk])
        return cursor.fetchone()


def test_the_database_holds_ciphertext_and_the_instance_plaintext(db):
    person = make_person()
    raw_id, raw_phone = stored(person)
    assert person.id_number not in raw_id
    assert "13812345678" not in raw_phone
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.id_number == person.id_number
    assert fresh.phone == "13812345678"
    assert fresh.id_masked == person.id_number[:4] + "*" * 10 + person.id_number[-4:]


def test_exact_search_goes_through_the_blind_index(db):
    person = make_person()
    assert Person.objects.with_id_number(person.id_number.lower()).get() == person
    assert person.id_index == crypto.blind_index(person.id_number) != person.id_number


def test_a_lookup_on_the_encrypted_column_is_refused(db):
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number="540102198503070011"))


def test_a_wrong_key_raises_instead_of_returning_ciphertext(db, settings):
    person = make_person()
    settings.MEMBER_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)


def test_old_keys_stay_readable_and_rotation_re_encrypts_under_the_newest(db, settings):
    person = make_person()
    old_token, _ = stored(person)
    old = settings.MEMBER_ENCRYPTION_KEYS[0]
    settings.MEMBER_ENCRYPTION_KEYS = [new_key(), old]
    assert Person.objects.get(pk=person.pk).id_number == person.id_number
    assert not crypto.is_current(old_token)
    call_command("rotate_member_keys", stdout=io.StringIO())
    new_token, new_phone = stored(person)
    assert crypto.is_current(new_token)
    assert crypto.is_current(new_phone)
    settings.MEMBER_ENCRYPTION_KEYS = settings.MEMBER_ENCRYPTION_KEYS[:1]
    assert Person.objects.get(pk=person.pk).phone == "13812345678"


@pytest.mark.parametrize(
    ("setting", "value"),
    [("MEMBER_ENCRYPTION_KEYS", []), ("MEMBER_ENCRYPTION_KEYS", ["short"]), ("MEMBER_INDEX_KEY", "too-short")],
)
def test_missing_or_malformed_keys_stop_the_portal(settings, setting, value):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured):
        crypto.check_keys()


def test_rotation_also_re_encrypts_uploads_waiting_for_confirmation(chengguan_staff, settings):
    from members.models import MemberImportBatch
    from members.tests.helpers import grassroots_union

    union = grassroots_union("540102", "540102.G001", "拉萨某酒店工会")
    batch = MemberImportBatch.objects.create(created_by=chengguan_staff, union=union, file_name="会员.xlsx", rows="[]")
    settings.MEMBER_ENCRYPTION_KEYS = [new_key(), settings.MEMBER_ENCRYPTION_KEYS[0]]
    call_command("rotate_member_keys", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows FROM members_memberimportbatch WHERE id = %s", [batch.pk])
        assert crypto.is_current(cursor.fetchone()[0])
