"""Spreadsheet import of grassroots unions: every row checked as the browser's form checks it, every error
reported with its row and column, then all of them set up in one transaction, or none.

Each row names the union's parent by its code (a township union, or a county or prefecture federation the
user may change). The import only sets up new unions: a name already used under the same parent is an error.
"""

import datetime
import io

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.imports.files import ImportRefused, is_blank, open_rows, refusal
from enterprises.xlsx import XlsxError
from unions.forms import GrassrootsUnionForm
from unions.models import GrassrootsForm, StatisticalDivision, UnionOrg
from unions.services import UnionError, grassroots_union_check, grassroots_union_create

MAX_ROWS = 2_000
# (form field, column title, example value)
COLUMNS = [
    ("parent", gettext_lazy("Parent union code"), "540102002"),
    ("name", gettext_lazy("Union name"), "八廓街道商户联合工会"),
    ("short_name", gettext_lazy("Short name"), ""),
    ("form", gettext_lazy("Form"), str(GrassrootsForm.JOINT.label)),
    ("village_code", gettext_lazy("Village or community code"), ""),
    ("leader", gettext_lazy("Person in charge"), "次仁"),
    ("phone", gettext_lazy("Contact phone"), "0891-6321234"),
    ("address", gettext_lazy("Address"), "拉萨市城关区八廓街1号"),
    ("founded_on", gettext_lazy("Date founded"), "2019-08-10"),
]
# What a checked row keeps, ready to write.
STORED_FIELDS = ("name", "short_name", "form", "statistical_division", "leader", "phone", "address", "founded_on")


class GrassrootsImportRefused(ImportRefused):
    pass


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _form_value(text):
    """A form by its Chinese label or its code."""
    by_label = {str(label): value for value, label in GrassrootsForm.choices}
    return by_label.get(text, text)


class GrassrootsRows:
    def __init__(self, user):
        self.user = user
        self.errors = []
        self.checked = []
        self.titles = {field: str(title) for field, title, _example in COLUMNS}
        self.parents = {}
        self.names_seen = {}

    def error(self, row_number, field, value, message):
        self.errors.append([row_number, self.titles.get(field, ""), value, str(message)])

    def parent(self, code):
        if code not in self.parents:
            org = UnionOrg.objects.visible_to(self.user).filter(code=code).first()
            self.parents[code] = org if org and self.user.can_edit(org) and org.may_hold_grassroots else None
        return self.parents[code]

    def read_header(self, header):
        titles = [_text(value) for value in header]
        positions = {}
        for field, title, _example in COLUMNS:
            if str(title) in titles:
                positions[field] = titles.index(str(title))
        missing = [str(title) for field, title, _e in COLUMNS if field not in positions]
        if missing:
            raise GrassrootsImportRefused(
                _("The header row lacks the columns %(columns)s. Download the template and fill that in.")
                % {"columns": "、".join(missing)}
            )
        return positions

    def check(self, row_number, row, positions):
        values = {field: _text(row[at]) if at < len(row) else "" for field, at in positions.items()}
        parent = self.parent(values["parent"])
        if parent is None:
            self.error(
                row_number,
                "parent",
                values["parent"],
                _("No union that you may add a grassroots union under has this code."),
            )
            return
        values["form"] = _form_value(values["form"])
        form = GrassrootsUnionForm(data=values, parent=parent)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    self.error(row_number, field if field != "__all__" else "name", values.get(field, ""), message)
            return
        fields = form.union_fields()
        try:
            grassroots_union_check(parent, fields)
        except UnionError as exc:
            self.error(row_number, "village_code", values["village_code"], exc)
            return
        key = (parent.pk, fields["name"])
        if key in self.names_seen:
            self.error(
                row_number,
                "name",
                fields["name"],
                _("Row %(row)d and row %(first)d set up the same union.")
                % {"row": row_number, "first": self.names_seen[key]},
            )
            return
        self.names_seen[key] = row_number
        if UnionOrg.objects.filter(parent=parent, name=fields["name"]).exists():
            self.error(
                row_number,
                "name",
                fields["name"],
                _("%(parent)s already has a union of this name.") % {"parent": parent.name},
            )
            return
        stored = {name: fields[name] for name in STORED_FIELDS}
        stored["statistical_division"] = fields["statistical_division"].pk if fields["statistical_division"] else None
        stored["founded_on"] = fields["founded_on"].isoformat() if fields["founded_on"] else None
        self.checked.append({"row": row_number, "parent": parent.code, "parent_name": parent.name, **stored})


def grassroots_import_check(uploaded, *, user):
    """Every row checked: (rows ready to write, errors as [row, column, value, message])."""
    checker = GrassrootsRows(user)
    archive, rows = open_rows(uploaded)
    try:
        header = next(rows, None)
        if header is None:
            raise GrassrootsImportRefused(_("The file is empty. Download the template and fill that in."))
        positions = checker.read_header(header[1])
        count = 0
        for row_number, row in rows:
            if is_blank(row):
                continue
            count += 1
            if count > MAX_ROWS:
                raise GrassrootsImportRefused(_("The file has more than 2,000 rows. Split it into several files."))
            checker.check(row_number, row, positions)
    except XlsxError as exc:
        raise refusal(exc) from exc
    finally:
        archive.close()
    if count == 0:
        raise GrassrootsImportRefused(_("The file has a header row but no unions."))
    return checker.checked, checker.errors


def grassroots_import_commit(checked, *, user):
    """Set up every checked union in one transaction; a refusal of any of them saves none."""
    with transaction.atomic():
        created = []
        for row in checked:
            parent = UnionOrg.objects.get(code=row["parent"])
            fields = {name: row[name] for name in STORED_FIELDS}
            village = fields.pop("statistical_division")
            fields["statistical_division"] = StatisticalDivision.objects.get(pk=village) if village else None
            if fields["founded_on"]:
                fields["founded_on"] = datetime.date.fromisoformat(fields["founded_on"])
            try:
                created.append(grassroots_union_create(user=user, parent=parent, **fields))
            except UnionError as exc:
                raise UnionError(_("Row %(row)d: %(error)s") % {"row": row["row"], "error": exc}) from exc
    return created


def _example_parent(user):
    """The first unit the user may add a grassroots union under, so that the template's example row is valid."""
    candidates = UnionOrg.objects.visible_to(user).filter(kind__in=UnionOrg.GRASSROOTS_PARENT_KINDS)
    return next((org for org in candidates.order_by("depth", "code")[:50] if user.can_edit(org)), None)


def grassroots_import_template(user):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "基层工会"
    sheet.append([str(title) for _field, title, _example in COLUMNS])
    example = {field: value for field, _title, value in COLUMNS}
    parent = _example_parent(user)
    if parent is not None:
        example["parent"] = parent.code
        example["address"] = ""
    sheet.append([example[field] for field, _title, _value in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    forms = DataValidation(
        type="list", formula1='"' + ",".join(str(label) for _v, label in GrassrootsForm.choices) + '"'
    )
    forms.add("D2:D2001")
    sheet.add_data_validation(forms)
    for column in "ABCDEFGHI":
        sheet.column_dimensions[column].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
