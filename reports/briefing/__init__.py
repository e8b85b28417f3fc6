"""The briefing (情况通报) for a chosen date: a printable page and a .docx.

The 2019 plan asks for a 情况通报制度, a regular notice that compares the units. `context` puts everything the
notice says into one dict: the title, the opening paragraph and a list of sections, each with its heading,
sentences, table rows (every cell already text) and lists of units. The page and the Word document both print
that dict and nothing else, so the two always say the same thing.

Completeness and timeliness follow the dashboard: a report counts as handed in on the chosen date if it was first
handed in by the end of that day and is submitted or approved now. Coverage figures are the dashboard's own: the
live registry, or the approved survey reports of the campaign chosen as the source.

`content` writes the context from `rankings`, `handed_in` and the shapes in `rows`; `word` prints it as .docx.
"""

from reports.briefing.content import context, filename, title
from reports.briefing.word import write_docx

__all__ = ["context", "filename", "title", "write_docx"]
