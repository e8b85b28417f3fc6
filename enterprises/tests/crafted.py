"""Workbooks crafted to cost a reader memory while passing the upload's zip-bomb checks (size, unpacked size,
packing ratio), for the tests and the benchmark. Each is written part by part, so building one holds little more
than the finished file.

- many_shared_strings: 21 million two-letter shared strings, 378 MB unpacked, 7 MB at the default compression.
- one_huge_cell: one inline string of 398 MB, 10 MB at the default compression.
- one_huge_tag: a cell whose tag carries an attribute of 398 MB, 10 MB at the default compression.
- shared_strings_at_the_caps: as many shared strings as the reader takes, as long in all as it takes, each
  character four bytes (the costliest for Python to hold): what the caps let a file make a worker hold.

`level` 1 builds the same content about three times faster into a larger file (still under the 20 MB upload cap).
"""

import io
import random
import zipfile

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PACKAGE = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
CHUNK = 1 << 20
# Mostly the same two letters: enough variety to keep deflate from packing them tighter than the ratio check allows.
TWO_LETTERS = ("ab",) * 6 + ("cd", "ef")


def _workbook(archive):
    archive.writestr(
        "[Content_Types].xml", HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    )
    archive.writestr(
        "xl/workbook.xml",
        HEAD + f'<workbook {MAIN} {REL}><sheets><sheet name="企业名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        HEAD + f'<Relationships {PACKAGE}><Relationship Id="rId1" Type="worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    )


def _repeating(seed, piece):
    """About a megabyte of pieces from `piece(random)`: repeated, it compresses like the whole (deflate looks back
    only 32 KB), so a file of any size is written in a few seconds."""
    rng, parts, length = random.Random(seed), [], 0
    while length < CHUNK:
        parts.append(piece(rng))
        length += len(parts[-1])
    return "".join(parts).encode()


def _write_repeated(part, chunk, total, filler):
    written = 0
    while written + len(chunk) <= total:
        part.write(chunk)
        written += len(chunk)
    part.write(filler * ((total - written) // len(filler)))


def many_shared_strings(count=21_000_000, level=6):
    chunk = _repeating(1, lambda rng: f"<si><t>{rng.choice(TWO_LETTERS)}</t></si>")
    record = b"<si><t>ab</t></si>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        _workbook(archive)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            HEAD
            + f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'{HEAD}<sst {MAIN} count="{count}" uniqueCount="{count}">'.encode())
            _write_repeated(part, chunk, count * len(record), record)
            part.write(b"</sst>")
    return buffer.getvalue()


def _one_huge_piece(before, after, characters, level):
    chunk = _repeating(2, lambda rng: "a" * rng.randint(100, 900) + "".join(rng.choices("bcdefghijk", k=16)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        _workbook(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'{HEAD}<worksheet {MAIN}><sheetData><row r="1">{before}'.encode())
            _write_repeated(part, chunk, characters, b"a")
            part.write(f"{after}</row></sheetData></worksheet>".encode())
    return buffer.getvalue()


def one_huge_cell(characters=398_000_000, level=6):
    return _one_huge_piece('<c r="A1" t="inlineStr"><is><t>', "</t></is></c>", characters, level)


def one_huge_tag(characters=398_000_000, level=6):
    return _one_huge_piece('<c r="A1" x="', '"><v>1</v></c>', characters, level)


# Characters outside the Basic Multilingual Plane: Python keeps a string holding one at four bytes a character.
COSTLY = "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗"


def shared_strings_at_the_caps(level=6):
    from enterprises.xlsx import reading as xlsx

    count, length = xlsx.MAX_SHARED_STRINGS, xlsx.MAX_SHARED_CHARS // xlsx.MAX_SHARED_STRINGS
    chunk = _repeating(3, lambda rng: "<si><t>" + "".join(rng.choices(COSTLY[:4], k=length)) + "</t></si>")
    record = f"<si><t>{COSTLY[0] * length}</t></si>".encode()
    records = chunk.count(b"<si>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        _workbook(archive)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            HEAD
            + f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'{HEAD}<sst {MAIN} count="{count}" uniqueCount="{count}">'.encode())
            for _ in range(count // records):
                part.write(chunk)
            part.write(record * (count - count // records * records))
            part.write(b"</sst>")
    return buffer.getvalue()
