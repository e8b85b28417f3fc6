import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enterprises.imports.grassroots import COLUMNS
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db

HEADER = [str(title) for _field, title, _example in COLUMNS]


def workbook_file(*rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("基层工会.xlsx", buffer.getvalue())


def row(parent="540102002", name="八廓街道商户联合工会", form="联合基层工会", village="", founded="2019-08-10"):
    return [parent, name, "", form, village, "次仁", "0891-6321234", "八廓街1号", founded]


def upload(client, *rows):
    return client.post(reverse("enterprises:grassroots_import"), {"file": workbook_file(*rows)})


def test_a_clean_file_is_previewed_then_set_up_all_at_once_on_confirmation(login, chengguan_staff):
    client = login(chengguan_staff)
    page = upload(client, row(), row(name="绕赛社区工会", form="社区工会", village="540102002001")).content.decode()
    assert "八廓街道商户联合工会" in page
    assert not UnionOrg.objects.grassroots().exists()  # nothing before confirmation
    response = client.post(reverse("enterprises:grassroots_import"), {"action": "confirm"})
    assert response.status_code == 302
    unions = UnionOrg.objects.grassroots().order_by("code")
    assert [(u.name, u.form, u.parent.code) for u in unions] == [
        ("八廓街道商户联合工会", "joint", "540102002"),
        ("绕赛社区工会", "community", "540102002"),
    ]
    assert unions[1].statistical_division_id == "540102002001"
    assert unions[0].founded_on.isoformat() == "2019-08-10"


def test_every_error_is_reported_with_its_row_and_column_and_nothing_is_saved(login, chengguan_staff):
    client = login(chengguan_staff)
    page = upload(
        client,
        row(),
        row(parent="540202", name="日喀则的工会"),  # outside 城关区
        row(name="某村工会", form="村工会"),  # a village union without its village
        row(name="某工会", form="某种形式", founded="2999-01-01"),
        row(),  # the same union twice
    ).content.decode()
    for fragment in ("540202", "村工会须填写所在村的统计用区划代码", "2999-01-01", "某种形式", "第6行与第2行"):
        assert fragment in page, fragment
    assert client.post(reverse("enterprises:grassroots_import"), {"action": "confirm"}).status_code == 302
    assert not UnionOrg.objects.grassroots().exists()


def test_a_file_without_the_templates_columns_is_refused(login, chengguan_staff):
    client = login(chengguan_staff)
    response = client.post(reverse("enterprises:grassroots_import"), {"file": workbook_file(["x"], header=["名称"])})
    assert "上级工会代码" in response.content.decode()


def test_the_template_uploaded_unchanged_is_a_valid_import(login, lhasa_staff):
    client = login(lhasa_staff)
    template = b"".join(client.get(reverse("enterprises:grassroots_import_template")).streaming_content)
    assert load_workbook(io.BytesIO(template)).active["A2"].value == "540100"
    response = client.post(reverse("enterprises:grassroots_import"), {"file": SimpleUploadedFile("t.xlsx", template)})
    assert 'data-testid="import-errors"' not in response.content.decode()
    client.post(reverse("enterprises:grassroots_import"), {"action": "confirm"})
    assert UnionOrg.objects.grassroots().get().parent.code == "540100"
