"""One benchmark case in a process of its own, so that its peak memory is its own.

    python bench/case.py <case> <rows>

prints one JSON line: name, database, rows, seconds, peak_mb, and for the dashboard cases
queries (how many SQL queries one request, or one pass of the baseline, makes). The database
is the one DATABASE_URL names; bench/run.py prepares it and runs every case against it.

Adding a case: write a function taking the number of rows and returning the seconds the
measured work took (set-up excluded), or (seconds, rows), or a dict with seconds and any
further fields, and register it in CASES. To compare it with another path, register that too
and name the pair in BASELINES (the fairest baseline, the other path at its best; older ones
may stay beside it in OTHER_BASELINES): run.py then reports the speedups.
The import cases measure IMPORT_ROWS (default 10,000) new enterprises, checked and then
confirmed, and roll their writes back so that every run starts from the same registry.
The member cases measure MEMBER_IMPORT_ROWS (default 100,000) members of one union: the import (check and confirmation)
against django-import-export's at its fastest, and the export; their writes are rolled back too.
The dashboard cases (DASHBOARD_CASES) measure the whole registry, which run.py brings to
DASHBOARD_ROWS enterprises first: the median of REPEATS warm passes, after one cold one.
"""

import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _registry(rows):
    """The first `rows` enterprises, in the order the list shows a reviewer by default."""
    from enterprises.models import Enterprise

    return Enterprise.objects.order_by("name", "pk")[:rows]


def export_xlsx(rows):
    """Our path: the row generator and openpyxl's write-only workbook, to a temporary file as the view does."""
    from enterprises.exports import write_xlsx

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        write_xlsx(queryset, file)
        return time.perf_counter() - start


def export_xlsx_stock(rows):
    """django-import-export's stock path: a default ModelResource, then tablib's xlsx."""
    from import_export.resources import ModelResource

    from enterprises.models import Enterprise

    class EnterpriseResource(ModelResource):
        class Meta:
            model = Enterprise

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        dataset = EnterpriseResource().export(queryset)
        file.write(dataset.export("xlsx"))
        return time.perf_counter() - start


def export_csv(rows):
    """Our CSV path: the same rows, in the pieces the streaming response sends."""
    from enterprises.exports import csv_chunks

    queryset = _registry(rows)
    with tempfile.TemporaryFile() as file:
        start = time.perf_counter()
        for chunk in csv_chunks(queryset):
            file.write(chunk)
        return time.perf_counter() - start


IMPORT_ROWS = int(os.environ.get("IMPORT_ROWS") or 10_000)
IMPORT_SEED = 4242


def _new_enterprises(count):
    """`count` generated enterprises whose codes are not in the registry yet (not saved)."""
    from enterprises.demo import EnterpriseFactory
    from enterprises.models import Enterprise

    factory = EnterpriseFactory(seed=IMPORT_SEED)
    factory.codes.update(Enterprise.objects.values_list("credit_code", flat=True))
    return [factory.build() for _ in range(count)]


def _bench_user():
    from unions.models import Role, UnionOrg, User

    user, _created = User.objects.get_or_create(
        username="bench_admin",
        defaults={"role": Role.ADMIN, "organisation": UnionOrg.objects.get(code="540000"), "is_superuser": True},
    )
    return user


def _template_workbook(enterprises):
    """The enterprises as a filled-in import template, as a prefecture would upload it."""
    from enterprises.resources import headers
    from enterprises.xlsx import write_sheet

    def yes_no(value):
        return "是" if value else "否"

    rows = (
        [
            e.credit_code,
            e.name,
            e.address,
            e.county.name,
            "",
            e.industry,
            e.get_key_sector_display() if e.key_sector else "",
            e.development_zone,
            yes_no(e.is_non_public),
            e.headcount,
            e.migrant_workers,
            e.registered_on,
            yes_no(e.operating),
            yes_no(e.profitable),
            e.get_party_org_display(),
            e.get_union_status_display(),
            e.union_founded_on,
            yes_no(e.operates_across_prefectures),
            yes_no(e.long_without_union),
            yes_no(e.beyond_local_reach),
            "",
            yes_no(e.operator_political_post),
            yes_no(e.well_known),
            yes_no(e.internet_industry),
            e.notes,
        ]  # fmt: skip
        for e in enterprises
    )
    buffer = io.BytesIO()
    write_sheet(buffer, title="企业名录", header=headers(), widths=[12] * len(headers()), rows=rows)
    return buffer.getvalue()


def import_preview_commit(_rows):
    """Our path: upload check (the preview) then confirmation, for IMPORT_ROWS new enterprises; rolled back after."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import translation

    from enterprises.imports import import_check, import_commit

    translation.activate("zh-hans")
    user = _bench_user()
    workbook = _template_workbook(_new_enterprises(IMPORT_ROWS))
    with transaction.atomic():
        start = time.perf_counter()
        batch = import_check(SimpleUploadedFile("bench.xlsx", workbook), user=user)
        import_commit(batch, user=user)
        seconds = time.perf_counter() - start
        if batch.new_count != IMPORT_ROWS:
            raise RuntimeError(f"expected {IMPORT_ROWS} new rows, got {batch.new_count}: {batch.errors[:3]}")
        transaction.set_rollback(True)
    return seconds, IMPORT_ROWS


def _stock_import(**options):
    """django-import-export's import of IMPORT_ROWS new enterprises with a ModelResource of the registry (its Meta
    given `options`): import_data as a dry run (the preview), then for real, each from the same xlsx read by
    tablib; rolled back after.

    The one adaptation: tablib reads an empty cell as None, which the stock resource would try to store in the
    NOT NULL text columns, so blank text cells are given back as "" (as our import does)."""
    import tablib
    from django.db import transaction
    from import_export.resources import ModelResource

    from enterprises.models import Enterprise

    meta = type("Meta", (), {"model": Enterprise, **options})
    resource = type("EnterpriseResource", (ModelResource,), {"Meta": meta})()
    columns = [field.column_name for field in resource.get_import_fields()]
    keys = {"county": "county_id", "responsible_unit": "responsible_unit_id", "parent_group": "parent_group_id"}
    dataset = tablib.Dataset(headers=columns)
    for enterprise in _new_enterprises(IMPORT_ROWS):
        dataset.append(
            [None if column == "id" else getattr(enterprise, keys.get(column, column)) for column in columns]
        )
    workbook = dataset.export("xlsx")
    text_columns = {"address", "development_zone", "key_sector", "notes"}

    def read():
        loaded = tablib.Dataset().load(io.BytesIO(workbook), format="xlsx")
        blank_as_text = tablib.Dataset(headers=loaded.headers)
        for row in loaded:
            blank_as_text.append(
                [
                    "" if value is None and header in text_columns else value
                    for header, value in zip(loaded.headers, row, strict=True)
                ]
            )
        return blank_as_text

    with transaction.atomic():
        start = time.perf_counter()
        preview = resource.import_data(read(), dry_run=True)
        result = resource.import_data(read(), dry_run=False)
        seconds = time.perf_counter() - start
        if preview.has_errors() or result.has_validation_errors() or result.totals["new"] != IMPORT_ROWS:
            raise RuntimeError(f"the stock import did not take every row: {result.totals}")
        if Enterprise.objects.filter(credit_code__in=dataset["credit_code"]).count() != IMPORT_ROWS:
            raise RuntimeError("the stock import did not write every row")
        transaction.set_rollback(True)
    return seconds, IMPORT_ROWS


def import_stock(_rows):
    """django-import-export as it comes: a default ModelResource, which looks each row up and saves it alone."""
    return _stock_import()


def import_stock_bulk(_rows):
    """django-import-export at its fastest for new rows: its own bulk options (bulk_create in batches, no lookup of
    an existing instance per row, no diff kept per row). The fair baseline of import_preview_commit."""
    return _stock_import(use_bulk=True, batch_size=1000, force_init_instance=True, skip_diff=True)


def _without_recount():
    """The tallies' recount patched out, everywhere a write calls it: what the same write costs without its upkeep."""
    from unittest import mock

    from enterprises import tallies

    return mock.patch.object(tallies, "recount", return_value=None)


EDITS = 21


def tally_upkeep_edit(_rows):
    """One enterprise edit through enterprise_update, alternating its headcount between two bands (so each edit
    changes a tally), in the county with the most enterprises; the median of EDITS edits, with and without the
    recount. Each edit commits; the enterprise ends as it began (but for its version)."""
    from django.db.models import Count

    from enterprises.models import Enterprise
    from enterprises.services import enterprise_update

    user = _bench_user()
    county = Enterprise.objects.values("county_id").annotate(n=Count("pk")).order_by("-n")[0]["county_id"]
    enterprise = (
        Enterprise.objects.filter(county_id=county, headcount__gte=100, migrant_workers__lte=60).order_by("pk").first()
    )
    original = enterprise.headcount

    def edits():
        times = []
        for step in range(EDITS):
            current = Enterprise.objects.get(pk=enterprise.pk)
            headcount = 60 if step % 2 == 0 else original
            start = time.perf_counter()
            enterprise_update(current, user=user, version=current.version, data={"headcount": headcount})
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    with_recount = edits()
    with _without_recount():
        without = edits()
    from enterprises import tallies

    tallies.recount([county])  # the edits without the recount left the county's tallies behind
    return {
        "seconds": with_recount,
        "seconds_without_recount": round(without, 4),
        "county_enterprises": Enterprise.objects.filter(county_id=county).count(),
        "rows": _registry_size(),
    }


def tally_upkeep_import(_rows):
    """IMPORT_ROWS new enterprises checked and confirmed, with and without the recount of the counties they touch;
    the better of two rounds of each, every pass rolled back."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import translation

    from enterprises.imports import import_check, import_commit

    translation.activate("zh-hans")
    user = _bench_user()
    workbook = _template_workbook(_new_enterprises(IMPORT_ROWS))

    def one_pass():
        with transaction.atomic():
            start = time.perf_counter()
            batch = import_check(SimpleUploadedFile("bench.xlsx", workbook), user=user)
            import_commit(batch, user=user)
            seconds = time.perf_counter() - start
            if batch.new_count != IMPORT_ROWS:
                raise RuntimeError(f"expected {IMPORT_ROWS} new rows, got {batch.new_count}: {batch.errors[:3]}")
            transaction.set_rollback(True)
        return seconds

    with_recount, without = [], []
    for _round in range(2):
        with_recount.append(one_pass())
        with _without_recount():
            without.append(one_pass())
    return {"seconds": min(with_recount), "seconds_without_recount": round(min(without), 2), "rows": IMPORT_ROWS}


def _import_crafted(shape):
    """Upload check of a workbook crafted to cost memory (enterprises/tests/crafted.py), at its real size: refused.

    The file is built first (not measured); `seconds` is the check until its refusal, `peak_mb` the whole process.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from enterprises.imports import ImportRefused, import_check
    from enterprises.tests import crafted

    translation.activate("zh-hans")
    user = _bench_user()
    content = getattr(crafted, shape)()
    start = time.perf_counter()
    try:
        batch = import_check(SimpleUploadedFile("crafted.xlsx", content), user=user)
    except ImportRefused as exc:
        refusal = str(exc)
    else:
        if not batch.error_total:
            raise RuntimeError(f"the crafted file ({shape}) was taken")
        refusal = batch.errors[0][3]
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": 1, "file_mb": round(len(content) / 2**20, 1), "refusal": refusal}


def import_crafted_shared_strings(_rows):
    """21 million shared strings, 378 MB unpacked, in a 7 MB upload."""
    return _import_crafted("many_shared_strings")


def import_crafted_huge_cell(_rows):
    """One cell of 398 MB in a 10 MB upload."""
    return _import_crafted("one_huge_cell")


def import_crafted_huge_tag(_rows):
    """One tag of 398 MB (an attribute) in a 10 MB upload."""
    return _import_crafted("one_huge_tag")


def import_crafted_at_the_caps(_rows):
    """Shared strings just inside every cap of the reader, each character the costliest to hold: the most a file
    can make a worker hold (it is read, and refused for its header)."""
    return _import_crafted("shared_strings_at_the_caps")


# Warm passes per dashboard case; the median is reported.
REPEATS = 7
# The region's dashboard as the 组织部 opens it: everything, live, 100 staff or more.
THRESHOLD = 100
# Non-zero exit status of a case that cannot run yet (run.py says so and goes on).
SKIPPED = 75


class Skipped(Exception):
    """The case cannot run in this checkout (a part of the portal it measures is not written yet)."""


def _reviewer():
    """The 组织部 reviewer of the region federation, who sees the whole region."""
    from unions.models import Role, UnionOrg, User

    user, _created = User.objects.get_or_create(
        username="bench_reviewer",
        defaults={"role": Role.REVIEWER, "organisation": UnionOrg.objects.get(code="540000.ZZB")},
    )
    return user


def _median_and_queries(work):
    """The median seconds of REPEATS warm runs of `work` (after a cold one), then the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    work()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        work()
    return {"seconds": statistics.median(times), "queries": len(captured)}


def _registry_size():
    from enterprises.models import Enterprise

    return Enterprise.objects.count()


def _get(path):
    """A function requesting `path` as the reviewer through the test client, reading the whole response."""
    client = _client(_reviewer())

    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        return b"".join(response.streaming_content) if response.streaming else response.content

    return get


def _client(user):
    """The test client logged in as `user`.

    Production settings, except that static files are named without the manifest that collectstatic would write:
    the page's server time is the same, and the benchmark needs no collected static files.
    """
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    # WhiteNoise's warning that nothing was collected into STATIC_ROOT.
    warnings.filterwarnings("ignore", message="No directory at")
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(user)
    return client


def dashboard(_rows):
    """Our path: the whole region dashboard page, GET through the test client as the reviewer."""
    from django.urls import reverse

    return {**_median_and_queries(_get(reverse("reports:dashboard"))), "rows": _registry_size()}


def dashboard_naive(_rows):
    """What a naive page would do: one count per prefecture and figure, and the region's, with the same filters.

    Checked against the dashboard's roll-up after the measurement, so the two always count the same thing.
    """
    from enterprises.models import FIGURES, Enterprise
    from reports.dashboards import rollup
    from unions.models import Division

    reviewer = _reviewer()
    areas = list(Division.objects.exclude(level=Division.Level.COUNTY).order_by("code"))
    counted = {}

    def counts():
        in_scope = Enterprise.objects.visible_to(reviewer).in_scope(THRESHOLD)
        for area in areas:
            in_area = in_scope.in_division(area.code)
            counted[area.code] = {"total": in_area.count()} | {
                name: in_area.with_figure(name).count() for name in FIGURES
            }

    result = _median_and_queries(counts)
    total = rollup(reviewer, THRESHOLD)
    rolled_up = {
        line.code: line.figures for _level, line in total.walk() if line.division.level != Division.Level.COUNTY
    }
    if rolled_up != counted:
        raise RuntimeError(f"the roll-up and the separate counts differ: {rolled_up} != {counted}")
    return {**result, "rows": _registry_size()}


def dashboard_grouped(_rows):
    """The fair baseline: what a dashboard without tallies would do at its best, one grouped query over the
    registry (the enterprises the reviewer sees with 100 staff or more, by county and the two statuses), rolled up
    to the prefectures and the region in Python.

    Checked against the dashboard's roll-up, every county, prefecture and the region, after the measurement.
    """
    from django.db.models import Count

    from enterprises.models import Enterprise, figure_of
    from reports.dashboards import rollup, zero_figures
    from unions.models import Division

    reviewer = _reviewer()
    # Reference data, the same for every pass: read once, as a page would have it cached.
    prefecture_of = dict(Division.objects.filter(level=Division.Level.COUNTY).values_list("code", "parent_id"))
    region = Division.objects.get(level=Division.Level.PROVINCE).code
    counted = {}

    def counts():
        counted.clear()
        rows = (
            Enterprise.objects.visible_to(reviewer)
            .in_scope(THRESHOLD)
            .order_by()
            .values("county_id", "party_org", "union_status")
            .annotate(count=Count("pk"))
        )
        for row in rows:
            figure = figure_of(row["party_org"], row["union_status"])
            for code in (row["county_id"], prefecture_of[row["county_id"]], region):
                figures = counted.setdefault(code, zero_figures())
                figures["total"] += row["count"]
                figures[figure] += row["count"]

    result = _median_and_queries(counts)
    rolled_up = {line.code: line.figures for _level, line in rollup(reviewer, THRESHOLD).walk()}
    if {code: figures for code, figures in rolled_up.items() if figures["total"]} != counted:
        raise RuntimeError("the roll-up and the grouped query differ")
    return {**result, "rows": _registry_size()}


def summary_xlsx(_rows):
    """The Excel summary of the region (the official form and its further sheets), GET as the reviewer."""
    from django.urls import reverse

    get = _get(reverse("reports:dashboard_summary"))
    try:
        get()
    except NotImplementedError as exc:
        raise Skipped("the Excel summary (reports/statform.py) is not written yet") from exc
    return {**_median_and_queries(get), "rows": _registry_size()}


def _chengguan_staff():
    from unions.models import Role, UnionOrg, User

    user, _created = User.objects.get_or_create(
        username="bench_chengguan", defaults={"role": Role.STAFF, "organisation": UnionOrg.objects.get(code="540102")}
    )
    return user


def _members_size():
    from members.models import Person

    return Person.objects.count()


def member_list(_rows):
    """The first page of a search by an exact ID number (a POST) as 城关区 staff, among every member on the rolls.

    The number is one of the last members added; the answer must list that member, and only that member.
    """
    from django.urls import reverse

    from members.models import Membership

    membership = Membership.objects.filter(union__path__startswith="/540000/540100/540102/").order_by("-pk").first()
    if membership is None:
        raise Skipped("no member in 城关区 on the rolls")
    number = membership.person.id_number
    client = _client(_chengguan_staff())
    detail = reverse("members:detail", args=[membership.person_id]).encode()

    def search():
        response = client.post(reverse("members:search"), {"id_number": number.lower()})
        if response.status_code != 200 or detail not in response.content:
            raise RuntimeError(f"the search answered {response.status_code} without the member")

    return {**_median_and_queries(search), "rows": _members_size()}


def member_list_first_page(_rows):
    """The member list's first page as the 组织部 opens it: every current member of the region, newest first."""
    from django.urls import reverse

    return {**_median_and_queries(_get(reverse("members:list"))), "rows": _members_size()}


def _members_campaign():
    """The latest campaign measured by its members (the 2015 plan, as load_campaigns loads it)."""
    from campaigns.models import Campaign, Measure

    campaign = Campaign.objects.filter(measure=Measure.MEMBERS).order_by("-year", "-pk").first()
    if campaign is None:
        raise Skipped("no members campaign is loaded")
    return campaign


def member_dashboard(_rows):
    """Our path: the region dashboard of the members campaign, GET as the 组织部 reviewer: every figure of the region
    and of each prefecture, from the member tallies, the registry and the township unions.

    `seconds` is a look at unchanged data (the counts of the rolls and the registry kept since the last write);
    after_a_write_seconds a look right after a write, which counts them afresh."""
    from django.urls import reverse

    from enterprises import tallies

    campaign = _members_campaign()
    get = _get(f"{reverse('reports:members_dashboard')}?campaign={campaign.pk}")
    result = _median_and_queries(get)

    def after_a_write():
        tallies.stamp(["bench"])  # as any write's recount does: the kept counts no longer hold
        start = time.perf_counter()
        get()
        return time.perf_counter() - start

    afresh = statistics.median(after_a_write() for _ in range(REPEATS))
    return {
        **result,
        "rows": _members_size(),
        "enterprises": _registry_size(),
        "after_a_write_seconds": round(afresh, 4),
    }


def member_dashboard_grouped(_rows):
    """The fair baseline: the best single grouped query over the member rows, with no tallies: the current
    memberships of migrant workers who joined by the campaign's year, and those who joined in it, by union; rolled
    up the union tree in Python (every union counted into each organisation above it).

    Checked against the dashboard's figures (every organisation of the region) after the measurement.
    """
    from django.db.models import Count, Q

    from members.models import CURRENT_STATUSES, Membership
    from reports.enrolment.figures import AreaFigures, _ancestors_within
    from unions.models import UnionOrg

    campaign = _members_campaign()
    region = UnionOrg.objects.get(kind=UnionOrg.Kind.REGION_FEDERATION)
    counted = {}

    def counts():
        counted.clear()
        rows = (
            Membership.objects.filter(
                status__in=CURRENT_STATUSES,
                person__migrant_worker=True,
                joined_on__year__lte=campaign.year,
                union__path__startswith=region.path,
            )
            .order_by()
            .values("union__path")
            .annotate(members=Count("pk"), new=Count("pk", filter=Q(joined_on__year=campaign.year)))
        )
        for row in rows:
            for path in _ancestors_within(row["union__path"], region.path):
                line = counted.setdefault(path, [0, 0])
                line[0] += row["members"]
                line[1] += row["new"]

    result = _median_and_queries(counts)
    figures = AreaFigures(campaign, region)
    for path, (members, new) in counted.items():
        line = figures.counted(path)
        if (line["migrant_members"], line["new_migrant_members"]) != (members, new):
            raise RuntimeError(f"the dashboard and the grouped query differ at {path}")
    return {**result, "rows": _members_size(), "enterprises": _registry_size()}


MEMBER_IMPORT_ROWS = int(os.environ.get("MEMBER_IMPORT_ROWS") or 100_000)
MEMBER_UNION = "540102.BENCH"


def _reset_peak():
    """Start the peak memory from what the process holds now (Linux): the set-up before is not the case's."""
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")


def _member_union():
    from members.tests.helpers import grassroots_union

    return grassroots_union("540102", MEMBER_UNION, "性能测试基层工会")


def _bench_people(count):
    """`count` distinct people as plain values: (name, sex, ethnicity code, ID number, phone, rural, migrant)."""
    import datetime

    from members.tests.helpers import id_number

    first_day = datetime.date(1970, 1, 1)
    for index in range(count):
        born = first_day + datetime.timedelta(days=index // 100)
        sex_digit = index % 2 + 1  # odd for men
        number = id_number(born=born, serial=index % 100, sex_digit=sex_digit)
        yield (f"测试会员{index}", "M" if sex_digit % 2 else "F", "04", number, f"139{index:08d}", True, index % 3 > 0)


def _member_workbook(count, employers):
    """The people as a filled-in member import template, as a township union would upload it."""
    from enterprises.xlsx import write_sheet
    from members.imports.columns import COLUMNS

    header = [column.header for column in COLUMNS]
    rows = (
        [
            name,
            "男" if sex == "M" else "女",
            "藏族",
            number,
            phone,
            "是" if rural else "否",
            "是" if migrant else "否",
            employers[index % len(employers)] if employers and index % 2 else "",
            "2026-05-01",
            f"BENCH{index:07d}",
            "会员" if index % 10 else "保留会籍",
        ]
        for index, (name, sex, _ethnicity, number, phone, rural, migrant) in enumerate(_bench_people(count))
    )
    buffer = io.BytesIO()
    write_sheet(buffer, title="会员名册", header=header, widths=[12] * len(header), rows=rows)
    return buffer.getvalue()


def member_import(_rows):
    """Our path: upload check (the preview) then confirmation of MEMBER_IMPORT_ROWS new members; rolled back after."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import translation

    from enterprises.models import Enterprise
    from members.imports import member_import_check, member_import_commit
    from members.models import MembershipChange

    translation.activate("zh-hans")
    user = _bench_user()
    employers = list(Enterprise.objects.filter(county_id="540102").values_list("credit_code", flat=True)[:200])
    workbook = _member_workbook(MEMBER_IMPORT_ROWS, employers)
    with transaction.atomic():
        union = _member_union()
        _reset_peak()
        start = time.perf_counter()
        batch = member_import_check(SimpleUploadedFile("bench.xlsx", workbook), user=user, union=union)
        checked = time.perf_counter()
        if batch.errors:
            raise RuntimeError(f"the bench file has errors: {batch.errors[:3]}")
        member_import_commit(batch, user=user)
        seconds = time.perf_counter() - start
        if MembershipChange.objects.filter(membership__union=union).count() != MEMBER_IMPORT_ROWS:
            raise RuntimeError("the import did not write every row")
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "rows": MEMBER_IMPORT_ROWS,
        "check_seconds": round(checked - start, 2),
        "commit_seconds": round(seconds - (checked - start), 2),
    }


def member_import_stock(_rows):
    """django-import-export at its fastest (bulk_create in batches, no lookup per row, no diff) on the same people.

    What it can do is less: a ModelResource of Person can write people only (no membership, no history rows, no
    check against the rolls or within the file), and it has no way to fill the blind index, mask and birth date
    from the ID number but a hook (before_save_instance calling set_id_number and set_phone); the encryption is the
    field's own, as in our path. Its file has the columns it reads (codes for sex and ethnicity, 1/0 for yes/no):
    the same people, the same ID numbers. A dry run (the preview), then for real, each read by tablib; rolled back.
    """
    import tablib
    from django.db import transaction
    from import_export.resources import ModelResource

    from members.models import Person

    class PersonResource(ModelResource):
        class Meta:
            model = Person
            fields = ("name", "sex", "ethnicity", "id_number", "phone", "rural_household", "migrant_worker")
            use_bulk = True
            batch_size = 1000
            force_init_instance = True
            skip_diff = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.set_id_number(instance.id_number)
            instance.set_phone(instance.phone)

    resource = PersonResource()
    dataset = tablib.Dataset(headers=list(PersonResource.Meta.fields))
    for name, sex, ethnicity, number, phone, rural, migrant in _bench_people(MEMBER_IMPORT_ROWS):
        dataset.append([name, sex, ethnicity, number, phone, int(rural), int(migrant)])
    workbook = dataset.export("xlsx")
    del dataset
    _reset_peak()
    with transaction.atomic():
        start = time.perf_counter()
        preview = resource.import_data(tablib.Dataset().load(io.BytesIO(workbook), format="xlsx"), dry_run=True)
        result = resource.import_data(tablib.Dataset().load(io.BytesIO(workbook), format="xlsx"), dry_run=False)
        seconds = time.perf_counter() - start
        if preview.has_errors() or result.has_validation_errors() or result.totals["new"] != MEMBER_IMPORT_ROWS:
            raise RuntimeError(f"the stock import did not take every row: {result.totals}")
        if Person.objects.count() < MEMBER_IMPORT_ROWS:
            raise RuntimeError("the stock import did not write every row")
        transaction.set_rollback(True)
    return seconds, MEMBER_IMPORT_ROWS


def _fill_members(count, union, employers):
    """`count` members of `union`, written in batches as the import does (no history: the export does not read it)."""
    import datetime

    from members import crypto
    from members.idnumbers import birth_date_of, mask_id, mask_phone
    from members.models import Membership, Person

    people = _bench_people(count)
    joined = datetime.date(2026, 5, 1)
    done = 0
    while done < count:
        batch = []
        for name, sex, ethnicity, number, phone, rural, migrant in people:
            person = Person(name=name, sex=sex, ethnicity=ethnicity, rural_household=rural, migrant_worker=migrant)
            person.id_number, person.id_index, person.id_masked = number, crypto.blind_index(number), mask_id(number)
            person.birth_date, person.phone, person.phone_masked = birth_date_of(number), phone, mask_phone(phone)
            batch.append(person)
            if len(batch) == 5000:
                break
        Person.objects.bulk_create(batch)
        Membership.objects.bulk_create(
            Membership(
                person=person,
                union=union,
                employer_id=employers[index % len(employers)] if employers and index % 2 else None,
                joined_on=joined,
                card_number=f"BENCH{done + index:07d}",
            )
            for index, person in enumerate(batch)
        )
        done += len(batch)


def member_export(_rows):
    """The export of MEMBER_IMPORT_ROWS members with full numbers (decrypting every one), then masked (the default): the
    seconds and the peak memory are the masked export's, the members written before it excluded; rolled back after."""
    import gc

    from django.db import transaction

    from enterprises.models import Enterprise
    from members.exports import export_members
    from members.models import Membership

    employers = list(Enterprise.objects.filter(county_id="540102").values_list("pk", flat=True)[:200])
    with transaction.atomic():
        union = _member_union()
        _fill_members(MEMBER_IMPORT_ROWS, union, employers)
        memberships = Membership.objects.filter(union=union)
        gc.collect()
        _reset_peak()
        start = time.perf_counter()
        with tempfile.TemporaryFile() as full:  # as the view writes it
            export_members(memberships, full_numbers=True, file=full)
        full_seconds = time.perf_counter() - start
        full_peak = peak_mb()
        gc.collect()
        _reset_peak()
        start = time.perf_counter()
        with tempfile.TemporaryFile() as masked:
            export_members(memberships, file=masked)
            xlsx_mb = masked.seek(0, 2) / 1e6
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "rows": MEMBER_IMPORT_ROWS,
        "full_numbers_seconds": round(full_seconds, 2),
        "full_numbers_peak_mb": round(full_peak, 1),
        "xlsx_mb": round(xlsx_mb, 1),
    }


CASES = {
    "import_stock": import_stock,
    "import_stock_bulk": import_stock_bulk,
    "import_preview_commit": import_preview_commit,
    "import_crafted_shared_strings": import_crafted_shared_strings,
    "import_crafted_huge_cell": import_crafted_huge_cell,
    "import_crafted_huge_tag": import_crafted_huge_tag,
    "import_crafted_at_the_caps": import_crafted_at_the_caps,
    "tally_upkeep_edit": tally_upkeep_edit,
    "tally_upkeep_import": tally_upkeep_import,
    "export_xlsx_stock": export_xlsx_stock,
    "export_xlsx": export_xlsx,
    "export_csv": export_csv,
    "dashboard_naive": dashboard_naive,
    "dashboard_grouped": dashboard_grouped,
    "dashboard": dashboard,
    "summary_xlsx": summary_xlsx,
    "member_list": member_list,
    "member_list_first_page": member_list_first_page,
    "member_dashboard_grouped": member_dashboard_grouped,
    "member_dashboard": member_dashboard,
    "member_import_stock": member_import_stock,
    "member_import": member_import,
    "member_export": member_export,
}
# case → the baseline it is measured against (run before it): the fairest there is, the other path at its best.
BASELINES = {
    "export_xlsx": "export_xlsx_stock",
    "import_preview_commit": "import_stock_bulk",
    "dashboard": "dashboard_grouped",
    "member_import": "member_import_stock",
    "member_dashboard": "member_dashboard_grouped",
}
# case → further baselines reported beside the fair one (speedup_vs_<name>), when they ran too: the paths as
# they come, which the fair baselines replaced.
OTHER_BASELINES = {
    "import_preview_commit": ["import_stock"],
    "dashboard": ["dashboard_naive"],
}
# Cases that measure the whole registry: run.py runs them on a registry of DASHBOARD_ROWS enterprises.
DASHBOARD_CASES = {"dashboard_naive", "dashboard_grouped", "dashboard", "summary_xlsx"}
# Cases that measure the whole member rolls: run.py brings them to MEMBER_ROWS members first.
MEMBER_CASES = {"member_list", "member_list_first_page", "member_dashboard_grouped", "member_dashboard"}


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
    import django

    django.setup()


def peak_mb():
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(name, rows):
    setup_django()
    from django.db import connection

    try:
        outcome = CASES[name](rows)
    except Skipped as exc:
        print(f"{name} skipped: {exc}", file=sys.stderr, flush=True)
        sys.exit(SKIPPED)
    # A case measured on its own number of rows (the imports) says so; a dict brings further fields.
    if not isinstance(outcome, dict):
        seconds, rows = outcome if isinstance(outcome, tuple) else (outcome, rows)
        outcome = {"seconds": seconds, "rows": rows}
    seconds = outcome.pop("seconds")
    result = {
        "name": name,
        "database": connection.vendor,
        "rows": outcome.pop("rows", rows),
        # Milliseconds still show for the dashboard cases.
        "seconds": round(seconds, 2 if seconds >= 1 else 4),
        "peak_mb": round(peak_mb(), 1),
        **outcome,
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
