"""Resident ID numbers as GB 11643 writes them, and as people type them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.idnumbers import check_character, mask_id, mask_phone, normalise_id, normalise_phone
from members.tests.helpers import id_number

# A 城关区 number of someone born in 1980: python-stdnum's region table refuses it (540102 only from 1983).
CHENGGUAN_1980 = id_number("540102", datetime.date(1980, 6, 15), serial=3)


def test_a_chengguan_number_of_someone_born_in_1980_is_accepted():
    assert normalise_id(CHENGGUAN_1980) == CHENGGUAN_1980


def test_a_birthplace_code_from_any_province_is_accepted():
    number = id_number("510104", datetime.date(1992, 1, 31))
    assert normalise_id(number) == number


def test_a_lowercase_x_check_character_becomes_uppercase():
    number = next(n for s in range(100) if (n := id_number(serial=s % 100, sex_digit=s // 100 + 1)).endswith("X"))
    assert normalise_id(number.lower()) == number


def test_full_width_digits_and_spaces_are_normalised():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in CHENGGUAN_1980)
    assert normalise_id(f" {full_width[:6]} {full_width[6:]} ") == CHENGGUAN_1980


def test_a_fifteen_digit_number_becomes_eighteen_digits():
    eighteen = id_number("540102", datetime.date(1965, 2, 3), serial=12, sex_digit=3)
    fifteen = eighteen[:6] + eighteen[8:17]
    assert normalise_id(fifteen) == eighteen


@pytest.mark.parametrize(
    "number",
    [
        "540102199902300010",  # 19990230 is no date
        "540102180001010010",  # before 1900
        "540102" + (datetime.date.today() + datetime.timedelta(days=2)).strftime("%Y%m%d") + "0010",  # born tomorrow
    ],
)
def test_a_birth_date_that_is_not_a_real_date_is_refused(number):
    with pytest.raises(ValidationError) as error:
        normalise_id(number[:17] + "0")
    assert error.value.code in {"id_birth_date", "id_check"}
    with pytest.raises(ValidationError) as error:
        normalise_id(number[:17] + check_character(number[:17]))
    assert error.value.code == "id_birth_date"


def test_a_wrong_check_character_is_refused():
    wrong = CHENGGUAN_1980[:17] + ("0" if CHENGGUAN_1980[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        normalise_id(wrong)
    assert error.value.code == "id_check"


@pytest.mark.parametrize("typed", ["", "12345", "5401021980061500AB", "54010219800615003", "5.40102198006E17"])
def test_anything_else_is_refused_as_malformed(typed):
    with pytest.raises(ValidationError) as error:
        normalise_id(typed)
    assert error.value.code == "id_format"


def test_masks_show_the_first_and_last_digits_only():
    assert mask_id("540102198006150017") == "5401**********0017"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("typed", ["138 1234 5678", "+86 13812345678", "１３８１２３４５６７８", "138-1234-5678"])
def test_a_mobile_number_is_kept_as_eleven_digits(typed):
    assert normalise_phone(typed) == "13812345678"


def test_a_landline_with_its_area_code_is_accepted_and_a_short_number_is_not():
    assert normalise_phone("0891-6321234") == "08916321234"
    with pytest.raises(ValidationError):
        normalise_phone("12345")
