import csv
import datetime
import io
import os
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl import load_workbook

from conftest import make_enterprise
from enterprises.exports import XLSX_CONTENT_TYPE, export_headers, xlsx_response
from enterprises.models import Enterprise
from enterprises.resources import headers

pytestmark = pytest.mark.django_db

FORMULA_LIKE = ['=HYPERLINK("http://example.com","点我")', "+1", "-1", "@SUM(A1)", "\tcmd", "#N/A"]


def heading(field):
    return str(capfirst(Enterprise._meta.get_field(field).verbose_name))


def export(client, **params):
    response = client.get(reverse("enterprises:export"), params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def xlsx_sheet(client, **params):
    _response, content = export(client, format="xlsx", **params)
    return load_workbook(io.BytesIO(content)).active


def csv_rows(client, **params):
    _response, content = export(client, format="csv", **params)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def exported_names(client, **params):
    """The names in the export, read from the xlsx and the CSV (which must agree)."""
    name_column = export_headers().index("企业名称")
    from_xlsx = [row[name_column] for row in xlsx_sheet(client, **params).iter_rows(min_row=2, values_only=True)]
    from_csv = [row[name_column] for row in csv_rows(client, **params)[1:]]
    assert from_xlsx == from_csv
    return from_xlsx


def test_the_workbook_has_a_bold_frozen_header_of_field_names(login, reviewer, lhasa_enterprise):
    sheet = xlsx_sheet(login(reviewer))
    header = [cell.value for cell in sheet[1]]
    assert header == export_headers()
    assert header == headers()  # the import template's: an export can be corrected and imported back
    assert header[:5] == [
        "统一社会信用代码",
        "企业名称",
        "地址",
        "所在县（区）（代码或名称）",
        "负责报送单位（代码或名称）",
    ]
    assert "职工人数" in header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 30


def test_a_row_shows_values_as_people_read_them(login, reviewer):
    group = make_enterprise("540102", name="西藏雪域集团有限公司")
    enterprise = make_enterprise(
        "540102",
        name="拉萨高原建材有限公司",
        address="拉萨市城关区北京中路1号",
        industry="C",
        headcount=320,
        migrant_workers=40,
        registered_on=datetime.date(2019, 8, 10),
        profitable=True,
        party_org="own",
        parent_group=group,
    )
    sheet = xlsx_sheet(login(reviewer), sort="-headcount")
    row = dict(zip(export_headers(), (cell for cell in sheet[2]), strict=True))
    values = {header: cell.value for header, cell in row.items()}
    assert values["统一社会信用代码"] == enterprise.credit_code
    assert values["企业名称"] == "拉萨高原建材有限公司"
    assert values["所在县（区）（代码或名称）"] == "城关区"
    assert values["负责报送单位（代码或名称）"] == "拉萨市总工会"
    assert values["职工人数"] == 320
    assert values["集团总部"] == group.credit_code
    assert values[heading("industry")] == "C 制造业"
    assert values[heading("profitable")] == "是"
    assert values[heading("operates_across_prefectures")] == "否"
    registered = row[heading("registered_on")]
    assert registered.value == datetime.datetime(2019, 8, 10)
    assert registered.number_format == "yyyy-mm-dd"
    assert values[heading("union_founded_on")] is None

    csv_row = dict(zip(export_headers(), csv_rows(login(reviewer), sort="-headcount")[1], strict=True))
    assert csv_row[heading("registered_on")] == "2019-08-10"
    assert csv_row["职工人数"] == "320"
    assert csv_row["所在县（区）（代码或名称）"] == "城关区"


def test_staff_export_only_their_own_area(login, lhasa_staff, lhasa_enterprise, shigatse_enterprise):
    assert exported_names(login(lhasa_staff)) == [lhasa_enterprise.name]


def test_viewers_export_their_area_too(login, lhasa_viewer, lhasa_enterprise, shigatse_enterprise):
    assert exported_names(login(lhasa_viewer)) == [lhasa_enterprise.name]


def test_the_export_applies_the_lists_filters(login, reviewer):
    make_enterprise("540102", name="大型企业", headcount=800)
    make_enterprise("540102", name="小型企业", headcount=30)
    client = login(reviewer)
    assert exported_names(client, band=100) == ["大型企业"]
    assert exported_names(client, sort="headcount") == ["小型企业", "大型企业"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_stays_text_in_the_workbook(login, reviewer, text):
    make_enterprise("540102", name=text, notes=text)
    sheet = xlsx_sheet(login(reviewer))
    headers = export_headers()
    for column in (headers.index("企业名称"), len(headers) - 1):
        cell = sheet.cell(row=2, column=column + 1)
        assert cell.data_type == "s"
        assert cell.value == text


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_starts_with_a_quote_in_the_csv(login, reviewer, text):
    make_enterprise("540102", name=text)
    row = csv_rows(login(reviewer))[1]
    assert row[export_headers().index("企业名称")] == "'" + text


def test_control_characters_that_xml_cannot_hold_are_dropped_from_the_workbook(login, reviewer):
    make_enterprise("540102", notes="第一行\x0b第二行\x01")
    sheet = xlsx_sheet(login(reviewer))
    assert sheet.cell(row=2, column=len(export_headers())).value == "第一行第二行"


def test_ordinary_text_is_not_quoted_in_the_csv(login, reviewer, lhasa_enterprise):
    row = csv_rows(login(reviewer))[1]
    assert row[export_headers().index("企业名称")] == lhasa_enterprise.name


def test_the_csv_starts_with_a_byte_order_mark_for_excel(login, reviewer, lhasa_enterprise):
    response, content = export(login(reviewer), format="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_both_formats_stream(login, reviewer, lhasa_enterprise, kind):
    response = login(reviewer).get(reverse("enterprises:export"), {"format": kind})
    assert response.streaming is True
    response.close()


def test_the_workbooks_temporary_file_has_no_name_on_disk_and_closes_with_the_response(lhasa_enterprise):
    response = xlsx_response(Enterprise.objects.all(), "企业名录.xlsx")
    workbook_file = response.file_to_stream
    assert os.fstat(workbook_file.fileno()).st_nlink == 0
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    response.close()
    assert workbook_file.closed


def download_name(response):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    return unquote(disposition.split("''", 1)[1])


def test_the_file_is_named_after_the_unit_and_the_day_in_lhasa(login, lhasa_staff, monkeypatch):
    # 17:30 UTC on 21 November is already 22 November in Asia/Shanghai.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 11, 21, 17, 30, tzinfo=datetime.UTC))
    client = login(lhasa_staff)
    response, _content = export(client, format="xlsx")
    assert download_name(response) == "企业名录_拉萨市总工会_20261122.xlsx"
    response, _content = export(client, format="csv")
    assert download_name(response) == "企业名录_拉萨市总工会_20261122.csv"


def test_the_file_of_those_who_see_every_unit_is_named_for_the_whole_region(login, reviewer):
    response, _content = export(login(reviewer))
    assert download_name(response) == f"企业名录_{gettext('Whole region')}_{timezone.localdate():%Y%m%d}.xlsx"


def test_an_unknown_format_is_refused(login, reviewer):
    response = login(reviewer).get(reverse("enterprises:export"), {"format": "pdf"})
    assert response.status_code == 400


def test_without_a_format_the_export_is_a_workbook(login, reviewer, lhasa_enterprise):
    response, content = export(login(reviewer))
    assert download_name(response).endswith(".xlsx")
    assert content.startswith(b"PK")


def test_the_list_offers_both_exports_of_what_it_shows(login, reviewer):
    page = login(reviewer).get(reverse("enterprises:list"), {"band": 100, "page": 2}).content.decode()
    export_url = reverse("enterprises:export")
    assert f"{export_url}?format=xlsx&amp;band=100" in page
    assert f"{export_url}?format=csv&amp;band=100" in page
    assert "page=2" not in page.split(export_url, 1)[1].split('"', 1)[0]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("enterprises:export"))
    assert response.status_code == 302


def test_an_export_imports_back_unchanged(login, lhasa_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.imports import import_check

    group = make_enterprise("540102", name="西藏雪域集团有限公司", headcount=900, union_status="own")
    make_enterprise("540122", name="当雄牧业专业合作社", key_sector="cooperative", parent_group=group, notes="=备注")
    make_enterprise("540102", registered_on=datetime.date(2001, 2, 3), development_zone="拉萨经济技术开发区")
    response = login(lhasa_staff).get(reverse("enterprises:export"))
    workbook = SimpleUploadedFile("导出.xlsx", b"".join(response.streaming_content))
    batch = import_check(workbook, user=lhasa_staff)
    assert batch.errors == []
    assert (batch.row_count, batch.unchanged_count) == (3, 3)
