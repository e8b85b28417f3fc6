"""The briefing (情况通报) for a chosen date: a printable page and a .docx.

The 2019 plan asks for a 情况通报制度, a regular notice that compares the units. `context` puts everything the
notice says into one dict: the title, the opening paragraph and a list of sections, each with its heading,
sentences, table rows (every cell already text) and lists of units. The page and the Word document both print
that dict and nothing else, so the two always say the same thing.

Completeness and timeliness follow the dashboard: a report counts as handed in on the chosen date if it was first
handed in by the end of that day and is submitted or approved now. Coverage figures are the dashboard's own: the
live registry, or the approved survey reports of the campaign chosen as the source.

A members campaign (the 2015 plan) has a briefing of its own, `members.members_context`, in the same shape: its
members against the year before, the targets, the 80 per cent rule, 八有, the reports and what remains to be done.

`content` writes the context from `rankings`, `handed_in` and the shapes in `rows`; `word` prints it as .docx.
"""

from reports.briefing.content import context, filename, title
from reports.briefing.members import members_context
from reports.briefing.word import write_docx

__all__ = ["context", "filename", "members_context", "title", "write_docx"]
