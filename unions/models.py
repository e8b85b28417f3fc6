"""Divisions, the union tree, and staff accounts with the scope they see.

Every read of union data for a person goes through `UnionOrg.objects.visible_to`
or `unions.access.get_org_for_user`: that is the one door.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


def division_prefix(code):
    """The code prefix shared by a division and everything in it (GB/T 2260: 540000 → 54, 540100 → 5401)."""
    while code.endswith("00"):
        code = code[:-2]
    return code


class Division(models.Model):
    """An administrative division of GB/T 2260 (region, prefecture or county)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province-level")
        PREFECTURE = "prefecture", _("Prefecture-level")
        COUNTY = "county", _("County-level")

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="division_code_six_digits"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class StatisticalDivision(models.Model):
    """A township-level or village-level unit of the NBS statistical division codes (统计用区划代码).

    Kept apart from `Division`: these codes are not GB/T 2260 codes, and a few township-level rows belong to
    development zones that have a statistical code of their own but no GB/T 2260 division.
    """

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("Township-level")
        VILLAGE = "village", _("Village-level")

    code = models.CharField(_("statistical division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    # The six-digit code the township row names as its own (a county, or one of Lhasa's zones).
    area_code = models.CharField(_("county or zone code"), max_length=6, db_index=True)
    # The GB/T 2260 division it lies in: its county, or for a development zone the prefecture.
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="statistical_units"
    )
    township = models.ForeignKey(
        "self",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="villages",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("statistical division")
        verbose_name_plural = _("statistical divisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="township") & Q(code__regex=r"^[0-9]{9}$") & Q(township__isnull=True))
                | (Q(level="village") & Q(code__regex=r"^[0-9]{12}$") & Q(township__isnull=False)),
                name="statistical_division_code_fits_level",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


def scoped(queryset, user, path_lookup, also=None, by_key=False):
    """The one rule of scope, for every model a unit owns.

    Reviewers and administrators see everything; anyone else sees what belongs to their unit's subtree
    (`path_lookup` names the owning unit's tree path), plus whatever `also(user)` adds; nobody else sees anything.
    `by_key` looks the owning unit up by its key among the subtree's units (User.scope_unit_ids).
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.scope_path is None:
        return queryset.none()
    if by_key:
        # Rows owned through a key to a unit (`path_lookup` is "<key>__path"), in a table too large to read whole:
        # that key among the subtree's units, so that an index on the key (combined with `also`'s by the planner)
        # finds them; a prefix match on the joined units' paths would read every row.
        condition = Q(**{f"{path_lookup.removesuffix('__path')}__in": user.scope_unit_ids()})
    else:
        condition = Q(**{f"{path_lookup}__startswith": user.scope_path})
    extra = also(user) if also else None
    return queryset.filter(condition | extra if extra is not None else condition)


class GrassrootsForm(models.TextChoices):
    """The forms a grassroots union takes (基层工会的组织形式)."""

    ENTERPRISE = "enterprise", _("Enterprise union")
    JOINT = "joint", _("Joint grassroots union")
    PROJECT = "project", _("Project union federation")
    COMMUNITY = "community", _("Community union")
    VILLAGE = "village", _("Village union")
    ZONE = "zone", _("Development zone or park union")
    INDUSTRY = "industry", _("Industry union federation")


class UnionOrgQuerySet(models.QuerySet):
    def subtree_of(self, org):
        """The organisation and everything below it: one indexed prefix match."""
        return self.filter(path__startswith=org.path)

    def visible_to(self, user):
        return scoped(self, user, "path")

    def grassroots(self):
        return self.filter(kind=UnionOrg.Kind.GRASSROOTS_UNION)

    def for_directory(self):
        """Federations and reporting units; grassroots unions are listed elsewhere."""
        return self.filter(kind__in=UnionOrg.DIRECTORY_KINDS).select_related("division").order_by("path")


class UnionOrg(models.Model):
    """A union organisation, placed in a tree by a materialised path of codes."""

    class Kind(models.TextChoices):
        REGION_FEDERATION = "region_federation", _("Region federation")
        DEPARTMENT = "department", _("Department of the federation")
        PREFECTURE_FEDERATION = "prefecture_federation", _("Prefecture federation")
        COUNTY_FEDERATION = "county_federation", _("County federation")
        REPORTING_UNIT = "reporting_unit", _("Industry union or directly affiliated unit")
        TOWNSHIP_UNION = "township_union", _("Township or street union")
        GRASSROOTS_UNION = "grassroots_union", _("Grassroots union")

    # Where a grassroots union may be placed.
    GRASSROOTS_PARENT_KINDS = [Kind.TOWNSHIP_UNION, Kind.COUNTY_FEDERATION, Kind.PREFECTURE_FEDERATION]

    DIRECTORY_KINDS = [
        Kind.REGION_FEDERATION,
        Kind.DEPARTMENT,
        Kind.PREFECTURE_FEDERATION,
        Kind.COUNTY_FEDERATION,
        Kind.REPORTING_UNIT,
    ]

    code = models.CharField(
        _("organisation code"),
        max_length=40,
        unique=True,
        help_text=_("The division code for federations of a place; a short code below the parent otherwise."),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("division"), null=True, blank=True, on_delete=models.PROTECT, related_name="unions"
    )
    form = models.CharField(_("form of grassroots union"), max_length=10, choices=GrassrootsForm.choices, blank=True)
    statistical_division = models.ForeignKey(
        StatisticalDivision,
        verbose_name=_("township or village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    leader = models.CharField(_("person in charge"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    # Bumped by every edit so that a form filled in on an old copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UnionOrgQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("union organisation")
        verbose_name_plural = _("union organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(code__contains=PATH_SEPARATOR), name="union_code_has_no_path_separator"
            ),
            # A grassroots union has a form and nothing else has one.
            models.CheckConstraint(
                condition=(Q(kind="grassroots_union") & ~Q(form="")) | (~Q(kind="grassroots_union") & Q(form="")),
                name="union_form_only_for_grassroots",
            ),
            models.CheckConstraint(
                condition=~Q(form=GrassrootsForm.VILLAGE) | Q(statistical_division__isnull=False),
                name="village_union_names_its_village",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_place_federation(self):
        return self.kind in {
            self.Kind.REGION_FEDERATION,
            self.Kind.PREFECTURE_FEDERATION,
            self.Kind.COUNTY_FEDERATION,
        }

    @property
    def is_grassroots(self):
        return self.kind == self.Kind.GRASSROOTS_UNION

    @property
    def may_hold_grassroots(self):
        return self.kind in self.GRASSROOTS_PARENT_KINDS

    def is_within(self, other):
        return self.path.startswith(other.path)

    def ancestors(self):
        """The organisations above this one, from the top down."""
        codes = self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
        by_code = {org.code: org for org in UnionOrg.objects.filter(code__in=codes)}
        return [by_code[code] for code in codes if code in by_code]


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Organisation department reviewer")
    STAFF = "staff", _("Unit staff")
    VIEWER = "viewer", _("Unit viewer")
    ADMIN = "admin", _("System administrator")


# Roles whose scope is a unit and the units below it.
UNIT_ROLES = (Role.STAFF, Role.VIEWER)


class PortalUserManager(UserManager):
    def get_queryset(self):
        # Every page reads the signed-in account's unit (the menu, the scoping door): one query, not two.
        return super().get_queryset().select_related("organisation")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A staff account: it belongs to one union organisation and has one role."""

    organisation = models.ForeignKey(
        UnionOrg, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=UNIT_ROLES) | models.Q(organisation__isnull=False),
                name="unit_roles_belong_to_an_organisation",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role in UNIT_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": _("Unit staff and viewers must belong to an organisation.")})

    @property
    def sees_everything(self):
        return self.is_superuser or self.role in {Role.REVIEWER, Role.ADMIN}

    @property
    def scope_path(self):
        """The path prefix of what this account may see, or None when it sees nothing."""
        return self.organisation.path if self.organisation_id else None

    def scope_unit_ids(self):
        """The ids of the units in this account's subtree: read once per request (the account object lives as
        long as one), and again should the account's unit change."""
        cached = self.__dict__.get("_scope_units")
        if cached is None or cached[0] != self.scope_path:
            ids = list(UnionOrg.objects.filter(path__startswith=self.scope_path).values_list("pk", flat=True))
            cached = self.__dict__["_scope_units"] = (self.scope_path, ids)
        return cached[1]

    def remember_scope_unit_ids(self, ids):
        """scope_unit_ids read by a query that had them at hand, for the rest of the request."""
        self.__dict__["_scope_units"] = (self.scope_path, list(ids))

    @property
    def scope_division_prefix(self):
        """For staff of a place's federation, the division-code prefix of their area (the data located there)."""
        org = self.organisation
        if org is None or not org.is_place_federation or org.division_id is None:
            return None
        return division_prefix(org.division_id)

    @property
    def is_reviewer(self):
        return self.role == Role.REVIEWER

    @property
    def is_administrator(self):
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def oversees(self):
        """The 组织部 and administrators: they see every unit and act across them (boards, deletions)."""
        return self.is_reviewer or self.is_administrator

    def is_staff_of(self, unit):
        """Whether this account is the unit's own data-entry staff (who fill in and submit its reports)."""
        return self.role == Role.STAFF and self.organisation_id == unit.pk

    @property
    def enters_data(self):
        """Unit staff enter their area's data; administrators may correct anything."""
        return self.is_administrator or self.role == Role.STAFF

    def can_edit(self, org):
        """Whether this account may change data of `org` (which it can already see)."""
        if self.is_administrator:
            return True
        return self.role == Role.STAFF and self.organisation_id is not None and org.is_within(self.organisation)


# The 八有 checklist of township unions lives in its own module; imported here so that Django finds its models.
from unions.standards import EightHave, EightHavesChange, EightHavesItem  # noqa: E402, F401
