"""The one-page Word document of a transfer certificate (工会会员组织关系接转凭证), which the member carries to the
receiving union. It shows the ID number masked only: the number and the verification code identify the paper."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "SimSun"
TITLE_FONT = "SimHei"
BLANK_LINE = "_" * 24


def filename(certificate):
    return f"{certificate.number}.docx"


def document_bytes(certificate):
    document = Document()
    _set_up_page(document)
    _title(document, _("Certificate of transfer of trade union membership"))
    _paragraph(document, _("No. %(number)s") % {"number": certificate.number}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _details(document, certificate)
    _paragraph(
        document,
        _(
            "The receiving union enters the certificate number and the verification code in the portal before the "
            "date of validity ends; the membership then moves, keeping its date of joining."
        ),
        size=10,
    )
    _signature(document, certificate)
    document.core_properties.title = certificate.number
    file = io.BytesIO()
    document.save(file)
    return file.getvalue()


def _set_up_page(document):
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.6)
    style = document.styles["Normal"]
    _font(style.font, style.element, FONT, 12)


def _font(font, element, name, size):
    font.name = name
    font.size = Pt(size)
    properties = element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text, *, align=None, size=12, bold=False, font=FONT):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run.font, run._element, font, size)
    return paragraph


def _title(document, text):
    paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True, font=TITLE_FONT)
    paragraph.paragraph_format.space_after = Pt(18)


def _details(document, certificate):
    rows = [
        (pgettext("person", "Name"), certificate.person.name),
        (_("Resident ID number"), certificate.person.id_masked),
        (_("Transferred from"), certificate.from_union.name),
        (_("Transferred to"), certificate.to_union.name if certificate.to_union_id else BLANK_LINE),
        (_("Reason for the transfer"), certificate.reason or "—"),
        (_("Date issued"), certificate.issued_on.isoformat()),
        (_("Valid until"), certificate.expires_on.isoformat()),
        (_("Verification code"), certificate.verification_code),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(11.3)
        for cell, text, bold in ((row.cells[0], label, True), (row.cells[1], value, False)):
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = bold
            _font(run.font, run._element, FONT, 12)
    document.add_paragraph()


def _signature(document, certificate):
    document.add_paragraph()
    lines = [
        _("Issuing union: %(union)s") % {"union": certificate.from_union.name},
        _("(seal)"),
        _("Person in charge (signature): %(blank)s") % {"blank": BLANK_LINE},
        certificate.issued_on.strftime("%Y-%m-%d"),
    ]
    for line in lines:
        _paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
