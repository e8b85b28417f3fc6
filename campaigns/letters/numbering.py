"""How the letters are numbered: each issuing unit's 发文字号, like 拉工函〔2019〕12号, one series a year.

A letter is issued in the name of the federation of the issuer's place: the 组织部 and the region's other units
write as 西藏自治区总工会 (藏工函), a prefecture's or county's units as that place's federation. So each prefix has
one series, kept by that federation's counter.
"""

from unions.models import UnionOrg

# The prefix of the region's and the prefectures' federations, by division code.
PREFIXES = {
    "540000": "藏工函",
    "540100": "拉工函",
    "540200": "日工函",
    "540300": "昌工函",
    "540400": "林工函",
    "540500": "山工函",
    "540600": "那工函",
    "542500": "阿工函",
}
# A county federation's prefix is its county's name without the 县, 区 or 市 (the first two characters of a longer
# one: 堆龙德庆区 → 堆龙) and 工函: 城关区 → 城关工函.
COUNTY_SUFFIXES = ("县", "区", "市")
LETTER_SUFFIX = "工函"


def prefix_for(division):
    """The 发文字号's prefix of the federation of `division`."""
    if division.code in PREFIXES:
        return PREFIXES[division.code]
    name = division.name
    if len(name) > 1 and name.endswith(COUNTY_SUFFIXES):
        name = name[:-1]
    if len(name) > 3:
        name = name[:2]
    return f"{name}{LETTER_SUFFIX}"


def issuing_unit_for(organisation):
    """The federation in whose name a member of `organisation` issues letters; None for a unit of no place."""
    if organisation is None or organisation.division_id is None:
        return None
    return UnionOrg.objects.select_related("division").filter(code=organisation.division_id).first()


def document_number(prefix, year, serial):
    return f"{prefix}〔{year}〕{serial}号"
