"""Exporting the member list: masked numbers for everyone who sees it, full numbers for a logged reason."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members import crypto, services
from members.exports import export_members
from members.idnumbers import mask_id
from members.models import Membership, MembershipStatus, PersonalDataAccess
from members.tests.helpers import enrol_values, grassroots_union, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel_union(db):
    return grassroots_union("540102", "540102.G001", "拉萨某酒店工会")


@pytest.fixture
def shigatse_union(db):
    return grassroots_union("540202", "540202.G001", "日喀则某建筑项目工会联合会")


@pytest.fixture
def members(chengguan_staff, shigatse_staff, hotel_union, shigatse_union):
    """Two members of a 城关区 union (one of whom has withdrawn) and one of a 日喀则 union."""
    first = services.enrol(chengguan_staff, union=hotel_union, **enrol_values(id_number=id_number(serial=1)))
    second = services.enrol(
        chengguan_staff, union=hotel_union, **enrol_values(id_number=id_number(serial=2), phone="13900000002")
    )
    services.set_status(
        chengguan_staff,
        second,
        version=second.version,
        status=MembershipStatus.WITHDRAWN,
        ended_on=datetime.date(2026, 6, 1),
        reason="本人申请退会",
    )
    services.enrol(shigatse_staff, union=shigatse_union, **enrol_values(id_number=id_number(serial=3)))
    return first


def body(response):
    """The downloaded file: the export streams it from a temporary file (read once, kept for a second look)."""
    if not hasattr(response, "downloaded"):
        response.downloaded = b"".join(response.streaming_content) if response.streaming else response.content
    return response.downloaded


def unpacked(content):
    """Every part of the workbook as text: what a reader of the file could find in it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode() for name in archive.namelist())


def rows_of(content):
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_the_export_is_masked_by_default(login, lhasa_viewer, members):
    response = login(lhasa_viewer).get(reverse("members:export"))
    assert response.status_code == 200
    text = unpacked(body(response))
    for serial in (1, 2, 3):
        assert id_number(serial=serial) not in text
    assert "13812345678" not in text
    assert "13900000002" not in text
    assert mask_id(id_number(serial=1)) in text
    header, *rows = rows_of(body(response))
    assert header[:4] == ("姓名", "性别", "民族", "公民身份号码")
    assert len(rows) == 1  # as the list shows by default: Lhasa's current member, not the one who withdrew
    assert not PersonalDataAccess.objects.exists()


def test_the_export_takes_the_lists_filters(login, lhasa_staff, members, hotel_union, shigatse_union):
    client = login(lhasa_staff)
    current = client.get(reverse("members:export"), {"union": hotel_union.code, "status": "member"})
    assert [row[-1] for row in rows_of(body(current))[1:]] == ["会员"]
    elsewhere = client.get(reverse("members:export"), {"union": shigatse_union.code})
    assert len(rows_of(body(elsewhere))) == 1


def test_the_masked_export_does_not_read_the_encrypted_columns(members, monkeypatch):
    def refuse(token):
        raise AssertionError("the masked export decrypted a number")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    content = export_members(Membership.objects.all())
    assert len(rows_of(content)) == 4


def test_full_numbers_need_a_reason(login, chengguan_staff, members):
    client = login(chengguan_staff)
    page = client.get(reverse("members:export_full"))
    assert page.status_code == 200
    assert "2" in body(page).decode()
    refused = client.post(reverse("members:export_full"), {"reason": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors
    assert not PersonalDataAccess.objects.exists()


def test_a_full_export_has_the_numbers_and_writes_the_log(login, chengguan_staff, members, hotel_union):
    client = login(chengguan_staff)
    url = reverse("members:export_full") + f"?union={hotel_union.code}&status=member"
    response = client.post(url, {"reason": "核对会员实名信息"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = unpacked(body(response))
    assert id_number(serial=1) in text
    assert "13812345678" in text
    assert id_number(serial=2) not in text
    access = PersonalDataAccess.objects.get()
    assert (access.kind, access.user, access.organisation, access.rows, access.reason) == (
        PersonalDataAccess.Kind.EXPORT,
        chengguan_staff,
        hotel_union,
        1,
        "核对会员实名信息",
    )


@pytest.mark.parametrize("persona", ["lhasa_viewer", "reviewer", "administrator"])
def test_viewers_reviewers_and_administrators_cannot_export_full_numbers(login, request, persona, members):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("members:export_full")).status_code == 403
    assert client.post(reverse("members:export_full"), {"reason": "想看看"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_staff_cannot_export_another_units_members_in_full(login, shigatse_staff, members, hotel_union):
    client = login(shigatse_staff)
    response = client.post(reverse("members:export_full") + f"?union={hotel_union.code}", {"reason": "核对"})
    assert len(rows_of(body(response))) == 1
    assert id_number(serial=1) not in unpacked(body(response))


def test_export_reports_progress(members):
    seen = []
    export_members(Membership.objects.all(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3)]
