import pytest
from django.db import IntegrityError, transaction

from conftest import make_enterprise
from enterprises.credit_code import with_check_character
from enterprises.models import Enterprise, EnterpriseChange
from enterprises.services import (
    RegistryError,
    StaleEnterpriseEdit,
    credit_code_warnings,
    enterprise_create,
    enterprise_delete,
    enterprise_update,
)
from unions.models import Division, UnionOrg

pytestmark = pytest.mark.django_db


def new_data(**overrides):
    data = {
        "credit_code": with_check_character("91540102MA6T00001"),
        "name": "拉萨雪域物流有限公司",
        "county": Division.objects.get(code="540102"),
        "responsible_unit": None,
        "industry": "G",
        "headcount": 150,
        "migrant_workers": 40,
    }
    data.update(overrides)
    return data


def test_a_new_enterprise_reports_to_its_prefectures_federation_by_default(lhasa_staff):
    enterprise, warnings = enterprise_create(user=lhasa_staff, data=new_data())
    assert enterprise.responsible_unit.code == "540100"
    assert warnings == []


def test_creating_records_who_entered_what(lhasa_staff):
    enterprise, _ = enterprise_create(user=lhasa_staff, data=new_data())
    change = enterprise.changes.get()
    assert change.action == EnterpriseChange.Action.CREATED
    assert change.changed_by == lhasa_staff
    assert change.fields["headcount"] == ["", "150"]


def test_a_code_registered_elsewhere_is_a_warning_not_a_refusal(lhasa_staff):
    code = with_check_character("91540202MA6T00002")  # registered in 桑珠孜区, Shigatse
    enterprise, warnings = enterprise_create(user=lhasa_staff, data=new_data(credit_code=code))
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert "日喀则" not in warnings[0] or "桑珠孜区" in warnings[0]
    assert "拉萨市" in warnings[0]


def test_an_unknown_registering_division_is_named_by_its_code():
    warnings = credit_code_warnings(with_check_character("91110000MA6T00003"), Division.objects.get(code="540102"))
    assert "110000" in warnings[0]


def test_an_edit_records_old_and_new_values(lhasa_staff, lhasa_enterprise):
    enterprise_update(
        lhasa_enterprise,
        user=lhasa_staff,
        version=lhasa_enterprise.version,
        data={"union_status": "own", "headcount": 130},
    )
    change = lhasa_enterprise.changes.get(action=EnterpriseChange.Action.UPDATED)
    assert change.fields == {"union_status": ["未建会", "单独建会"], "headcount": ["120", "130"]}
    labels = [label for label, _old, _new in change.labelled_fields()]
    assert "职工人数" in labels


def test_the_history_writes_dates_as_people_read_them_whatever_the_language(lhasa_staff, lhasa_enterprise):
    import datetime

    from django.utils import translation

    with translation.override("en"):  # a command, say, running in another language
        enterprise_update(
            lhasa_enterprise,
            user=lhasa_staff,
            version=lhasa_enterprise.version,
            data={"registered_on": datetime.date(2019, 8, 10)},
        )
    change = lhasa_enterprise.changes.get(action=EnterpriseChange.Action.UPDATED)
    assert change.fields == {"registered_on": ["", "2019年8月10日"]}


def test_an_edit_on_a_stale_copy_is_refused_and_overwrites_nothing(lhasa_staff, lhasa_enterprise):
    stale_version = lhasa_enterprise.version
    enterprise_update(lhasa_enterprise, user=lhasa_staff, version=stale_version, data={"headcount": 200})
    with pytest.raises(StaleEnterpriseEdit):
        enterprise_update(lhasa_enterprise, user=lhasa_staff, version=stale_version, data={"headcount": 300})
    assert Enterprise.objects.get(pk=lhasa_enterprise.pk).headcount == 200


def test_viewers_and_reviewers_cannot_change_the_registry(lhasa_viewer, reviewer, lhasa_enterprise):
    for user in (lhasa_viewer, reviewer):
        with pytest.raises(RegistryError):
            enterprise_update(lhasa_enterprise, user=user, version=lhasa_enterprise.version, data={"headcount": 1})


def test_only_the_organisation_department_or_an_administrator_deletes(lhasa_staff, reviewer, lhasa_enterprise):
    with pytest.raises(RegistryError):
        enterprise_delete(lhasa_enterprise, user=lhasa_staff)
    enterprise_delete(lhasa_enterprise, user=reviewer, reason="重复录入")
    assert not Enterprise.objects.filter(pk=lhasa_enterprise.pk).exists()
    change = EnterpriseChange.objects.get(action=EnterpriseChange.Action.DELETED)
    assert change.credit_code == lhasa_enterprise.credit_code
    assert change.reason == "重复录入"
    assert change.fields["name"] == ["拉萨高原建材有限公司", ""]


def test_the_database_refuses_more_migrant_workers_than_staff(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_enterprise("540102", headcount=10, migrant_workers=11)


def test_the_database_refuses_a_duplicate_credit_code(lhasa_enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_enterprise("540102", credit_code=lhasa_enterprise.credit_code)


def test_scope_follows_the_responsible_unit_and_the_county(lhasa_staff, chengguan_staff, shigatse_staff):
    in_chengguan = make_enterprise("540102")
    in_dangxiong = make_enterprise("540122")
    reported_by_non_public_federation = make_enterprise(
        "540102", responsible_unit=UnionOrg.objects.get(code="540000.FGQ")
    )

    def visible(user):
        return set(Enterprise.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(lhasa_staff) == {in_chengguan.pk, in_dangxiong.pk, reported_by_non_public_federation.pk}
    assert visible(chengguan_staff) == {in_chengguan.pk, reported_by_non_public_federation.pk}
    assert visible(shigatse_staff) == set()


def test_the_four_criteria_are_derived_from_the_facts(db):
    meets = make_enterprise(
        "540102", is_non_public=True, headcount=30, party_org="own", operating=True, profitable=True
    )
    no_profit = make_enterprise("540102", is_non_public=True, headcount=30, party_org="own", profitable=False)
    assert meets.meets_four_criteria
    assert not no_profit.meets_four_criteria
    assert list(Enterprise.objects.meeting_four_criteria()) == [meets]


def test_an_edit_without_a_unit_keeps_it_within_the_prefecture_and_follows_a_move_out(administrator):
    non_public_federation = UnionOrg.objects.get(code="540000.FGQ")
    enterprise = make_enterprise("540102", responsible_unit=non_public_federation)
    enterprise, warnings = enterprise_update(
        enterprise, user=administrator, version=1, data={"county": Division.objects.get(code="540122")}
    )
    assert (enterprise.responsible_unit, warnings) == (non_public_federation, [])
    enterprise, warnings = enterprise_update(
        enterprise, user=administrator, version=2, data={"county": Division.objects.get(code="540202")}
    )
    assert enterprise.responsible_unit.code == "540200"
    assert "日喀则市总工会" in warnings[0]
    assert enterprise.changes.first().fields["responsible_unit"] == [non_public_federation.name, "日喀则市总工会"]
