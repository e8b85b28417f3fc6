"""Spreadsheet import of members into one union: check everything first, then save all of it or nothing.

The upload (`member_import_check`, check.py) opens the workbook after the registry's checks that keep a bad file
from costing memory, reads it once, checks every row and then the whole file against the rolls in a few bulk
queries (the blind index of every ID number, the employers' credit codes, the card numbers), and stores the
outcome as a MemberImportBatch. Confirmation (`member_import_commit`, commit.py) writes the stored rows in one
transaction, in batches: people, then memberships, then their history rows.

A stored row is `[row number, name, sex, ethnicity, ID number, phone, rural household, migrant worker,
employer pk or None, date joined (ISO), card number or None, status, existing person pk or None]`; the ID and
phone numbers are the normalised full values, which is why the batch keeps its rows encrypted. Full numbers
never appear in an error, a log line or a URL: the errors show them masked.

Both functions take an optional `progress(done, total)` callback, so that they can run as a background job.
"""

from members.imports.check import ImportRefused, member_import_check
from members.imports.commit import ImportNotPossible, member_import_commit

__all__ = ["ImportNotPossible", "ImportRefused", "member_import_check", "member_import_commit"]
