"""Filling a letter's Word template (templates/letters/<kind>.docx) in."""

import io
from pathlib import Path

from docxtpl import DocxTemplate

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "letters"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The documents' own names, printed on them and in their file names whatever the interface's language.
DOCUMENT_NAMES = {
    "opinion": "工会组建意见函",
    "sup_opinion": "工会组建法律监督检查意见书",
    "sup_proposal": "工会组建法律监督检查建议书",
}


def template_path(kind):
    return TEMPLATE_DIR / f"{kind}.docx"


def chinese_date(day):
    """2019年8月20日, as GB/T 9704 writes the date of a document (Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"


def render(kind, *, enterprise, unit, number, issued_on):
    """The letter as .docx bytes; names are escaped, so a name with & or < cannot break the document."""
    template = DocxTemplate(template_path(kind))
    context = {"enterprise": enterprise, "unit": unit, "number": number, "date": chinese_date(issued_on)}
    template.render(context, autoescape=True)
    file = io.BytesIO()
    template.save(file)
    return file.getvalue()


def download_name(letter):
    return f"{DOCUMENT_NAMES[letter.kind]}-{letter.number}.docx"
