"""The briefing as a Word document laid out as an official notice (GB/T 9704: A4, its margins and fonts)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# The fonts of Chinese official documents (GB/T 9704): 仿宋 for the text, 黑体 for headings, a 宋体 title.
LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TITLE_STYLE = "Briefing Title"
DATE_STYLE = "Briefing Date"
BODY_STYLE = "Briefing Body"
TABLE_STYLE = "Briefing Table Text"
HEADING_STYLE = "Heading 1"
BULLET_STYLE = "List Bullet"
STYLES = (TITLE_STYLE, DATE_STYLE, BODY_STYLE, TABLE_STYLE, HEADING_STYLE, BULLET_STYLE)


def write_docx(file, dashboard, context):
    """The briefing as an A4 Word document, laid out as an official notice."""
    document = Document()
    _set_up_page(document.sections[0])
    _set_up_styles(document)
    _set_properties(document, context["title"], dashboard.area.name)
    # The styles looked up once: Word's style names are found by reading every style of the document each time.
    styles = {name: document.styles[name] for name in STYLES}
    document.add_paragraph(context["title"], style=styles[TITLE_STYLE])
    document.add_paragraph(context["date_line"], style=styles[DATE_STYLE])
    for text in context["opening"]:
        document.add_paragraph(text, style=styles[BODY_STYLE])
    for section in context["sections"]:
        _write_section(document, section, styles)
    document.save(file)


def _set_properties(document, title, subject):
    """Title, subject and date; nothing of the blank template's own (its author, description, sample thumbnail)."""
    properties = document.core_properties
    properties.title, properties.subject, properties.author, properties.comments = title, subject, "", ""
    properties.created = properties.modified = timezone.now()
    properties.language = "zh-CN"
    package_rels = document.part.package.rels
    for rId in [rId for rId, rel in package_rels.items() if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:
        del package_rels[rId]


def _set_up_page(section):
    """A4 with the margins of GB/T 9704, and the page number centred in the footer."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)


def _set_fonts(style, east_asian, size, *, bold=False):
    """Latin and East Asian fonts on a style; the theme's fonts would otherwise win over the East Asian one."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_style(document, name, east_asian, size, *, bold=False, centred=False):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    _set_fonts(style, east_asian, size, bold=bold)
    if centred:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def _set_up_styles(document):
    normal = document.styles["Normal"]
    _set_fonts(normal, BODY_FONT, 16)
    # Chinese line breaking and punctuation in Word follow the East Asian language of the text.
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.rPr.append(language)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    heading = document.styles["Heading 1"]
    _set_fonts(heading, HEADING_FONT, 16)
    heading.paragraph_format.space_before = Pt(14)
    heading.paragraph_format.first_line_indent = Pt(32)
    title = _paragraph_style(document, TITLE_STYLE, TITLE_FONT, 22, bold=True, centred=True)
    title.paragraph_format.line_spacing = 1.2
    title.paragraph_format.space_after = Pt(6)
    _paragraph_style(document, DATE_STYLE, BODY_FONT, 16, centred=True).paragraph_format.space_after = Pt(16)
    _paragraph_style(document, BODY_STYLE, BODY_FONT, 16).paragraph_format.first_line_indent = Pt(32)
    table_text = _paragraph_style(document, TABLE_STYLE, BODY_FONT, 11, centred=True)
    table_text.paragraph_format.line_spacing = 1.0


def _write_section(document, section, styles):
    document.add_paragraph(section.heading, style=styles[HEADING_STYLE])
    for text in section.paragraphs:
        document.add_paragraph(text, style=styles[BODY_STYLE])
    if section.table is not None:
        _write_table(document, section.table, styles[TABLE_STYLE])
    for entries in section.lists:
        document.add_paragraph(entries.caption, style=styles[BODY_STYLE]).runs[0].bold = True
        for entry in entries.entries:
            document.add_paragraph(entry.text, style=styles[BULLET_STYLE])
        if not entries.entries:
            document.add_paragraph(_("None"), style=styles[BODY_STYLE])


def _write_table(document, table, text_style):
    grid = document.add_table(rows=1, cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill_row(grid.rows[0], table.columns, text_style, bold=True)
    _repeat_on_every_page(grid.rows[0])
    for row in table.rows:
        _fill_row(grid.add_row(), row.cells, text_style)


def _fill_row(row, texts, text_style, *, bold=False):
    for cell, text in zip(row.cells, texts, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = text_style
        paragraph.add_run(text).bold = bold


def _repeat_on_every_page(row):
    properties = row._tr.get_or_add_trPr()
    keep_whole = OxmlElement("w:cantSplit")
    header = OxmlElement("w:tblHeader")
    properties.append(keep_whole)
    properties.append(header)
