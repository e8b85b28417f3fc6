"""The xlsx reader's caps: a crafted upload is refused quickly and with little memory, a real one is read."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.imports import ImportRefused, import_check
from enterprises.tests import crafted
from enterprises.xlsx import SheetReader, XlsxTooLarge
from enterprises.xlsx import reading as xlsx

pytestmark = pytest.mark.django_db


def workbook(cells, shared=(), more_rows=""):
    """A one-sheet workbook: `cells` is the XML of row 1's cells, `shared` the shared strings' texts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        crafted._workbook(archive)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f"{crafted.HEAD}<worksheet {crafted.MAIN}><sheetData>"
            f'<row r="1">{cells}</row>{more_rows}</sheetData></worksheet>',
        )
        if shared:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared)
            archive.writestr("xl/sharedStrings.xml", f"{crafted.HEAD}<sst {crafted.MAIN}>{items}</sst>")
    return buffer.getvalue()


def read(content):
    return [values for _number, values in SheetReader(zipfile.ZipFile(io.BytesIO(content)), max_columns=100).rows()]


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_CELL_CHARS", 10)
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 3)
    monkeypatch.setattr(xlsx, "MAX_SHARED_CHARS", 25)
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS_BYTES", 1000)


def test_cells_up_to_the_caps_are_read(small_caps):
    content = workbook(
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>一二三四五</t><t>六七八九十</t></is></c>'
        '<c r="C1"><f>SUM(A1:A9)</f><v>1</v></c><c r="D1" t="s"><v>2</v></c>',
        shared=["0123456789", "x" * 5, "y" * 10],
    )
    assert read(content) == [("0123456789", "一二三四五六七八九十", "=SUM(A1:A9)", "y" * 10)]


@pytest.mark.parametrize(
    "cells",
    [
        '<c r="A1" t="inlineStr"><is><t>12345678901</t></is></c>',
        '<c r="A1" t="inlineStr"><is><t>123456</t><t>78901</t></is></c>',  # runs of one cell count together
        '<c r="A1" t="str"><v>12345678901</v></c>',
        '<c r="A1"><f>SUM(A2:A99999)</f><v>1</v></c>',
    ],
)
def test_a_cell_longer_than_the_cap_is_refused_where_it_is(small_caps, cells):
    with pytest.raises(XlsxTooLarge) as refused:
        read(workbook(cells))
    assert (refused.value.what, refused.value.row, refused.value.column) == ("cell", 1, 0)


@pytest.mark.parametrize(
    "shared",
    [
        ["a", "b", "c", "d"],  # more strings than the cap
        ["a" * 9, "b" * 9, "c" * 9],  # more characters in all than the cap
    ],
)
def test_too_many_shared_strings_are_refused_before_any_row(small_caps, shared):
    with pytest.raises(XlsxTooLarge) as refused:
        read(workbook('<c r="A1" t="s"><v>0</v></c>', shared=shared))
    assert refused.value.what == "shared_strings"


def test_one_shared_string_longer_than_a_cell_may_be_is_refused(small_caps):
    with pytest.raises(XlsxTooLarge) as refused:
        read(workbook('<c r="A1" t="s"><v>0</v></c>', shared=["a" * 11]))
    assert refused.value.what == "cell"


def test_shared_strings_declared_too_large_are_refused_without_parsing(small_caps):
    # Not even well-formed XML: the declared size refuses it before the parser sees it.
    content = workbook('<c r="A1" t="s"><v>0</v></c>', shared=["<" * 2000])
    with pytest.raises(XlsxTooLarge) as refused:
        read(content)
    assert refused.value.what == "shared_strings"


def test_a_tag_larger_than_any_workbook_holds_is_refused_as_it_grows(monkeypatch):
    monkeypatch.setattr(xlsx, "CHUNK", 64)
    monkeypatch.setattr(xlsx, "MAX_PENDING_BYTES", 200)
    assert read(workbook(f'<c r="A1" t="inlineStr"><is><t>{"x" * 1000}</t></is></c>')) == [("x" * 1000,)]
    with pytest.raises(XlsxTooLarge) as refused:
        read(workbook(f'<c r="A1" x="{"x" * 1000}"><v>1</v></c>'))
    assert refused.value.what == "tag"


def test_the_import_names_the_cell_that_is_too_long(small_caps, lhasa_staff):
    content = workbook(
        '<c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c>',
        more_rows=f'<row r="2"><c r="C2" t="inlineStr"><is><t>{"x" * 11}</t></is></c></row>',
    )
    with pytest.raises(ImportRefused, match="第 2 行 C 列"):
        import_check(SimpleUploadedFile("过长.xlsx", content), user=lhasa_staff)


@pytest.mark.parametrize("shape", [crafted.many_shared_strings, crafted.one_huge_cell, crafted.one_huge_tag])
def test_the_real_crafted_files_are_refused_at_once_with_little_memory(lhasa_staff, shape):
    upload = SimpleUploadedFile("crafted.xlsx", shape(level=1))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRefused) as refused:
            import_check(upload, user=lhasa_staff)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "文件已损坏" not in str(refused.value)
    assert seconds < 5
    assert peak < 32 * 1024 * 1024
