"""Tiny but real files of each kind a report may or may not carry, built in memory for the tests."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def pdf_bytes(text="progress"):
    """A one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 20 40 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes():
    """A 1×1 white pixel."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def jpeg_bytes():
    """An 8×8 mid-grey baseline JPEG: one block whose only coefficient is a zero DC difference."""

    def segment(marker, payload):
        return b"\xff" + marker + struct.pack(">H", len(payload) + 2) + payload

    one_symbol_table = bytes([1] + [0] * 15) + b"\x00"  # a single code of length 1 for symbol 0
    return b"".join(
        [
            b"\xff\xd8",
            segment(b"\xe0", b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            segment(b"\xdb", b"\x00" + b"\x01" * 64),
            segment(b"\xc0", b"\x08\x00\x08\x00\x08\x01\x01\x11\x00"),
            segment(b"\xc4", b"\x00" + one_symbol_table),
            segment(b"\xc4", b"\x10" + one_symbol_table),
            segment(b"\xda", b"\x01\x01\x00\x00\x3f\x00"),
            b"\x3f",  # DC "0" then end-of-block "0", padded with ones
            b"\xff\xd9",
        ]
    )


def gif_bytes():
    """A 1×1 transparent GIF89a."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def zip_bytes(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes(text="工作进展", **extra_members):
    return zip_bytes(
        {
            "[Content_Types].xml": DOCX_CONTENT_TYPES,
            "_rels/.rels": DOCX_RELS,
            "word/document.xml": DOCX_DOCUMENT.format(text=text),
            **extra_members,
        }
    )


def xlsx_bytes():
    workbook = Workbook()
    workbook.active.append(["单位", "已建会企业"])
    workbook.active.append(["拉萨市总工会", 12])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bomb_bytes(unpacked=20 * 1024 * 1024):
    """A .docx whose document part inflates from a few kilobytes to `unpacked` bytes of blanks."""
    return zip_bytes(
        {
            "[Content_Types].xml": DOCX_CONTENT_TYPES,
            "_rels/.rels": DOCX_RELS,
            "word/document.xml": DOCX_DOCUMENT.format(text=" " * unpacked),
        }
    )


def ole2_bytes():
    """The start of an old binary Office file (.doc, .xls): the OLE2 compound-file signature and header."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 482


def exe_bytes():
    """The start of a Windows program: an MZ header pointing at a PE signature."""
    header = bytearray(b"MZ" + b"\x00" * 126)
    header[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 256
