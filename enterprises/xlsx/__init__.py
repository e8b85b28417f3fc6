"""Streaming reading and writing of one-sheet .xlsx workbooks, for the registry's import and export.

openpyxl builds an object for every XML node it reads and every cell it writes, which made it nine tenths of an
import's or an export's time (about 20 µs a cell). Here the sheet goes through expat with callbacks only when
reading (`reading`), and is written as XML text straight into the zip when writing (`writing`); either way only the
current rows are in memory.
"""

from enterprises.xlsx.reading import (
    MAX_CELL_CHARS,
    SheetReader,
    Workbook,
    XlsxError,
    XlsxTooLarge,
    column_index,
)
from enterprises.xlsx.writing import column_letters, write_sheet

__all__ = [
    "MAX_CELL_CHARS",
    "SheetReader",
    "Workbook",
    "XlsxError",
    "XlsxTooLarge",
    "column_index",
    "column_letters",
    "write_sheet",
]
