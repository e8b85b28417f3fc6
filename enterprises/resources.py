"""The registry's spreadsheet columns, as django-import-export fields and widgets.

The columns give the import template its headers and example row, and the import
in `imports/` reads every cell through these widgets. Headers are the model's
Chinese field names. Foreign keys (county, responsible unit, group headquarters)
come out of the widgets as the text typed; the import resolves them within the
user's scope, in bulk.
"""

import datetime

from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from enterprises.credit_code import compact
from enterprises.models import Enterprise, IndustrySection, KeySector, PartyOrg, UnionStatus

YES = {"是", "Y", "YES", "TRUE", "1", "√", "有"}
NO = {"否", "N", "NO", "FALSE", "0", "", "×", "无"}
CHINESE_DATE_FORMATS = ("%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d")


class CellError(ValueError):
    """A cell that cannot be read, with a message fit to show the user."""


def as_text(value):
    """A cell as text. Formulas and text starting with = + - @ are kept as the plain text typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return as_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CreditCodeWidget(TextWidget):
    """Only compacted here; the check character is checked with the rest of the row."""

    def clean(self, value, row=None, **kwargs):
        return compact(as_text(value))


class CountWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number."))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = as_text(value).replace(",", "")
            if not text:
                return None
            if not text.lstrip("-").isdigit():
                raise CellError(_("Enter a whole number."))
            number = int(text)
        if number < 0:
            raise CellError(_("The number cannot be negative."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    def __init__(self, default=False):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return self.default
        if isinstance(value, bool):
            return value
        text = as_text(value).upper()
        if text in YES:
            return True
        if text in NO:
            return False if text else self.default
        raise CellError(_("Enter 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return _("Yes") if value else _("No")


class ChinaDateWidget(widgets.Widget):
    """Excel dates, 2019-08-10 and 2019年8月10日 alike."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = as_text(value)
        try:
            parsed = parse_date(text)
        except ValueError:
            parsed = None
        for date_format in CHINESE_DATE_FORMATS:
            if parsed:
                break
            try:
                parsed = datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        if parsed is None:
            raise CellError(_("Enter a date such as 2019-08-10 or 2019年8月10日."))
        return parsed

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class LabelChoiceWidget(widgets.Widget):
    """A choice given by its Chinese label, its code, or for industry sections by the letter alone."""

    def __init__(self, choices, blank=None):
        super().__init__()
        self.choices = choices
        self.blank = blank
        self._lookup_language = None

    def lookup(self):
        language = get_language()
        if self._lookup_language != language:
            self._lookup = self._build_lookup()
            self._lookup_language = language
        return self._lookup

    def _build_lookup(self):
        table = {}
        for code, label in self.choices.choices:
            table[str(code).upper()] = code
            table[str(label).upper()] = code
            first_word = str(label).split(" ", 1)
            if len(first_word) == 2:
                table[first_word[1].upper()] = code
        return table

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            if self.blank is None:
                raise CellError(_("This column must be filled in."))
            return self.blank
        try:
            return self.lookup()[text.upper()]
        except KeyError:
            allowed = "、".join(str(label) for code, label in self.choices.choices if code)
            raise CellError(_("Choose one of: %(allowed)s.") % {"allowed": allowed}) from None

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value is not None else ""


class KeyedWidget(widgets.Widget):
    """A foreign key given by code or by name; the import supplies the lookup table for the user's scope."""

    def clean(self, value, row=None, **kwargs):
        return as_text(value)

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


# (model field, widget, example value for the template). The order is the spreadsheet's.
COLUMNS = [
    ("credit_code", CreditCodeWidget(), "91540102MA6T00001X"),
    ("name", TextWidget(), "西藏雪域建材有限公司"),
    ("address", TextWidget(), "拉萨市城关区北京中路1号"),
    ("county", KeyedWidget(), "540102"),
    ("responsible_unit", KeyedWidget(), ""),
    ("industry", LabelChoiceWidget(IndustrySection), "C"),
    ("key_sector", LabelChoiceWidget(KeySector, blank=KeySector.NONE), ""),
    ("development_zone", TextWidget(), "拉萨经济技术开发区"),
    ("is_non_public", YesNoWidget(default=True), "是"),
    ("headcount", CountWidget(), 150),
    ("migrant_workers", CountWidget(), 40),
    ("registered_on", ChinaDateWidget(), "2012-03-05"),
    ("operating", YesNoWidget(default=True), "是"),
    ("profitable", YesNoWidget(), "是"),
    ("party_org", LabelChoiceWidget(PartyOrg, blank=PartyOrg.NONE), "单独建立党组织"),
    ("union_status", LabelChoiceWidget(UnionStatus, blank=UnionStatus.NONE), "未建会"),
    ("union_founded_on", ChinaDateWidget(), ""),
    ("operates_across_prefectures", YesNoWidget(), "否"),
    ("long_without_union", YesNoWidget(), "否"),
    ("beyond_local_reach", YesNoWidget(), "否"),
    ("parent_group", KeyedWidget(), ""),
    ("operator_political_post", YesNoWidget(), "否"),
    ("operator_post", TextWidget(), ""),
    ("well_known", YesNoWidget(), "否"),
    ("internet_industry", YesNoWidget(), "否"),
    ("notes", TextWidget(), ""),
]
REQUIRED_COLUMNS = {"credit_code", "name", "county", "industry", "headcount"}


def column_header(field_name):
    label = str(Enterprise._meta.get_field(field_name).verbose_name)
    return f"{label}（代码或名称）" if field_name in {"county", "responsible_unit"} else label


def headers():
    """The spreadsheet's header row, in Chinese (the active language)."""
    return [column_header(name) for name, _widget, _example in COLUMNS]


def header_aliases():
    """Every header the import accepts for each field: the template's, and the bare field label."""
    aliases = {}
    for name, _widget, _example in COLUMNS:
        aliases[column_header(name)] = name
        aliases[str(Enterprise._meta.get_field(name).verbose_name)] = name
    return aliases


class EnterpriseResource(resources.ModelResource):
    """The registry's columns for django-import-export, headed in Chinese and keyed by credit code."""

    class Meta:
        model = Enterprise
        fields = [name for name, _widget, _example in COLUMNS]
        import_id_fields = ["credit_code"]
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, widget, _example in COLUMNS:
            self.fields[name] = fields.Field(attribute=name, column_name=column_header(name), widget=widget)
