import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from unions.models import Role, UnionOrg, User
from unions.services import StaleEdit, UnionError, staff_account_create, union_org_update_contact

pytestmark = pytest.mark.django_db


def lhasa():
    return UnionOrg.objects.get(code="540100")


def test_staff_save_their_units_contact_details(lhasa_staff):
    org = lhasa()
    union_org_update_contact(
        org,
        user=lhasa_staff,
        version=org.version,
        leader="卓玛",
        phone="0891-6321234",
        founded_on=datetime.date(1985, 5, 1),
    )
    saved = lhasa()
    assert (saved.leader, saved.phone, saved.founded_on) == ("卓玛", "0891-6321234", datetime.date(1985, 5, 1))
    assert saved.version == org.version


def test_it_refuses_an_edit_made_on_a_stale_copy(lhasa_staff):
    stale = lhasa()
    union_org_update_contact(lhasa(), user=lhasa_staff, version=stale.version, leader="先保存的人")
    with pytest.raises(StaleEdit):
        union_org_update_contact(stale, user=lhasa_staff, version=stale.version, leader="后保存的人")
    assert lhasa().leader == "先保存的人"


def test_a_viewer_cannot_save_contact_details(lhasa_viewer):
    org = lhasa()
    with pytest.raises(UnionError):
        union_org_update_contact(org, user=lhasa_viewer, version=org.version, leader="无权修改")
    assert lhasa().leader == ""


def test_it_refuses_fields_other_than_contact_details(lhasa_staff):
    org = lhasa()
    with pytest.raises(ValueError, match="name"):
        union_org_update_contact(org, user=lhasa_staff, version=org.version, name="改名")


def test_new_accounts_must_pass_the_password_rules():
    with pytest.raises(ValidationError):
        staff_account_create(username="weak", organisation=lhasa(), role=Role.STAFF, password="12345678")
    assert not User.objects.filter(username="weak").exists()


def test_unit_staff_must_belong_to_an_organisation():
    with pytest.raises(UnionError):
        staff_account_create(username="nobody", organisation=None, role=Role.STAFF, password="a-long-pass-2026")


def test_the_database_refuses_a_unit_role_without_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role=Role.VIEWER)


def test_only_administrators_get_into_django_admin(administrator, lhasa_staff):
    assert administrator.is_staff
    assert administrator.is_superuser
    assert not lhasa_staff.is_staff


def test_createsuperuser_makes_an_administrator():
    user = User.objects.create_superuser("root2", password="a-long-pass-2026")
    assert user.role == Role.ADMIN
    assert user.sees_everything
