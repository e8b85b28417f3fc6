"""Writes the Word templates of the 一函两书 letters, templates/letters/<kind>.docx, laid out as GB/T 9704-2012 asks.

Run once with `python -m campaigns.letters.build_templates`; the files are kept in the repository, and from then on
clerks change the wording in Word. The portal fills the tags {{ enterprise }}, {{ unit }}, {{ number }} and
{{ date }} when a letter is issued. Each tag is written as a run of its own: a tag that Word splits across runs is
left unfilled, so whoever edits a template keeps each tag typed in one go.

The layout: A4; margins 37 mm at the top, 28 mm at the binding edge, 26 mm and 35 mm on the others (a text block of
156 × 225 mm, 22 lines); the issuing unit's name in red above a red rule (版头); the title in 2号 小标宋; the text in
3号 仿宋_GB2312; the page number in 4号 宋体 between dashes, right on odd pages and left on even ones.
"""

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from campaigns.letters.documents import TEMPLATE_DIR

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
HEAD_SIZE = 36
TITLE_SIZE = 22  # 2号
BODY_SIZE = 16  # 3号
PAGE_NUMBER_SIZE = 14  # 4号
# 22 lines on the 225 mm text block, as exact line spacing (no document grid: text larger than its pitch, as the
# title is, would take two of its lines).
LINE_PITCH = Pt(28.95)
ONE_CHARACTER = Pt(BODY_SIZE)
DASH = "—"

HEAD_STYLE = "Letter Head"
NUMBER_STYLE = "Letter Number"
TITLE_STYLE = "Letter Title"
ADDRESSEE_STYLE = "Letter Addressee"
BODY_STYLE = "Letter Body"
SIGNATURE_STYLE = "Letter Signature"
PAGE_NUMBER_STYLE = "Letter Page Number"

# What follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase).
AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TAG = re.compile(r"(\{\{ \w+ \}\})")

LAWS = "根据《中华人民共和国工会法》和《中华人民共和国劳动法》的有关规定"

# kind: (title, paragraphs of the text). The kinds are campaigns.models.push.LetterKind's values.
LETTERS = {
    "opinion": (
        "关于支持{{ enterprise }}依法组建工会的意见函",
        [
            f"{LAWS}，在中国境内的企业中以工资收入为主要生活来源的劳动者，都有依法参加和组织工会的权利，"
            "任何组织和个人不得阻挠和限制。",
            "经了解，你单位至今尚未建立工会组织。为维护职工合法权益，构建和谐劳动关系，现提出如下意见：",
            "一、请你单位自收到本函之日起三十日内，支持职工依法组建工会，为工会筹建工作提供必要条件。",
            "二、请你单位明确专人与我会联系，配合做好职工入会和工会筹备工作。",
            "三、你单位不得以任何方式阻挠、限制职工参加和组织工会。",
            "请将组建工会的进展情况及时书面告知我会。",
            "特此函告。",
        ],
    ),
    "sup_opinion": (
        "关于{{ enterprise }}组建工会情况的法律监督检查意见书",
        [
            f"{LAWS}，我会对你单位依法组建工会的情况进行了法律监督检查。",
            "经检查，你单位至今尚未依法建立工会组织，职工依法参加和组织工会的权利未能得到保障。现提出如下意见：",
            "一、你单位应当依法支持职工组建工会，自收到本意见书之日起三十日内启动工会筹建工作。",
            "二、你单位应当为职工入会和工会筹建提供必要条件，不得阻挠、限制职工参加和组织工会。",
            "三、逾期仍未整改的，我会将依照有关规定提请有关部门依法处理。",
            "请于收到本意见书之日起十五日内将整改情况书面反馈我会。",
        ],
    ),
    "sup_proposal": (
        "关于{{ enterprise }}组建工会的法律监督检查建议书",
        [
            f"{LAWS}，我会对你单位组建工会的情况进行了法律监督检查。为推动你单位依法建会，"
            "保障职工合法权益，现提出如下建议：",
            "一、由企业主要负责人牵头，明确专人负责，尽快成立工会筹备组。",
            "二、广泛宣传工会法律法规，引导职工自愿加入工会。",
            "三、依法召开会员（代表）大会，民主选举工会委员会，并报上级工会批准。",
            "四、按照规定拨缴工会经费，为工会开展活动提供必要的场所和条件。",
            "请你单位认真研究落实，并于收到本建议书之日起三十日内将落实情况书面反馈我会。",
        ],
    ),
}


def build(kind, folder=TEMPLATE_DIR):
    title, paragraphs = LETTERS[kind]
    document = Document()
    _set_up_styles(document)
    _set_up_page(document)
    _write_head(document)
    _write(document, title, TITLE_STYLE)
    _write(document, "{{ enterprise }}：", ADDRESSEE_STYLE)
    for text in paragraphs:
        _write(document, text, BODY_STYLE)
    _write(document, "{{ unit }}", SIGNATURE_STYLE).paragraph_format.space_before = LINE_PITCH * 2
    _write(document, "{{ date }}", SIGNATURE_STYLE)
    _set_properties(document, TAG.sub("", title))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.docx"
    document.save(path)
    return path


def _set_up_page(document):
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's dashes stand 7 mm below the text block.
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, alignment):
    """ "— 1 —" in a PAGE field, one character in from the outer edge."""
    paragraph.style = PAGE_NUMBER_STYLE
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
    _add_run(paragraph, f"{DASH} ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _add_run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)._r.append(instruction)
    _field_char(paragraph, "separate")
    _add_run(paragraph, "1", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field_char(paragraph, "end")
    _add_run(paragraph, f" {DASH}", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _field_char(paragraph, kind):
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    _add_run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)._r.append(mark)


def _set_fonts(properties, east_asian):
    """Latin and East Asian fonts on a style's or a run's properties; a theme font would win over either.

    The page number's digits are 宋体 too (GB/T 9704: 4号半角宋体阿拉伯数字); other text's are Times New Roman.
    """
    fonts = properties.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    latin = PAGE_NUMBER_FONT if east_asian == PAGE_NUMBER_FONT else LATIN_FONT
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(document, name, east_asian, size, *, alignment=None, colour=BLACK):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size)
    style.font.color.rgb = colour
    _set_fonts(style.element.get_or_add_rPr(), east_asian)
    if alignment is not None:
        style.paragraph_format.alignment = alignment
    return style


def _set_up_styles(document):
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") is not None:
        _set_fonts(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"), BODY_FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    # Chinese line breaking and punctuation follow the East Asian language of the text.
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.rPr.append(language)
    lines = normal.paragraph_format
    lines.space_before = lines.space_after = Pt(0)
    lines.line_spacing_rule, lines.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    _style(document, HEAD_STYLE, TITLE_FONT, HEAD_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER, colour=RED)
    head = document.styles[HEAD_STYLE].paragraph_format
    head.line_spacing_rule, head.line_spacing = WD_LINE_SPACING.SINGLE, None
    number = _style(document, NUMBER_STYLE, BODY_FONT, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_before = LINE_PITCH
    _red_rule(number)
    title = _style(document, TITLE_STYLE, TITLE_FONT, TITLE_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    # The red rule's space below stands before the title.
    title.paragraph_format.space_after = LINE_PITCH
    title.paragraph_format.line_spacing = Pt(35)
    _style(document, ADDRESSEE_STYLE, BODY_FONT, BODY_SIZE)
    body = _style(document, BODY_STYLE, BODY_FONT, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body.paragraph_format.first_line_indent = ONE_CHARACTER * 2
    signature = _style(document, SIGNATURE_STYLE, BODY_FONT, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = ONE_CHARACTER * 4
    _style(document, PAGE_NUMBER_STYLE, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _red_rule(style):
    """The red rule under the 版头: the paragraph's bottom border, as wide as the text block."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", "FF0000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # Word refuses a document whose paragraph properties stand out of the schema's order.
    style.element.get_or_add_pPr().insert_element_before(borders, *AFTER_BORDERS)
    style.paragraph_format.space_after = LINE_PITCH


def _write_head(document):
    head = _write(document, "{{ unit }}函", HEAD_STYLE, colour=RED)
    head.paragraph_format.keep_with_next = True
    _write(document, "{{ number }}", NUMBER_STYLE)


def _write(document, text, style_name, *, colour=None):
    """A paragraph in the style, every tag a run of its own; fonts set on each run as well as on the style."""
    style = document.styles[style_name]
    paragraph = document.add_paragraph(style=style)
    east_asian = style.element.rPr.rFonts.get(qn("w:eastAsia"))
    for piece in TAG.split(text):
        if piece:
            _add_run(paragraph, piece, east_asian, style.font.size.pt, colour=colour)
    return paragraph


def _add_run(paragraph, text, east_asian, size, *, colour=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    _set_fonts(run._r.get_or_add_rPr(), east_asian)
    return run


def _set_properties(document, title):
    """The title; nothing of python-docx's blank document (its author, description, sample thumbnail)."""
    properties = document.core_properties
    properties.title, properties.author, properties.comments, properties.last_modified_by = title, "", "", ""
    properties.language = "zh-CN"
    package_rels = document.part.package.rels
    for rId in [rId for rId, rel in package_rels.items() if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:
        del package_rels[rId]


def main(folder=TEMPLATE_DIR):
    for kind in LETTERS:
        print(build(kind, folder))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_DIR)
