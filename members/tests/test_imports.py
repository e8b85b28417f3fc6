"""Importing members from Excel into one union: every row is checked, then all of them are saved or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import make_enterprise
from enterprises.tests import crafted
from members import services
from members.idnumbers import mask_id
from members.imports import ImportNotPossible, member_import_check, member_import_commit
from members.imports.columns import COLUMNS
from members.models import MemberImportBatch, Membership, MembershipChange, MembershipStatus, Person, PersonChange
from members.tests.helpers import enrol_values, grassroots_union, id_number

pytestmark = pytest.mark.django_db
HEADER = [column.header for column in COLUMNS]


@pytest.fixture
def hotel_union(db):
    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


@pytest.fixture
def shigatse_union(db):
    return grassroots_union("540202", "540202.G001", "日喀则某建筑项目工会联合会")


def member(serial, **values):
    """A template row, by header: only what a test cares about needs saying."""
    base = {
        "姓名": f"次仁{serial}",
        "性别": "男",
        "民族": "藏族",
        "公民身份号码": id_number(serial=serial),
        "手机号码": f"138{serial:08d}",
        "农牧区户籍": "是",
        "农牧民工": "是",
        "入会日期": "2026-05-01",
        "会籍状态": "会员",
    }
    base.update(values)
    return base


def xlsx(rows, header=HEADER, name="会员名册.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(title) for title in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, union, file):
    return client.post(reverse("members:import"), {"union": union.code, "file": file})


def errors_of(batch):
    return [(row, column, message) for row, column, _value, message in batch.errors]


def test_the_template_uploaded_unchanged_imports_its_example(login, chengguan_staff, hotel_union):
    client = login(chengguan_staff)
    response = client.get(reverse("members:import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["D2"].number_format == "@"
    validated = {str(validation.sqref).split(":")[0] for validation in sheet.data_validations.dataValidation}
    assert validated == {"B2", "C2", "F2", "G2", "K2"}
    response = upload(client, hotel_union, SimpleUploadedFile("模板.xlsx", response.content))
    batch = MemberImportBatch.objects.get(created_by=chengguan_staff)
    assert batch.status == MemberImportBatch.Status.PREVIEWED, batch.errors
    assert response.url == reverse("members:import_preview", args=[batch.pk])


def test_a_good_file_enrols_every_row_with_its_history(login, chengguan_staff, hotel_union):
    employer = make_enterprise("540102")
    rows = [member(serial, 工作单位统一社会信用代码=employer.credit_code) for serial in range(1, 6)]
    rows[4]["会籍状态"] = "保留会籍"
    rows[4]["会员证号"] = 2026001
    client = login(chengguan_staff)
    response = upload(client, hotel_union, xlsx(rows))
    batch = MemberImportBatch.objects.get()
    assert batch.row_count == 5
    assert batch.errors == []
    preview = client.get(response.url)
    assert "5" in preview.content.decode()
    assert client.post(response.url).status_code == 302
    memberships = Membership.objects.filter(union=hotel_union).select_related("person")
    assert memberships.count() == 5
    assert {m.employer_id for m in memberships} == {employer.pk}
    kept = memberships.get(card_number="2026001")
    assert kept.status == MembershipStatus.KEPT
    assert kept.person.id_number == id_number(serial=5)
    assert kept.person.phone == "13800000005"
    assert kept.person.birth_date == datetime.date(1985, 3, 7)
    assert MembershipChange.objects.filter(action=MembershipChange.Action.JOINED, by=chengguan_staff).count() == 5
    assert PersonChange.objects.count() == 5
    batch.refresh_from_db()
    assert batch.status == MemberImportBatch.Status.COMMITTED
    assert MemberImportBatch.objects.values_list("rows", flat=True).get() == ""


def test_a_file_with_errors_saves_nothing_and_lists_every_error_by_row(login, chengguan_staff, hotel_union):
    rows = [
        member(1),
        member(2, 姓名=""),
        member(3, 性别="男", 公民身份号码=id_number(serial=3, sex_digit=2)),
        member(4, 民族="火星族"),
        member(5, 公民身份号码=id_number(serial=5)[:17] + "0" if id_number(serial=5)[-1] != "0" else "1"),
        member(6, 农牧区户籍="否"),
        member(7, 入会日期="明年"),
        member(8, 工作单位统一社会信用代码="91540102MA6T000000"),
    ]
    upload(login(chengguan_staff), hotel_union, xlsx(rows))
    batch = MemberImportBatch.objects.get()
    assert batch.status == MemberImportBatch.Status.REFUSED
    assert [(row, column) for row, column, _message in errors_of(batch)] == [
        (3, "姓名"),
        (4, "性别"),
        (5, "民族"),
        (6, "公民身份号码"),
        (7, "农牧民工"),
        (8, "入会日期"),
        (9, "工作单位统一社会信用代码"),
    ]
    messages = {(row, column): message for row, column, message in errors_of(batch)}
    assert messages[(3, "姓名")] == "此列必须填写。"
    assert messages[(4, "性别")] == "性别与公民身份号码不符。"
    assert batch.invalid_count == 7
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0


def test_the_errors_are_shown_in_chinese_with_their_rows(login, chengguan_staff, hotel_union):
    client = login(chengguan_staff)
    response = upload(client, hotel_union, xlsx([member(1), member(2, 性别="未知")]))
    page = client.get(response.url).content.decode()
    assert "性别" in page
    assert "男" in page
    assert MemberImportBatch.objects.get().errors[0][0] == 3


@pytest.mark.parametrize("typed", [540102198503070011, 5.40102198503071e17])
def test_an_id_number_typed_as_a_number_is_refused(chengguan_staff, hotel_union, typed):
    batch = member_import_check(xlsx([member(1, 公民身份号码=typed)]), user=chengguan_staff, union=hotel_union)
    assert batch.status == MemberImportBatch.Status.REFUSED
    [(row, column, value, message)] = batch.errors
    assert (row, column) == (2, "公民身份号码")
    assert "15" in message
    assert "文本" in message
    assert "540102198503070011" not in value


def test_the_same_id_number_twice_in_the_file_names_the_first_row(chengguan_staff, hotel_union):
    twin = id_number(serial=1)
    rows = [member(1), member(2), member(3, 公民身份号码=twin.lower()[:17] + twin[17].lower())]
    batch = member_import_check(xlsx(rows), user=chengguan_staff, union=hotel_union)
    [(row, column, value, message)] = batch.errors
    assert (row, column) == (4, "公民身份号码")
    assert "2" in message
    assert value == mask_id(twin)
    assert twin not in str(batch.errors)


def test_a_current_member_of_another_union_is_an_error_naming_that_union(chengguan_staff, lhasa_staff, hotel_union):
    other = grassroots_union("540102", "540102.G002", "城关区某物流公司工会")
    services.enrol(lhasa_staff, union=other, **enrol_values(id_number=id_number(serial=2)))
    batch = member_import_check(xlsx([member(1), member(2)]), user=chengguan_staff, union=hotel_union)
    [(row, column, value, message)] = batch.errors
    assert (row, column) == (3, "公民身份号码")
    assert "城关区某物流公司工会" in message
    assert value == mask_id(id_number(serial=2))


def test_a_former_member_joins_again_as_the_same_person(chengguan_staff, hotel_union):
    membership = services.enrol(chengguan_staff, union=hotel_union, **enrol_values(id_number=id_number(serial=1)))
    services.set_status(
        chengguan_staff,
        membership,
        version=membership.version,
        status=MembershipStatus.WITHDRAWN,
        ended_on=datetime.date(2026, 5, 10),
        reason="本人申请退会",
    )
    batch = member_import_check(
        xlsx([member(1, 姓名="次仁卓玛", 性别="男", 入会日期="2026-06-01")]), user=chengguan_staff, union=hotel_union
    )
    assert batch.errors == []
    member_import_commit(batch, user=chengguan_staff)
    person = Person.objects.get()
    assert person.name == "次仁卓玛"
    assert person.memberships.count() == 2
    assert person.memberships.current().get().joined_on == datetime.date(2026, 6, 1)


def test_a_card_number_in_use_or_twice_in_the_file_is_an_error(chengguan_staff, hotel_union):
    services.enrol(chengguan_staff, union=hotel_union, card_number="A1", **enrol_values(id_number=id_number(serial=9)))
    rows = [member(1, 会员证号="A1"), member(2, 会员证号="B2"), member(3, 会员证号="B2")]
    batch = member_import_check(xlsx(rows), user=chengguan_staff, union=hotel_union)
    assert [(row, column) for row, column, _message in errors_of(batch)] == [(2, "会员证号"), (4, "会员证号")]


def test_an_employer_outside_the_users_area_is_an_error(chengguan_staff, hotel_union):
    elsewhere = make_enterprise("540202")
    batch = member_import_check(
        xlsx([member(1, 工作单位统一社会信用代码=elsewhere.credit_code)]), user=chengguan_staff, union=hotel_union
    )
    assert [(row, column) for row, column, _message in errors_of(batch)] == [(2, "工作单位统一社会信用代码")]


def test_a_missing_column_is_named(chengguan_staff, hotel_union):
    header = [title for title in HEADER if title != "入会日期"]
    batch = member_import_check(xlsx([member(1)], header=header), user=chengguan_staff, union=hotel_union)
    assert [(row, column) for row, column, _message in errors_of(batch)] == [(1, "入会日期")]
    assert batch.status == MemberImportBatch.Status.REFUSED


def test_another_units_union_cannot_be_chosen(login, lhasa_staff, shigatse_union):
    response = upload(login(lhasa_staff), shigatse_union, xlsx([member(1)]))
    assert response.status_code == 200
    assert "union" in response.context["form"].errors
    assert not MemberImportBatch.objects.exists()


def test_viewers_and_reviewers_cannot_import(login, lhasa_viewer, reviewer, hotel_union):
    for user in (lhasa_viewer, reviewer):
        assert upload(login(user), hotel_union, xlsx([member(1)])).status_code == 403


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"name,id\n", "不是"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 damaged", "损坏"),
    ],
)
def test_a_file_that_is_no_workbook_gets_a_clear_error(login, chengguan_staff, hotel_union, content, says):
    response = upload(login(chengguan_staff), hotel_union, SimpleUploadedFile("名册.xlsx", content))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not MemberImportBatch.objects.exists()


def test_a_crafted_workbook_is_refused_without_a_500(login, chengguan_staff, hotel_union):
    content = crafted.one_huge_cell(characters=40_000, level=1)
    response = upload(login(chengguan_staff), hotel_union, SimpleUploadedFile("名册.xlsx", content))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not MemberImportBatch.objects.exists()


def test_a_workbook_declaring_a_huge_size_is_refused(login, chengguan_staff, hotel_union):
    content = crafted.many_shared_strings(count=2_000_000, level=1)
    response = upload(login(chengguan_staff), hotel_union, SimpleUploadedFile("名册.xlsx", content))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_batch_is_confirmed_once_and_only_by_its_uploader(chengguan_staff, lhasa_staff, hotel_union):
    batch = member_import_check(xlsx([member(1)]), user=chengguan_staff, union=hotel_union)
    with pytest.raises(ImportNotPossible):
        member_import_commit(batch, user=lhasa_staff)
    member_import_commit(batch, user=chengguan_staff)
    with pytest.raises(ImportNotPossible):
        member_import_commit(batch, user=chengguan_staff)
    assert Membership.objects.count() == 1


def test_someone_enrolling_a_row_after_the_check_saves_nothing(chengguan_staff, hotel_union):
    batch = member_import_check(xlsx([member(1), member(2)]), user=chengguan_staff, union=hotel_union)
    services.enrol(chengguan_staff, union=hotel_union, **enrol_values(id_number=id_number(serial=2)))
    with pytest.raises(ImportNotPossible):
        member_import_commit(batch, user=chengguan_staff)
    assert Membership.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == MemberImportBatch.Status.PREVIEWED


def test_the_stored_batch_holds_no_plaintext_id_number(chengguan_staff, hotel_union):
    from django.db import connection

    batch = member_import_check(xlsx([member(1)]), user=chengguan_staff, union=hotel_union)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows, errors FROM members_memberimportbatch WHERE id = %s", [batch.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert id_number(serial=1) not in stored
    assert "13800000001" not in stored


def test_progress_is_reported(chengguan_staff, hotel_union):
    seen = []
    batch = member_import_check(
        xlsx([member(serial) for serial in range(1, 4)]),
        user=chengguan_staff,
        union=hotel_union,
        progress=lambda done, total: seen.append((done, total)),
    )
    member_import_commit(batch, user=chengguan_staff, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3), (3, 3)]


def test_an_imported_member_has_the_history_of_one_enrolled_by_hand(chengguan_staff, lhasa_staff, hotel_union):
    employer = make_enterprise("540102")
    values = enrol_values(id_number=id_number(serial=1), card_number="C1", employer=employer)
    by_hand = services.enrol(lhasa_staff, union=hotel_union, **values)
    row = member(2, 姓名=values["name"], 手机号码=values["phone"], 会员证号="C2")
    row["工作单位统一社会信用代码"] = employer.credit_code
    batch = member_import_check(xlsx([row]), user=chengguan_staff, union=hotel_union)
    member_import_commit(batch, user=chengguan_staff)
    imported = Membership.objects.exclude(pk=by_hand.pk).get()
    person_history = [PersonChange.objects.get(person=m.person).changes for m in (by_hand, imported)]
    person_history[1]["id_number"] = person_history[0]["id_number"]
    assert person_history[0] == person_history[1]
    membership_history = [MembershipChange.objects.get(membership=m).changes for m in (by_hand, imported)]
    membership_history[1]["card_number"] = membership_history[0]["card_number"]
    assert membership_history[0] == membership_history[1]


def test_a_file_without_its_header_row_shows_no_full_number(chengguan_staff, hotel_union):
    data_as_header = [str(value) for value in member(1).values()]
    batch = member_import_check(xlsx([], header=data_as_header), user=chengguan_staff, union=hotel_union)
    assert batch.status == MemberImportBatch.Status.REFUSED
    assert mask_id(id_number(serial=1)) in str(batch.errors)
    assert id_number(serial=1) not in str(batch.errors)


def test_an_id_number_in_the_phone_column_is_shown_masked(chengguan_staff, hotel_union):
    batch = member_import_check(
        xlsx([member(1, 手机号码=id_number(serial=2))]), user=chengguan_staff, union=hotel_union
    )
    [(row, column, value, _message)] = batch.errors
    assert (row, column) == (2, "手机号码")
    assert id_number(serial=2) not in value
