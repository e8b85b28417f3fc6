"""Importing the registry from Excel: everything is checked, then all of it is saved or none."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import make_enterprise
from enterprises.checks import openpyxl_parses_xml_safely
from enterprises.credit_code import with_check_character
from enterprises.imports import ImportNotPossible, ImportRefused, import_check, import_commit
from enterprises.imports import commit as import_commit_module
from enterprises.imports import files as import_files
from enterprises.imports import preview as import_preview
from enterprises.models import Enterprise, EnterpriseChange, ImportBatch
from enterprises.resources import headers
from unions.models import UnionOrg

pytestmark = pytest.mark.django_db


def code(serial, county="540102", department="91"):
    return with_check_character(f"{department}{county}MA6T{serial:05d}")


def row(serial, **values):
    """A template row, by header: only what a test cares about needs saying."""
    base = {
        "统一社会信用代码": code(serial),
        "企业名称": f"导入测试企业{serial}有限公司",
        "所在县（区）（代码或名称）": "540102",
        "行业门类": "C",
        "职工人数": 120,
        "农牧民工人数": 30,
        "党组织": "单独建立党组织",
        "工会组织": "未建会",
    }
    base.update(values)
    return base


def xlsx(rows, header=None, name="企业名录.xlsx"):
    header = header or headers()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(title) for title in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def download_template(client):
    response = client.get(reverse("enterprises:import_template"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_template_has_chinese_headers_and_an_example_row(login, lhasa_staff):
    sheet = load_workbook(io.BytesIO(download_template(login(lhasa_staff)))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("统一社会信用代码", "企业名称", "地址")
    assert "职工人数" in rows[0]
    assert rows[1][1] == "西藏雪域建材有限公司"


@pytest.mark.parametrize(
    "persona", ["lhasa_staff", "chengguan_staff", "shigatse_staff", "ngari_staff", "administrator"]
)
def test_the_template_uploaded_unchanged_is_a_valid_import_of_its_example(login, request, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    template = SimpleUploadedFile("模板.xlsx", download_template(client))
    response = client.post(reverse("enterprises:import"), {"file": template})
    batch = ImportBatch.objects.get(created_by=user)
    assert response.url == reverse("enterprises:import_preview", args=[batch.pk])
    assert batch.errors == []
    assert (batch.status, batch.new_count) == (ImportBatch.Status.PREVIEWED, 1)
    client.post(response.url)
    example = Enterprise.objects.get()
    assert Enterprise.objects.visible_to(user).filter(pk=example.pk).exists()


def _validations(sheet):
    """{header: the list a column's drop-down offers}, following references to the hidden sheet."""
    book = sheet.parent
    offered = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        formula = validation.formula1
        if formula.startswith('"'):
            entries = formula.strip('"').split(",")
        else:
            title, cells = formula.split("!")
            entries = [cell.value for (cell,) in book[title.strip("'")][cells.replace("$", "")]]
        for area in validation.sqref.ranges:
            assert area.max_row == 100_001
            for column in range(area.min_col, area.max_col + 1):
                offered[sheet.cell(row=1, column=column).value] = entries
    return offered


def test_the_template_offers_drop_down_lists_for_the_choice_columns(login, lhasa_staff, administrator):
    lhasa = load_workbook(io.BytesIO(download_template(login(lhasa_staff)))).worksheets[0]
    offered = _validations(lhasa)
    assert offered["行业门类"][2] == "C 制造业"
    assert len(offered["行业门类"]) == 20
    assert "物流（快递）业" in offered["重点领域"]
    assert offered["党组织"] == ["未建党组织", "单独建立党组织", "联合建立党组织"]
    assert "联合基层工会" in offered["工会组织"]
    for yes_no in ("非公有制企业", "已注册并正常经营", "产生经济效益", "跨地经营", "经营者有政治安排", "互联网企业"):
        assert offered[yes_no] == ["是", "否"]
    assert offered["所在县（区）（代码或名称）"][0] == "城关区"
    assert len(offered["所在县（区）（代码或名称）"]) == 8  # Lhasa's counties, nobody else's
    assert "拉萨市总工会" in offered["负责报送单位（代码或名称）"]
    assert "日喀则市总工会" not in offered["负责报送单位（代码或名称）"]

    region = load_workbook(io.BytesIO(download_template(login(administrator))))
    offered = _validations(region.worksheets[0])
    assert len(offered["所在县（区）（代码或名称）"]) == 74  # too long for the formula: on the hidden sheet
    hidden = [sheet for sheet in region.worksheets[1:] if sheet.sheet_state == "hidden"]
    assert len(hidden) == 1


def test_a_valid_file_is_previewed_then_saved_with_its_history(lhasa_staff):
    batch = import_check(xlsx([row(1), row(2, 注册日期="2012年3月5日")]), user=lhasa_staff)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert (batch.row_count, batch.new_count, batch.error_total) == (2, 2, 0)
    assert not Enterprise.objects.exists()  # nothing is saved before confirmation

    import_commit(batch, user=lhasa_staff)
    saved = Enterprise.objects.get(credit_code=code(2))
    assert saved.responsible_unit.code == "540100"
    assert str(saved.registered_on) == "2012-03-05"
    change = saved.changes.get()
    assert change.action == EnterpriseChange.Action.IMPORTED
    assert change.changed_by == lhasa_staff
    assert "企业名录.xlsx" in change.reason


def test_one_bad_row_blocks_the_whole_file_and_every_error_is_listed(lhasa_staff):
    rows = [row(1), row(2, 职工人数="很多"), row(3, 统一社会信用代码="91540102MA6T0000"), row(4, 工会组织="不知道")]
    batch = import_check(xlsx(rows), user=lhasa_staff)
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.invalid_count == 3
    problems = {(r, column) for r, column, _value, _message in batch.errors}
    assert problems == {(3, "职工人数"), (4, "统一社会信用代码"), (5, "工会组织")}
    messages = " ".join(message for *_rest, message in batch.errors)
    assert "整数" in messages
    assert "18位" in messages
    assert "单独建会" in messages
    with pytest.raises(ImportNotPossible):
        import_commit(batch, user=lhasa_staff)
    assert not Enterprise.objects.exists()


def test_one_upload_reports_every_error_of_a_row_at_once(lhasa_staff):
    """Not one error per upload: the cell errors, the missing values, the check character, the place, the rules
    between fields and the model's rules of one row all come out together."""
    wrong_check_character = code(1)[:-1] + ("0" if code(1)[-1] != "0" else "1")
    bad = row(
        1,
        统一社会信用代码=wrong_check_character,
        企业名称="",
        地址="长" * 201,
        **{"所在县（区）（代码或名称）": "火星县", "负责报送单位（代码或名称）": "日喀则市总工会"},
        行业门类="不知道",
        非公有制企业="也许",
        职工人数=3_000_000_000,
        农牧民工人数=3_000_000_001,
        注册日期="2999-01-01",
        工会组织="未建会",
        建会日期="2019-01-01",
        集团总部=wrong_check_character,
    )
    batch = import_check(xlsx([row(2), bad]), user=lhasa_staff)
    found = {column: message for row_number, column, _value, message in batch.errors if row_number == 3}
    assert set(found) == {
        "统一社会信用代码",
        "企业名称",
        "地址",
        "所在县（区）（代码或名称）",
        "负责报送单位（代码或名称）",
        "行业门类",
        "非公有制企业",
        "职工人数",
        "农牧民工人数",
        "注册日期",
        "建会日期",
        "集团总部",
    }
    assert "校验位" in found["统一社会信用代码"]
    assert "必须填写" in found["企业名称"]
    assert "您的权限范围内没有这个县（区）" in found["所在县（区）（代码或名称）"]
    assert "农牧民工" in found["农牧民工人数"]
    assert "晚于今天" in found["注册日期"]
    assert batch.invalid_count == 1
    assert batch.error_total == len(found)  # one error per column: none is reported twice


def test_a_row_with_errors_is_still_compared_with_the_registry(lhasa_staff, shigatse_enterprise):
    batch = import_check(
        xlsx([row(1, 统一社会信用代码=shigatse_enterprise.credit_code, 职工人数="很多")]), user=lhasa_staff
    )
    messages = [message for _row, _column, _value, message in batch.errors]
    assert len(messages) == 2
    assert "整数" in messages[0]
    assert "属于其他单位" in messages[1]


def test_a_duplicate_code_is_found_even_in_rows_with_other_errors(lhasa_staff):
    batch = import_check(xlsx([row(1, 职工人数="很多"), row(1, 行业门类="不知道")]), user=lhasa_staff)
    assert any("第 3 行与第 2 行" in message for *_rest, message in batch.errors)


def test_a_duplicate_code_in_the_file_names_both_rows(lhasa_staff):
    batch = import_check(xlsx([row(1), row(2), row(1, 企业名称="重复的企业")]), user=lhasa_staff)
    assert batch.status == ImportBatch.Status.REFUSED
    [(row_number, _column, _value, message)] = batch.errors
    assert row_number == 4
    assert "第 4 行与第 2 行" in message


def test_a_row_outside_the_users_area_is_an_error(lhasa_staff, shigatse_enterprise):
    rows = [
        row(1, **{"所在县（区）（代码或名称）": "540202"}),
        row(2, 统一社会信用代码=shigatse_enterprise.credit_code),
    ]
    batch = import_check(xlsx(rows), user=lhasa_staff)
    messages = [message for *_rest, message in batch.errors]
    assert len(messages) == 2
    assert "您的权限范围内没有这个县（区）" in messages[0]
    assert "属于其他单位" in messages[1]


def test_existing_enterprises_are_updated_and_the_preview_shows_old_and_new(lhasa_staff, lhasa_enterprise):
    changed = row(1, 统一社会信用代码=lhasa_enterprise.credit_code, 企业名称=lhasa_enterprise.name, 工会组织="单独建会")
    unchanged_source = make_enterprise("540102", name="未变企业", headcount=120, migrant_workers=30, party_org="own")
    unchanged = row(
        2,
        统一社会信用代码=unchanged_source.credit_code,
        企业名称="未变企业",
        地址="",
        非公有制企业="是",
        已注册并正常经营="是",
        产生经济效益="否",
    )
    batch = import_check(xlsx([changed, unchanged]), user=lhasa_staff)
    assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (0, 1, 1)
    [stored] = batch.rows
    assert stored[5]["union_status"] == ["未建会", "单独建会"]
    import_commit(batch, user=lhasa_staff)
    lhasa_enterprise.refresh_from_db()
    assert lhasa_enterprise.union_status == "own"
    assert lhasa_enterprise.version == 2
    assert lhasa_enterprise.changes.get().fields["union_status"] == ["未建会", "单独建会"]


def test_columns_left_out_of_the_file_keep_their_values(lhasa_staff):
    existing = make_enterprise("540102", notes="保留的备注", well_known=True)
    header = ["统一社会信用代码", "企业名称", "所在县（区）（代码或名称）", "行业门类", "职工人数"]
    values = {
        "统一社会信用代码": existing.credit_code,
        "企业名称": "改名后的企业",
        "所在县（区）（代码或名称）": "城关区",
        "行业门类": "制造业",
        "职工人数": 130,
    }
    import_commit(import_check(xlsx([values], header=header), user=lhasa_staff), user=lhasa_staff)
    existing.refresh_from_db()
    assert (existing.name, existing.headcount, existing.notes, existing.well_known) == (
        "改名后的企业",
        130,
        "保留的备注",
        True,
    )


def test_an_empty_unit_keeps_an_existing_enterprises_unit_and_new_ones_get_the_prefectures(lhasa_staff):
    non_public_federation = UnionOrg.objects.get(code="540000.FGQ")
    existing = make_enterprise("540102", responsible_unit=non_public_federation)
    rows = [row(1, 统一社会信用代码=existing.credit_code, 备注="已核实"), row(2)]
    batch = import_check(xlsx(rows), user=lhasa_staff)
    assert batch.errors == []
    assert "responsible_unit" not in batch.rows[0][5]  # the preview shows no change of unit
    import_commit(batch, user=lhasa_staff)
    existing.refresh_from_db()
    assert (existing.notes, existing.responsible_unit) == ("已核实", non_public_federation)
    assert Enterprise.objects.get(credit_code=code(2)).responsible_unit.code == "540100"


def test_an_empty_unit_follows_a_move_to_another_prefecture_and_the_preview_says_so(administrator):
    existing = make_enterprise("540102")
    moved = row(1, 统一社会信用代码=existing.credit_code, **{"所在县（区）（代码或名称）": "540202"})
    batch = import_check(xlsx([moved]), user=administrator)
    assert batch.rows[0][5]["responsible_unit"] == ["拉萨市总工会", "日喀则市总工会"]
    import_commit(batch, user=administrator)
    existing.refresh_from_db()
    assert existing.responsible_unit.code == "540200"


def test_new_enterprises_from_a_file_without_the_unit_column_get_the_prefectures_federation(lhasa_staff):
    header = ["统一社会信用代码", "企业名称", "所在县（区）（代码或名称）", "行业门类", "职工人数"]
    values = {
        "统一社会信用代码": code(1),
        "企业名称": "新企业",
        "所在县（区）（代码或名称）": "城关区",
        "行业门类": "C",
        "职工人数": 130,
    }
    import_commit(import_check(xlsx([values], header=header), user=lhasa_staff), user=lhasa_staff)
    assert Enterprise.objects.get().responsible_unit.code == "540100"


def test_formulas_and_text_that_looks_like_one_are_stored_as_plain_text(lhasa_staff):
    rows = [
        row(1, 企业名称='=HYPERLINK("http://example.invalid","点我")'),
        row(2, 企业名称="+86 公司", 地址="@某处", 备注="-1"),
    ]
    import_commit(import_check(xlsx(rows), user=lhasa_staff), user=lhasa_staff)
    assert Enterprise.objects.get(credit_code=code(1)).name == '=HYPERLINK("http://example.invalid","点我")'
    second = Enterprise.objects.get(credit_code=code(2))
    assert (second.name, second.address, second.notes) == ("+86 公司", "@某处", "-1")


def test_a_formula_where_a_number_belongs_is_an_error(lhasa_staff):
    batch = import_check(xlsx([row(1, 职工人数="=100+20")]), user=lhasa_staff)
    assert batch.errors[0][1] == "职工人数"


def test_dates_may_be_excel_dates_iso_or_chinese(lhasa_staff):
    import datetime

    rows = [row(1, 注册日期=datetime.date(2015, 4, 1)), row(2, 注册日期="2015-04-01"), row(3, 注册日期="2015年4月1日")]
    import_commit(import_check(xlsx(rows), user=lhasa_staff), user=lhasa_staff)
    assert set(Enterprise.objects.values_list("registered_on", flat=True)) == {datetime.date(2015, 4, 1)}


def test_model_rules_apply_the_same_on_every_database(lhasa_staff):
    batch = import_check(xlsx([row(1, 企业名称="长" * 201), row(2, 职工人数=3_000_000_000)]), user=lhasa_staff)
    assert {(r, column) for r, column, *_ in batch.errors} == {(2, "企业名称"), (3, "职工人数")}


def test_letter_department_codes_and_a_code_registered_elsewhere_are_accepted(lhasa_staff):
    rows = [row(1, 统一社会信用代码=code(1, department="N1")), row(2, 统一社会信用代码=code(2, county="540202"))]
    batch = import_check(xlsx(rows), user=lhasa_staff)
    assert batch.error_total == 0


def test_confirming_twice_imports_once(lhasa_staff):
    batch = import_check(xlsx([row(1), row(2)]), user=lhasa_staff)
    import_commit(batch, user=lhasa_staff)
    with pytest.raises(ImportNotPossible):
        import_commit(batch, user=lhasa_staff)
    assert Enterprise.objects.count() == 2
    assert EnterpriseChange.objects.count() == 2


def test_a_preview_gone_stale_is_refused_and_writes_nothing(lhasa_staff, lhasa_enterprise):
    changed = row(1, 统一社会信用代码=lhasa_enterprise.credit_code, 工会组织="单独建会")
    batch = import_check(xlsx([changed, row(2)]), user=lhasa_staff)
    Enterprise.objects.filter(pk=lhasa_enterprise.pk).update(version=9)
    with pytest.raises(ImportNotPossible, match="第 2 行"):
        import_commit(batch, user=lhasa_staff)
    assert not Enterprise.objects.filter(credit_code=code(2)).exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEWED


def test_a_new_code_someone_else_added_after_the_check_is_refused_naming_the_row(login, lhasa_staff):
    batch = import_check(xlsx([row(1), row(2)]), user=lhasa_staff)
    make_enterprise("540102", credit_code=code(2))  # another clerk, after the preview
    response = login(lhasa_staff).post(reverse("enterprises:import_preview", args=[batch.pk]), follow=True)
    assert "第 3 行" in response.content.decode()
    assert code(2) in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEWED


def test_a_new_code_added_between_the_last_check_and_the_insert_is_refused_the_same(lhasa_staff, monkeypatch):
    batch = import_check(xlsx([row(1), row(2)]), user=lhasa_staff)
    make_enterprise("540102", credit_code=code(2))
    real_lookup = import_commit_module._codes_taken
    lookups = []

    def committed_just_after_the_lookup(codes):
        # The first lookup runs just before the other clerk's transaction commits, so it sees nothing.
        lookups.append(codes)
        return set() if len(lookups) == 1 else real_lookup(codes)

    monkeypatch.setattr(import_commit_module, "_codes_taken", committed_just_after_the_lookup)
    with pytest.raises(ImportNotPossible, match="第 3 行"):
        import_commit(batch, user=lhasa_staff)
    assert len(lookups) == 2  # the insert failed on the unique code and was turned into the refusal
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert not EnterpriseChange.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEWED


def test_an_unknown_or_missing_column_is_reported_before_any_row(lhasa_staff):
    header = ["统一社会信用代码", "企业名称", "职工人数", "神秘列"]
    batch = import_check(xlsx([{"统一社会信用代码": code(1)}], header=header), user=lhasa_staff)
    messages = {(value, message) for _row, _column, value, message in batch.errors}
    assert ("神秘列", "模板中没有这一列。") in messages
    assert any("所在县（区）" in value for value, _message in messages)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"credit_code,name\n", "企业.csv", "不是 Excel .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧格式.xls", "另存为 .xlsx"),
        (b"PK\x03\x04 this is not really a zip", "损坏.xlsx", "文件已损坏"),
    ],
)
def test_a_wrong_or_damaged_file_gets_a_clear_message(lhasa_staff, content, name, message):
    with pytest.raises(ImportRefused, match=message):
        import_check(SimpleUploadedFile(name, content), user=lhasa_staff)


def test_a_zip_bomb_is_refused_without_unpacking_it(lhasa_staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (50 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="解压后的数据量"):
        import_check(SimpleUploadedFile("炸弹.xlsx", buffer.getvalue()), user=lhasa_staff)


def test_xml_entities_in_a_workbook_are_refused(lhasa_staff):
    upload = xlsx([row(1)])
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[-1]
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
            archive.writestr(item, data)
    with pytest.raises(ImportRefused, match="文件已损坏"):
        import_check(SimpleUploadedFile("实体.xlsx", buffer.getvalue()), user=lhasa_staff)


def test_too_large_a_file_is_refused_before_reading(lhasa_staff, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_BYTES", 100)
    with pytest.raises(ImportRefused, match="20 MB"):
        import_check(xlsx([row(1)]), user=lhasa_staff)


def test_too_many_rows_are_refused(lhasa_staff, monkeypatch):
    monkeypatch.setattr(import_preview, "MAX_ROWS", 3)
    with pytest.raises(ImportRefused, match="100,000"):
        import_check(xlsx([row(n) for n in range(1, 6)]), user=lhasa_staff)
    assert not ImportBatch.objects.exists()


def test_openpyxl_parses_through_defusedxml(monkeypatch):
    from openpyxl import xml

    assert xml.DEFUSEDXML is True
    assert openpyxl_parses_xml_safely(None) == []
    monkeypatch.setattr(xml, "DEFUSEDXML", False)
    assert openpyxl_parses_xml_safely(None)[0].id == "enterprises.E001"


def test_staff_import_in_the_browser_surface_and_a_double_confirm_commits_once(login, lhasa_staff):
    client = login(lhasa_staff)
    response = client.post(reverse("enterprises:import"), {"file": xlsx([row(1), row(2)])})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("enterprises:import_preview", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "确认导入" in page
    first = client.post(response.url)
    second = client.post(response.url, follow=True)
    assert first.url == reverse("enterprises:list")
    assert "已导入" in second.content.decode()
    assert Enterprise.objects.count() == 2


def test_an_upload_is_seen_only_by_its_uploader(login, lhasa_staff, chengguan_staff):
    batch = import_check(xlsx([row(1)]), user=lhasa_staff)
    response = login(chengguan_staff).get(reverse("enterprises:import_preview", args=[batch.pk]))
    assert response.status_code == 404


def test_a_refused_file_shows_its_errors_with_rows_and_columns(login, lhasa_staff):
    client = login(lhasa_staff)
    client.post(reverse("enterprises:import"), {"file": xlsx([row(1), row(2, 职工人数=-5)])})
    page = client.get(reverse("enterprises:import_preview", args=[ImportBatch.objects.get().pk])).content.decode()
    assert "什么都没有保存" in page
    assert '<td>3</td><td>职工人数</td><td class="text-break">-5</td>' in page
