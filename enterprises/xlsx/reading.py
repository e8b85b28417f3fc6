"""Reading the first sheet of an uploaded .xlsx workbook as a stream of rows, with expat callbacks only.

The XML comes from an uploaded file, so the parser refuses what defusedxml refuses (document type declarations and
entities, internal or external). Formula cells come back as their formula text ("=SUM(A1:A3)"), never evaluated.

It also keeps a crafted workbook from taking much memory or time: no cell's text (a shared string, an inline string,
a value or a formula) may pass Excel's own limit, and the shared strings, which must all be held while the rows are
read, are capped in number and in total length, first by the size the zip directory declares for them and then
while they are parsed; nor may a tag grow past what any workbook holds. See the caps for why they are where they are.
"""

import datetime
import posixpath
import re
from xml.parsers import expat

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden

CHUNK = 1 << 20
MAX_COLUMN = 16384  # Excel's own limit (XFD)
# Built-in number formats that show dates, including the Chinese locale's (27–36, 50–58).
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, *range(27, 37), *range(50, 59)}
DATE_CODE = re.compile(r"[ymd]|年|月|日")
QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
COLUMN_LETTERS = re.compile(r"[A-Z]+")

# Caps on what an uploaded workbook may make the reader hold. A real registry file of 100,000 rows (the import's
# limit), saved by Excel, keeps its text in shared strings, each different text once: the credit code, name and
# address of every row, notes on some, the choices once each. With notes on a third of the rows that is about
# 320,000 strings of 5.8 million characters in 18 MB of XML. The caps leave three times that number, four times
# that length and seven times that size, and hold a crafted file's strings to under 200 MB of Python objects
# (a short str costs some 75 bytes, a character 1 to 4): a file at every cap, in the costliest characters, takes
# a worker to 260 MB at its peak and 8 s (bench case import_crafted_at_the_caps).
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell's text; formulas are shorter still (8,192)
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_CHARS = 24_000_000
# As declared in the zip directory, checked before parsing: 24 million characters of Chinese (3 bytes in UTF-8)
# and their markup fit; a part cannot unpack to more than its declared size.
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024
# The workbook, its relationships and the styles are parsed whole; real ones take a few kilobytes.
MAX_PART_BYTES = 16 * 1024 * 1024
# Expat holds a tag, with its attributes, whole until it ends (and parses it again as more arrives): one tag of
# 400 MB in a 10 MB upload took 170 s and 1.2 GB. Text is handed over as it comes, so a real workbook never leaves
# more than a few hundred bytes pending; more than this is refused.
MAX_PENDING_BYTES = 4 * 1024 * 1024


class XlsxError(Exception):
    """The workbook's structure cannot be read."""


class XlsxTooLarge(XlsxError):
    """The workbook holds more than the caps allow. `what` says which: "cell", "shared_strings", "part" or "tag";
    `row` and `column` (0-based) say where, for a cell of the sheet."""

    def __init__(self, what, row=None, column=None):
        super().__init__(f"{what} over its cap" + (f" at row {row}" if row else ""))
        self.what, self.row, self.column = what, row, column


def _safe_parser():
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_dtd(name, sysid, pubid, has_internal_subset):
        raise DTDForbidden(name, sysid, pubid)

    def refuse_entity(name, *args):
        raise EntitiesForbidden(name, None, None, None, None, None)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _local(name):
    return name.rpartition(":")[2]


def _parse_whole(archive, path, start=None, end=None, text=None, max_bytes=None):
    if archive.getinfo(path).file_size > (max_bytes or MAX_PART_BYTES):
        raise XlsxTooLarge("shared_strings" if path == SHARED_STRINGS else "part")
    parser = _safe_parser()
    if start:
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end:
        parser.EndElementHandler = lambda name: end(_local(name))
    if text:
        parser.CharacterDataHandler = text
    with archive.open(path) as stream:
        for _chunk in _feed(parser, stream):
            pass


def _feed(parser, stream):
    """Parse `stream` a CHUNK at a time, yielding after each; refuse input that expat would hold unparsed."""
    fed = 0
    while True:
        chunk = stream.read(CHUNK)
        parser.Parse(chunk, not chunk)
        fed += len(chunk)
        if fed - parser.CurrentByteIndex > MAX_PENDING_BYTES:
            raise XlsxTooLarge("tag")
        yield
        if not chunk:
            return


SHARED_STRINGS = "xl/sharedStrings.xml"
_COLUMNS = {}


def column_index(reference):
    """0-based column of a cell reference such as "AB12" (memoised: a sheet repeats the same few letters)."""
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        if not COLUMN_LETTERS.fullmatch(letters) or len(letters) > 3:
            raise XlsxError(f"bad cell reference {reference!r}")
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter) - 64
        index = _COLUMNS[letters] = index - 1
    return index


class Workbook:
    """What is needed to read cell values: the first sheet's path, shared strings and date styles."""

    def __init__(self, archive):
        self.archive = archive
        self.names = set(archive.namelist())
        self.date1904 = False
        self.sheet_path = self._first_sheet_path()
        self.shared = self._shared_strings()
        self.date_styles = self._date_styles()

    def _first_sheet_path(self):
        sheets, targets = [], {}

        def workbook_start(name, attrs):
            if name == "sheet":
                relation = next((value for key, value in attrs.items() if _local(key) == "id"), None)
                sheets.append(relation)
            elif name == "workbookPr":
                self.date1904 = attrs.get("date1904") in {"1", "true"}

        def rels_start(name, attrs):
            if name == "Relationship":
                targets[attrs.get("Id")] = attrs.get("Target", "")

        _parse_whole(self.archive, "xl/workbook.xml", start=workbook_start)
        if "xl/_rels/workbook.xml.rels" in self.names:
            _parse_whole(self.archive, "xl/_rels/workbook.xml.rels", start=rels_start)
        if not sheets:
            raise XlsxError("the workbook has no sheet")
        target = targets.get(sheets[0], "worksheets/sheet1.xml")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if path not in self.names:
            raise XlsxError("the first sheet is missing")
        return path

    def _shared_strings(self):
        if SHARED_STRINGS not in self.names:
            return []
        strings, parts = [], []
        state = {"in_t": False, "phonetic": 0, "length": 0, "total": 0}

        def start(name, attrs):
            if name == "si":
                parts.clear()
                state["length"] = 0
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise XlsxTooLarge("shared_strings")
            elif name == "t":
                state["in_t"] = not state["phonetic"]
            elif name == "rPh":
                state["phonetic"] += 1

        def end(name):
            if name == "si":
                strings.append("".join(parts))
            elif name == "t":
                state["in_t"] = False
            elif name == "rPh":
                state["phonetic"] -= 1

        def text(data):
            if state["in_t"]:
                parts.append(data)
                state["length"] += len(data)
                state["total"] += len(data)
                if state["length"] > MAX_CELL_CHARS:
                    raise XlsxTooLarge("cell")
                if state["total"] > MAX_SHARED_CHARS:
                    raise XlsxTooLarge("shared_strings")

        _parse_whole(self.archive, SHARED_STRINGS, start, end, text, max_bytes=MAX_SHARED_STRINGS_BYTES)
        return strings

    def _date_styles(self):
        if "xl/styles.xml" not in self.names:
            return set()
        custom, formats, where = {}, [], []

        def start(name, attrs):
            if name == "numFmt":
                custom[int(attrs.get("numFmtId", -1))] = attrs.get("formatCode", "")
            elif name == "cellXfs":
                where.append("cellXfs")
            elif name == "xf" and where:
                formats.append(int(attrs.get("numFmtId", 0)))

        def end(name):
            if name == "cellXfs" and where:
                where.pop()

        _parse_whole(self.archive, "xl/styles.xml", start, end)

        def is_date(format_id):
            if format_id in custom:
                return bool(DATE_CODE.search(QUOTED_OR_BRACKETED.sub("", custom[format_id]).lower()))
            return format_id in DATE_FORMAT_IDS

        return {index for index, format_id in enumerate(formats) if is_date(format_id)}

    def to_date(self, serial):
        epoch = datetime.datetime(1904, 1, 1) if self.date1904 else datetime.datetime(1899, 12, 30)
        moment = epoch + datetime.timedelta(days=serial)
        return moment.date() if moment.time() == datetime.time() else moment


class SheetReader:
    """Yields (row number, tuple of values) for the first sheet, reading `CHUNK` bytes at a time."""

    def __init__(self, archive, max_columns):
        try:
            self.book = Workbook(archive)
        except XlsxError:
            raise
        except (ValueError, IndexError, KeyError, expat.ExpatError, DefusedXmlException) as exc:
            raise XlsxError(str(exc)) from exc
        self.archive = archive
        self.max_columns = max_columns
        self.ready = []
        self._row = {}
        self._row_number = 0
        self._cell = None
        self._text = []
        self._formula_parts = []
        self._formula = None
        self._collect_into = None
        self._collected = 0

    def rows(self):
        parser = _safe_parser()
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        with self.archive.open(self.book.sheet_path) as stream:
            chunks = _feed(parser, stream)
            while True:
                try:
                    next(chunks)
                except StopIteration:
                    return
                except XlsxError:
                    raise
                except (ValueError, IndexError, KeyError, expat.ExpatError, DefusedXmlException) as exc:
                    raise XlsxError(f"row {self._row_number}: {exc}") from exc
                yield from self.ready
                self.ready.clear()

    def _start(self, name, attrs):
        if ":" in name:
            name = _local(name)
        if name == "c":
            reference = attrs.get("r")
            column = column_index(reference) if reference else self._next_column()
            self._cell = (column, attrs.get("t", "n"), attrs.get("s"))
            self._formula = None
            self._text = []
            self._collected = 0
        elif name in ("v", "t"):
            self._collect_into = self._text
            if name == "v":
                self._collected = 0  # a cell's value; the runs of an inline string (its t's) count together
        elif name == "f":
            self._formula_parts = []
            self._collect_into = self._formula_parts
            self._collected = 0
        elif name == "row":
            number = attrs.get("r")
            self._row_number = int(number) if number else self._row_number + 1
            self._row = {}

    def _next_column(self):
        return max(self._row, default=-1) + 1

    def _chars(self, data):
        if self._collect_into is not None:
            self._collect_into.append(data)
            self._collected += len(data)
            if self._collected > MAX_CELL_CHARS:
                raise XlsxTooLarge("cell", self._row_number, self._cell[0] if self._cell else None)

    def _end(self, name):
        if ":" in name:
            name = _local(name)
        if name in ("v", "t"):
            self._collect_into = None
        elif name == "f":
            self._collect_into = None
            self._formula = "".join(self._formula_parts)
        elif name == "c":
            column, kind, style = self._cell
            if column < self.max_columns:
                self._row[column] = self._value(kind, style)
        elif name == "row":
            if self._row:
                width = max(self._row) + 1
                self.ready.append((self._row_number, tuple(self._row.get(i) for i in range(width))))
            self._row = {}

    def _value(self, kind, style):
        if self._formula is not None:
            return "=" + self._formula  # a formula is kept as the text typed, never computed
        text = "".join(self._text)
        if kind == "s":
            return self.book.shared[int(text)] if text else None
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text == "1"
        if kind == "d":
            return text[:10]
        if not text:
            return None
        number = float(text)
        if style is not None and int(style) in self.book.date_styles:
            return self.book.to_date(number)
        return int(number) if number.is_integer() else number
