"""Writing a one-sheet .xlsx workbook as XML text straight into the zip, a few hundred rows at a time.

Text is always written as an inline string, so it can never become a formula, whatever it starts with; characters
XML cannot hold are dropped.
"""

import datetime
import re
import zipfile

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'
)
# Styles: 0 plain, 1 bold (the header), 2 a date shown as 2019-08-10.
STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
EXCEL_EPOCH = datetime.date(1899, 12, 30)
ROWS_PER_WRITE = 500


def column_letters(count):
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _xml_text(value):
    if not value.isprintable():
        value = ILLEGAL_XML.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _row_xml(number, values, letters, style=""):
    cells = []
    for letter, value in zip(letters, values, strict=False):
        kind = value.__class__
        if value is None or value == "":
            continue
        if kind is str:
            text = _xml_text(value)
            cells.append(
                f'<c r="{letter}{number}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'
            )
        elif kind is int or kind is float:
            cells.append(f'<c r="{letter}{number}"{style}><v>{value!r}</v></c>')
        elif kind is datetime.date:
            cells.append(f'<c r="{letter}{number}" s="2"><v>{(value - EXCEL_EPOCH).days}</v></c>')
        else:
            cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{_xml_text(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_sheet(file, *, title, header, widths, rows):
    """Write a one-sheet workbook to `file`: a bold, frozen header row, then `rows` as they come."""
    letters = column_letters(len(header))
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>' for index, width in enumerate(widths, 1)
    )
    workbook = (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        f'<sheet name="{_xml_text(title[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet_head = (
        XML_HEAD + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>'
    )
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((sheet_head + _row_xml(1, header, letters, ' s="1"')).encode())
            pending = []
            for number, values in enumerate(rows, start=2):
                pending.append(_row_xml(number, values, letters))
                if len(pending) == ROWS_PER_WRITE:
                    sheet.write("".join(pending).encode())
                    pending.clear()
            sheet.write(("".join(pending) + "</sheetData></worksheet>").encode())
