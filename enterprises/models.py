"""The enterprise registry: the evidence behind the survey figures."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign_portal.collation import by_pinyin
from unions.models import Division, UnionOrg, division_prefix, scoped


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail")
    G = "G", _("G Transport, storage and post")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities")
    O = "O", _("O Residential, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class KeySector(models.TextChoices):
    """The 2015 plan's key areas for enrolling migrant workers."""

    NONE = "", _("None of the key sectors")
    CONSTRUCTION = "construction", _("Construction project")
    LOGISTICS = "logistics", _("Logistics and express delivery")
    TAXI = "taxi", _("Taxi and passenger transport")
    DOMESTIC = "domestic", _("Domestic services")
    COOPERATIVE = "cooperative", _("Agricultural or pastoral cooperative")
    COMMUNITY = "community", _("Community or village")


class PartyOrg(models.TextChoices):
    NONE = "none", _("No party organisation")
    OWN = "own", _("Own party organisation")
    JOINT = "joint", _("Joint party organisation")


class UnionStatus(models.TextChoices):
    NONE = "none", _("No union")
    OWN = "own", _("Own union")
    JOINT = "joint", _("Joint grassroots union")
    AREA = "area", _("Covered by an area or industry federation")


# The 2019 plan's scope is 100+ staff; a unit with high coverage may widen it to 50+ or 25+.
HEADCOUNT_BANDS = (100, 50, 25)
MAX_HEADCOUNT = 2_000_000
# "规模较大": the plan names no size; we read it as 300 staff or more.
KEY_HEADCOUNT = 300
# 四要素: 25 staff or more, 25 included (民法典 §1259; see the glossary's "25 boundary").
FOUR_CRITERIA_HEADCOUNT = 25
# GB/T 4754-2017 section C.
MANUFACTURING = IndustrySection.C


HAS_PARTY_ORG = ~Q(party_org=PartyOrg.NONE)
HAS_UNION = ~Q(union_status=UnionStatus.NONE)
# The survey's figures (四项数据) and the remainder: defined once, so a figure is the same number everywhere.
FIGURES = {
    "both": HAS_PARTY_ORG & HAS_UNION,
    "party_only": HAS_PARTY_ORG & ~HAS_UNION,
    "union_only": ~HAS_PARTY_ORG & HAS_UNION,
    "neither": ~HAS_PARTY_ORG & ~HAS_UNION,
}
# Headquarters-type hard cases: no union, and beyond the prefecture's own reach.
HARD_CASE = Q(beyond_local_reach=True, union_status=UnionStatus.NONE)


def figure_of(party_org, union_status):
    """Which of FIGURES an enterprise with these statuses falls under (the same conditions, for counted groups)."""
    party, union = party_org != PartyOrg.NONE, union_status != UnionStatus.NONE
    return {(True, True): "both", (True, False): "party_only", (False, True): "union_only"}.get(
        (party, union), "neither"
    )


FIGURE_LABELS = {
    "total": _("Enterprises in scope"),
    "both": _("Both a party organisation and a union"),
    "party_only": _("A party organisation but no union"),
    "union_only": _("A union but no party organisation"),
    "neither": _("Neither"),
}


def _located_in_area(user):
    prefix = user.scope_division_prefix
    return Q(county__code__startswith=prefix) if prefix else None


# The region's prefectures by the prefix of their division codes (GB/T 2260: 拉萨 540100 … 阿里 542500; the
# reference data in unions/reference).
PREFECTURE_PREFIXES = ("5401", "5402", "5403", "5404", "5405", "5406", "5425")
# Counties' codes are six digits (GB/T 2260).
COUNTY_CODE_LENGTH = 6


def _code_after(prefix):
    """The first division code after every code that starts with `prefix` (codes are digits of one length)."""
    return str(int(prefix) + 1).zfill(len(prefix))


def _place_range(user):
    """For a place's staff whose units answer for nothing located elsewhere, the place as a range of county codes
    (low, high); else None.

    The door shows a place's staff what is located in their place and what their units are responsible for
    wherever it is located; the second usually lies within the first. Found out once per request (the account
    object lives as long as one), in one query that also reads the units of the account's subtree, for the door's
    other form: each unit with the lowest and highest county code among the enterprises it answers for, each one
    step on the (responsible unit, county) index. (An EXISTS per side of the place was planned as a scan of the
    whole registry, the planner expecting to meet a match at once.)"""
    if not user.is_authenticated or user.sees_everything or user.scope_path is None:
        return None
    prefix = user.scope_division_prefix
    if not prefix:
        return None
    cached = user.__dict__.get("_place_range")
    if cached is None or cached[0] != user.scope_path:
        low, high = prefix, _code_after(prefix)
        theirs = Enterprise.objects.filter(responsible_unit=OuterRef("pk")).order_by()
        units = UnionOrg.objects.filter(path__startswith=user.scope_path).annotate(
            lowest=Subquery(theirs.annotate(found=Func(F("county_id"), function="MIN")).values("found")),
            highest=Subquery(theirs.annotate(found=Func(F("county_id"), function="MAX")).values("found")),
        )
        rows = list(units.values_list("pk", "lowest", "highest"))
        user.remember_scope_unit_ids([pk for pk, _lowest, _highest in rows])
        elsewhere = any(lowest is not None and (lowest < low or highest >= high) for _pk, lowest, highest in rows)
        cached = user.__dict__["_place_range"] = (user.scope_path, None if elsewhere else (low, high))
    return cached[1]


def _in_place(place):
    """Located in the place (low, high): a county's own code as such, so that its rows in any order of the
    (county, ...) indexes are one range of them; a wider place as a range of county codes."""
    low, high = place
    if len(low) == COUNTY_CODE_LENGTH:
        return Q(county_id=low)
    return Q(county_id__gte=low, county_id__lt=high)


def _registry_scope(queryset, user):
    """The door of the registry and of its tallies (a tally row stands for enterprises of one county and
    responsible unit): a place's staff by the place when that says it all (_place_range), else by unit."""
    if place := _place_range(user):
        return queryset.filter(_in_place(place))
    return scoped(queryset, user, "responsible_unit__path", also=_located_in_area, by_key=True)


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door: what a person may see of the registry (its responsible unit's subtree, and for the
        federation of a place, the enterprises located in that place).

        For a place's staff the second part usually holds the first: their units are responsible for nothing
        located elsewhere. Then the door says only "located in this place", as a range of county codes, which the
        database reads in order from the (county, name) index and estimates well, at any size of the registry."""
        return _registry_scope(self, user)

    def in_scope(self, threshold=100):
        return self.filter(headcount__gte=threshold)

    def in_division(self, code):
        return self.filter(county__code__startswith=division_prefix(code))

    def with_union(self):
        return self.exclude(union_status=UnionStatus.NONE)

    def with_party_org(self):
        return self.exclude(party_org=PartyOrg.NONE)

    def with_figure(self, figure):
        return self.filter(FIGURES[figure])

    def hard_cases(self):
        """Headquarters-type hard cases: no union, and beyond the prefecture's own reach."""
        return self.filter(HARD_CASE)

    def key_ununionised(self, headcount=KEY_HEADCOUNT):
        """重点企业 without a union: large (`headcount` staff or more), long without one, well known, an operator
        with a political post, internet or manufacturing (the 2019 plan, section 三（二）)."""
        return self.filter(union_status=UnionStatus.NONE).filter(
            Q(headcount__gte=headcount)
            | Q(long_without_union=True)
            | Q(well_known=True)
            | Q(operator_political_post=True)
            | Q(internet_industry=True)
            | Q(industry=MANUFACTURING)
        )

    def reported_by(self, unit):
        """The enterprises a unit reports for: its own and those of the units below it."""
        return self.filter(responsible_unit__path__startswith=unit.path)

    def small(self):
        """Fewer than 25 staff: for a joint grassroots union. An enterprise of exactly 25 counts under 四要素."""
        return self.filter(headcount__lt=FOUR_CRITERIA_HEADCOUNT)

    def meeting_four_criteria(self):
        """四要素: non-public, 25+ staff, a party organisation, operating, profitable."""
        return self.filter(
            is_non_public=True, headcount__gte=FOUR_CRITERIA_HEADCOUNT, operating=True, profitable=True
        ).with_party_org()


class Enterprise(models.Model):
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    county = models.ForeignKey(
        Division,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": Division.Level.COUNTY},
    )
    responsible_unit = models.ForeignKey(
        UnionOrg,
        verbose_name=_("responsible reporting unit"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("By default the federation of the county's prefecture."),
    )
    industry = models.CharField(_("industry section"), max_length=1, choices=IndustrySection.choices)
    key_sector = models.CharField(_("key sector"), max_length=12, choices=KeySector.choices, blank=True)
    development_zone = models.CharField(
        _("development zone or industrial park"), max_length=100, blank=True, help_text=_("Leave empty if none.")
    )
    is_non_public = models.BooleanField(_("non-public enterprise"), default=True)
    # Capped well below PostgreSQL's integer range, so both databases refuse the same figures.
    headcount = models.PositiveIntegerField(_("headcount"), validators=[MaxValueValidator(MAX_HEADCOUNT)])
    migrant_workers = models.PositiveIntegerField(
        _("migrant workers"), default=0, validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    registered_on = models.DateField(_("date registered"), null=True, blank=True)
    operating = models.BooleanField(_("registered and operating"), default=True)
    profitable = models.BooleanField(_("making a profit"), default=False)
    party_org = models.CharField(_("party organisation"), max_length=5, choices=PartyOrg.choices, default=PartyOrg.NONE)
    union_status = models.CharField(
        _("union organisation"), max_length=5, choices=UnionStatus.choices, default=UnionStatus.NONE
    )
    union_founded_on = models.DateField(_("date the union was founded"), null=True, blank=True)
    operates_across_prefectures = models.BooleanField(_("operates across prefectures"), default=False)
    long_without_union = models.BooleanField(_("long without a union"), default=False)
    beyond_local_reach = models.BooleanField(_("beyond local reach"), default=False)
    parent_group = models.ForeignKey(
        "self",
        verbose_name=_("group headquarters"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subsidiaries",
    )
    operator_political_post = models.BooleanField(_("operator holds a political post"), default=False)
    operator_post = models.CharField(
        _("the operator's political post"),
        max_length=100,
        blank=True,
        help_text=_("For example 区人大代表 or 市政协委员."),
    )
    well_known = models.BooleanField(_("well known"), default=False)
    internet_industry = models.BooleanField(_("internet industry"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    # Bumped by every save so that an edit made on an old copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["county_id", by_pinyin("name").asc()]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=0),
                name="enterprise_headcount_not_negative",
                violation_error_message=_("The headcount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(migrant_workers__gte=0),
                name="enterprise_migrants_not_negative",
                violation_error_message=_("The number of migrant workers cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(migrant_workers__lte=F("headcount")),
                name="enterprise_migrants_within_headcount",
                violation_error_message=_("There cannot be more migrant workers than staff."),
            ),
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-Z]{18}$"),
                name="enterprise_code_shape",
                violation_error_message=_("A unified social credit code is 18 digits or capital letters."),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "headcount"], name="enterprise_county_headcount"),
            models.Index(fields=["responsible_unit", "headcount"], name="enterprise_unit_headcount"),
            # The list's default order, page by page: names in pinyin, then the key.
            models.Index(by_pinyin("name"), F("id"), name="enterprise_name_pinyin"),
            # The list's other orders (enterprises.forms.SORTS); the credit code's own unique index serves its order.
            models.Index(fields=["headcount", "id"], name="enterprise_headcount_order"),
            models.Index(F("county"), by_pinyin("name"), F("id"), name="enterprise_county_order"),
            # A prefecture's list in name order: its counties are separate runs of the (county, name) index, so
            # each prefecture has its names in an index of their own, matched by the door's range of county codes.
            *(
                models.Index(
                    by_pinyin("name"),
                    F("id"),
                    condition=Q(county_id__gte=prefix, county_id__lt=_code_after(prefix)),
                    name=f"enterprise_name_{prefix}",
                )
                for prefix in PREFECTURE_PREFIXES
            ),
            # Whether a place's units are responsible for enterprises located elsewhere (EnterpriseQuerySet.visible_to).
            models.Index(fields=["responsible_unit", "county"], name="enterprise_unit_county"),
            models.Index(fields=["updated_at", "id"], name="enterprise_updated_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def prefecture_id(self):
        return self.county.parent_id

    @property
    def has_union(self):
        return self.union_status != UnionStatus.NONE

    @property
    def has_party_org(self):
        return self.party_org != PartyOrg.NONE

    @property
    def is_manufacturing(self):
        return self.industry == MANUFACTURING

    @property
    def meets_four_criteria(self):
        return (
            self.is_non_public
            and self.headcount >= FOUR_CRITERIA_HEADCOUNT
            and self.has_party_org
            and self.operating
            and self.profitable
        )

    @property
    def is_hard_case(self):
        """A headquarters-type case the prefecture cannot organise on its own."""
        return not self.has_union and self.beyond_local_reach


class FigureTallyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The same door as the registry's: a tally row stands for enterprises of one county and responsible unit."""
        return _registry_scope(self, user)

    def in_division(self, code):
        return self.filter(county__code__startswith=division_prefix(code))

    def in_scope(self, threshold=100):
        return self.filter(band__gte=threshold)


class FigureTally(models.Model):
    """The registry counted ahead for the dashboards: how many enterprises of one county and responsible unit have
    each pair of statuses, in each headcount band. A dashboard reads a few thousand of these rows instead of a
    million enterprises. enterprises.tallies recounts the counties every write touches, in the same transaction,
    so the tallies always equal a fresh count of the registry (tested for every way the registry is written)."""

    county = models.ForeignKey(Division, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+")
    responsible_unit = models.ForeignKey(
        UnionOrg, verbose_name=_("responsible unit"), on_delete=models.CASCADE, related_name="+"
    )
    # The highest of HEADCOUNT_BANDS the headcount reaches, else 0: smaller enterprises are in no dashboard's scope
    # (in_scope), and are tallied for the registry list's counts (enterprises.selectors.list_count).
    band = models.PositiveSmallIntegerField(_("headcount band"))
    party_org = models.CharField(_("party organisation"), max_length=5, choices=PartyOrg.choices)
    union_status = models.CharField(_("union"), max_length=5, choices=UnionStatus.choices)
    count = models.PositiveIntegerField(_("enterprises"))

    objects = FigureTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure tally")
        verbose_name_plural = _("figure tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "responsible_unit", "band", "party_org", "union_status"], name="figure_tally_unique"
            )
        ]

    def __str__(self):
        return f"{self.county_id} {self.responsible_unit_id} {self.band}+ {self.party_org}/{self.union_status}"


class TallyStamp(models.Model):
    """The mark each recount of the registry's or the rolls' tallies leaves for its scope (a county, a union, or
    everything), replacing the scope's last one.

    Ids only grow, so every recount that commits raises the sum of the ids: a reader that keeps figures computed
    from the registry and the rolls knows, by one small read, whether they still hold. One row per scope, written
    under the recount's own locks, so writers in different counties or unions never wait for each other here."""

    scope = models.CharField(_("scope"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tally stamp")
        verbose_name_plural = _("tally stamps")

    def __str__(self):
        return f"{self.scope}: {self.pk}"


class EnterpriseChange(models.Model):
    """One row per create, edit, import or delete: who changed what, when, from what to what."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")
        IMPORTED = "imported", _("Imported")
        DELETED = "deleted", _("Deleted")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    # Kept so that the history of a deleted enterprise still says which one it was.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    # {field name: [old, new]} as text, as the user saw them.
    fields = models.JSONField(_("changed fields"), default=dict)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("enterprise change")
        verbose_name_plural = _("enterprise changes")

    def __str__(self):
        return f"{self.name} {self.get_action_display()}"

    def labelled_fields(self):
        """(field label, old, new) for each changed field, labelled as the forms label them."""
        labels = {field.name: field.verbose_name for field in Enterprise._meta.fields}
        return [(labels.get(name, name), old, new) for name, (old, new) in self.fields.items()]


class ImportBatch(models.Model):
    """An uploaded spreadsheet: checked in full at upload, committed all at once on confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        REFUSED = "refused", _("Refused: the file has errors")
        # The same English word is an action in a change history (导入); as a state it reads 已导入.
        COMMITTED = "committed", pgettext_lazy("import status", "Imported")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [row, column, value, message] for every problem found (the first few thousand).
    errors = models.JSONField(_("errors"), default=list)
    error_total = models.PositiveIntegerField(_("errors"), default=0)
    # The checked rows, ready to write: see enterprises.imports for their layout.
    fields = models.JSONField(default=list)
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name


class UnionCoverageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The door to coverage: the covering union's subtree (an enterprise's own door applies on top)."""
        return scoped(self, user, "union__path")

    def open(self):
        return self.filter(valid_to__isnull=True)


class UnionCoverage(models.Model):
    """Which grassroots union covers an enterprise, from when to when (组建或覆盖). One open row per enterprise:
    a new coverage closes the old one (enterprises.services.coverage_start)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="coverages"
    )
    union = models.ForeignKey(
        UnionOrg,
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="coverages",
        limit_choices_to={"kind": UnionOrg.Kind.GRASSROOTS_UNION},
    )
    valid_from = models.DateField(_("covered from"))
    # The last day covered; empty while the coverage lasts.
    valid_to = models.DateField(_("covered until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ended by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = UnionCoverageQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("union coverage")
        verbose_name_plural = _("union coverages")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(valid_to__isnull=True),
                name="coverage_one_open_per_enterprise",
                violation_error_message=_("The enterprise is already covered by a grassroots union."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="coverage_from_not_after_to",
                violation_error_message=_("A coverage cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["union", "valid_to"], name="coverage_union_open")]

    def __str__(self):
        return f"{self.union} → {self.enterprise}"

    @property
    def is_open(self):
        return self.valid_to is None
