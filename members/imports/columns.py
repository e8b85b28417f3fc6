"""The member import's columns: Chinese headers (the template's and what the file must have), and examples."""

import dataclasses
import functools

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from members.models import Membership, MembershipStatus, Person, Sex


@dataclasses.dataclass(frozen=True)
class Column:
    field: str
    label: object  # lazily translated: the header is its Chinese form
    required: bool
    example: object

    @property
    def header(self):
        with translation.override("zh-hans"):
            return str(self.label)


def _verbose(model, field):
    return model._meta.get_field(field).verbose_name


# The file is read by its Chinese headers whatever the language of the page, as the template gives them.
COLUMNS = [
    Column("name", pgettext_lazy("member import column", "Name"), True, "次仁"),
    Column("sex", _verbose(Person, "sex"), True, "男"),
    Column("ethnicity", _verbose(Person, "ethnicity"), True, "藏族"),
    Column("id_number", _verbose(Person, "id_number"), True, None),  # the template's example is made for the day
    Column("phone", pgettext_lazy("member import column", "Mobile phone"), False, "13812345678"),
    Column("rural_household", _verbose(Person, "rural_household"), False, "是"),
    Column("migrant_worker", _verbose(Person, "migrant_worker"), False, "是"),
    Column("employer", pgettext_lazy("member import column", "Employer's credit code"), False, ""),
    Column("joined_on", _verbose(Membership, "joined_on"), True, None),
    Column("card_number", _verbose(Membership, "card_number"), False, ""),
    Column("status", _verbose(Membership, "status"), False, "会员"),
]
COLUMN_OF = {column.field: column for column in COLUMNS}
REQUIRED_FIELDS = {column.field for column in COLUMNS if column.required}
# Other spellings people use for a column's header.
HEADER_ALIASES = {
    "身份证号": "公民身份号码",
    "身份证号码": "公民身份号码",
    "手机": "手机号码",
    "联系电话": "手机号码",
    "农村户籍": "农牧区户籍",
    "统一社会信用代码": "工作单位统一社会信用代码",
    "会员证编号": "会员证号",
}
SEXES = {"男": Sex.MALE, "女": Sex.FEMALE, "M": Sex.MALE, "F": Sex.FEMALE}
# An import enrols people: only the current statuses, as the template's drop-down offers them.
IMPORTED_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.KEPT)
ROW_FIELDS = [
    "row",
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "phone",
    "rural_household",
    "migrant_worker",
    "employer",
    "joined_on",
    "card_number",
    "status",
    "person",
]
QUERY_CHUNK = 900  # under SQLite's limit on query parameters


@functools.cache
def _by_header():
    return {column.header: column for column in COLUMNS}


def column_for(title):
    """The column a header names: the template's header or another common spelling; None if it is no column."""
    return _by_header().get(HEADER_ALIASES.get(title, title))


def status_labels():
    """Each importable status by its Chinese label (what the drop-down offers) and by its code."""
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in MembershipStatus.choices if value in IMPORTED_STATUSES}
    return {**labels, **{value: value for value in IMPORTED_STATUSES}}


def yes_no():
    with translation.override("zh-hans"):
        return [_("Yes"), _("No")]


def chunks(values):
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]
