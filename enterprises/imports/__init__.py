"""Spreadsheet import of the registry: check everything first, then write all of it or nothing.

Upload (`import_check`, in preview.py) opens the workbook only after the checks that keep
a bad file from costing memory (files.py), reads it once, cell by cell through the widgets
in `resources.py`, validates every row as the model would (rows.py), compares it with the
registry in a few bulk queries and stores the outcome as an ImportBatch (compare.py).
Confirmation (`import_commit`, in commit.py) writes the stored rows in one transaction, once.

A stored row is `[row number, action, pk, version, values, diff]`: `values` line up
with `batch.fields` (foreign keys already resolved to their keys, the group
headquarters as its credit code), `diff` maps a changed field to its old and new
text as shown in the preview.
"""

from enterprises.imports.commit import ImportNotPossible, import_commit
from enterprises.imports.files import ImportRefused
from enterprises.imports.preview import import_check

__all__ = ["ImportNotPossible", "ImportRefused", "import_check", "import_commit"]
