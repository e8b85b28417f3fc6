"""Lists of names read in pinyin order, not in the order of their code points, on both databases."""

import html
import re

import pytest
from django.db import connection
from django.urls import reverse

from campaign_portal.collation import by_pinyin, compare_by_pinyin, pinyin_sort_key
from conftest import make_enterprise
from enterprises.models import Enterprise
from unions.models import Division

COUNTIES = ["昂仁县", "八宿县", "措勤县", "丁青县", "乃东区", "亚东县"]
# Shigatse's counties in pinyin order; 定结 before 定日 (jié, rì), 萨嘎 before 萨迦 (gā, jiā).
SHIGATSE_COUNTIES = [
    "昂仁县",
    "白朗县",
    "定结县",
    "定日县",
    "岗巴县",
    "吉隆县",
    "江孜县",
    "康马县",
    "拉孜县",
    "南木林县",
    "聂拉木县",
    "仁布县",
    "萨嘎县",
    "萨迦县",
    "谢通门县",
    "亚东县",
    "仲巴县",
]


def in_order_on_page(page, names):
    positions = [page.index(name) for name in names]
    return positions == sorted(positions)


def test_code_point_order_is_not_pinyin_order():
    """What this is about: by code point 丁青 comes first and 昂仁 fifth."""
    assert sorted(COUNTIES) == ["丁青县", "乃东区", "亚东县", "八宿县", "措勤县", "昂仁县"]
    assert sorted(COUNTIES, key=pinyin_sort_key) == COUNTIES


def test_the_comparison_reads_characters_one_by_one_with_tones():
    assert compare_by_pinyin("八宿", "八一") < 0  # sù before yī
    assert compare_by_pinyin("八一", "班戈") < 0  # 八 (bā) before 班 (bān), whatever follows
    assert compare_by_pinyin("得", "的") < 0  # dé before the neutral de
    assert compare_by_pinyin("路", "吕") < 0  # lù before lǚ
    assert compare_by_pinyin("丁青", "丁青") == 0
    assert compare_by_pinyin("丁", "丁青") < 0


def test_digits_come_first_and_latin_letters_after_chinese():
    names = ["ABC商贸", "八宿县", "3号仓库", "abc公司"]
    assert sorted(names, key=pinyin_sort_key) == ["3号仓库", "八宿县", "abc公司", "ABC商贸"]
    assert sorted(["ab", "AB"], key=pinyin_sort_key) == ["AB", "ab"]  # case decides only when all else is equal


def test_a_character_pypinyin_does_not_know_sorts_after_those_it_reads_by_code_point():
    assert sorted(["\u9fef", "\u9fee", "亚"], key=pinyin_sort_key) == ["亚", "\u9fee", "\u9fef"]


@pytest.mark.django_db
def test_the_database_sorts_county_names_by_pinyin():
    counties = Division.objects.filter(name__in=COUNTIES).order_by(by_pinyin("name"))
    assert [county.name for county in counties] == COUNTIES


@pytest.mark.django_db
def test_both_databases_put_digits_first_and_latin_letters_last():
    for name in ["ABC商贸", "八宿县", "3号仓库"]:
        make_enterprise("540102", name=name)
    names = list(Enterprise.objects.order_by(by_pinyin("name")).values_list("name", flat=True))
    assert names == ["3号仓库", "八宿县", "ABC商贸"]


@pytest.mark.django_db
def test_the_enterprise_list_sorts_names_by_pinyin(login, reviewer):
    for name in reversed(COUNTIES):
        make_enterprise("540102", name=f"{name}企业")
    page = login(reviewer).get(reverse("enterprises:list")).content.decode()
    assert in_order_on_page(page, [f"{name}企业" for name in COUNTIES])
    by_name = login(reviewer).get(reverse("enterprises:list"), {"sort": "name"}).content.decode()
    assert in_order_on_page(by_name, [f"{name}企业" for name in COUNTIES])


@pytest.mark.django_db
def test_enterprises_of_a_county_are_in_pinyin_order_by_default():
    for name in reversed(COUNTIES):
        make_enterprise("540102", name=name)
    assert list(Enterprise.objects.values_list("name", flat=True)) == COUNTIES


@pytest.mark.django_db
def test_the_union_directory_lists_search_results_by_pinyin(login, shigatse_staff):
    page = login(shigatse_staff).get(reverse("unions:directory"), {"q": "县总工会"}).content.decode()
    assert in_order_on_page(page, [f"{name}总工会" for name in SHIGATSE_COUNTIES])


def sorted_by_name_column(client, changelist, **filters):
    """The admin list as it reads after a click on the header of its name column."""
    page = client.get(changelist, filters).content.decode()
    link = re.search(r'(?s)class="sortable column-(?:name|first_name)[^"]*">.*?href="\?([^"]*)"', page)[1]
    return client.get(f"{changelist}?{html.unescape(link)}").content.decode()


@pytest.mark.django_db
def test_admin_lists_sort_names_by_pinyin(login, administrator):
    client = login(administrator)
    for name in reversed(COUNTIES):
        make_enterprise("540102", name=name)
    enterprises = reverse("admin:enterprises_enterprise_changelist")
    assert in_order_on_page(client.get(enterprises).content.decode(), COUNTIES)  # the default order
    assert in_order_on_page(sorted_by_name_column(client, enterprises), COUNTIES)
    divisions = sorted_by_name_column(client, reverse("admin:unions_division_changelist"), level__exact="county")
    assert in_order_on_page(divisions, SHIGATSE_COUNTIES)
    unions = sorted_by_name_column(client, reverse("admin:unions_unionorg_changelist"), q="县总工会")
    assert in_order_on_page(unions, [f"{name}总工会" for name in SHIGATSE_COUNTIES])


@pytest.mark.django_db
def test_the_enterprise_lists_first_page_reads_the_pinyin_index(reviewer):
    """Page 1 of a large list walks the index instead of sorting every name."""
    make_enterprise("540102", name="八宿县企业")
    query = Enterprise.objects.visible_to(reviewer).order_by(by_pinyin("name"), "pk")[:50]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        plan = query.explain()
    assert "enterprise_name_pinyin" in plan
