"""The booklet of model practices (典型经验汇编): the practices the 组织部 marked 示范 in one campaign, as an A4 Word
document with the page, fonts and properties of the briefing."""

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_BREAK

from campaign_portal.dates import long_date
from campaigns.selectors import practices_for
from reports.briefing.word import (
    BODY_FONT,
    BODY_STYLE,
    DATE_STYLE,
    HEADING_FONT,
    TITLE_STYLE,
    _paragraph_style,
    _set_properties,
    _set_up_page,
    _set_up_styles,
)

CONTENTS_STYLE = "Booklet Contents"
SOURCE_STYLE = "Booklet Source"


def entries(user, campaign):
    """The model practices of the campaign the user may see, in the order of the units."""
    reports = practices_for(user, campaign=campaign, model_only=True)
    return list(reports.order_by("unit__code", "deadline__due_on", "pk"))


def booklet_title():
    return _("Collection of model practices")


def filename(campaign):
    return _("Model practices of %(campaign)s.docx") % {"campaign": campaign}


def write_docx(file, campaign, reports, today=None):
    """Title page, a contents list, then each practice: its headline, the unit and the report, the text."""
    document = Document()
    _set_up_page(document.sections[0])
    _set_up_styles(document)
    _set_up_booklet_styles(document)
    _set_properties(document, f"{campaign}{booklet_title()}", str(campaign))
    _write_title_page(document, campaign, today or timezone.localdate())
    _write_contents(document, reports)
    for number, submission in enumerate(reports, start=1):
        _write_practice(document, number, submission)
    document.save(file)


def _set_up_booklet_styles(document):
    _paragraph_style(document, CONTENTS_STYLE, BODY_FONT, 16).paragraph_format.left_indent = 0
    _paragraph_style(document, SOURCE_STYLE, HEADING_FONT, 14, centred=True).paragraph_format.space_after = 0


def _write_title_page(document, campaign, today):
    for _blank in range(6):
        document.add_paragraph("", style=BODY_STYLE)
    document.add_paragraph(str(campaign), style=TITLE_STYLE)
    document.add_paragraph(booklet_title(), style=TITLE_STYLE)
    document.add_paragraph(long_date(today), style=DATE_STYLE).add_run().add_break(WD_BREAK.PAGE)


def _write_contents(document, reports):
    document.add_paragraph(_("Contents"), style=TITLE_STYLE)
    for number, submission in enumerate(reports, start=1):
        document.add_paragraph(f"{number}. {_headline(submission)}　{submission.unit.name}", style=CONTENTS_STYLE)
    if not reports:
        document.add_paragraph(_("No practice of this campaign is marked as a model practice."), style=BODY_STYLE)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _headline(submission):
    return submission.practice_mark.title


def _write_practice(document, number, submission):
    document.add_paragraph(f"{number}. {_headline(submission)}", style="Heading 1")
    source = f"{submission.unit.name} · {submission.deadline.title}"
    document.add_paragraph(source, style=SOURCE_STYLE)
    for line in submission.practices.splitlines():
        if line.strip():
            document.add_paragraph(line.strip(), style=BODY_STYLE)
