import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from enterprises.credit_code import validate_credit_code, with_check_character


def test_a_valid_code_is_accepted_in_its_compact_form():
    assert validate_credit_code(" 91110000-600037341L ") == "91110000600037341L"


@pytest.mark.parametrize("department", ["A", "N", "Y"])
def test_codes_of_departments_whose_code_is_a_letter_are_accepted(department):
    code = with_check_character(f"{department}1540100MA6T00001")
    assert not uscc.is_valid(code)  # the library alone refuses these
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341X", "校验"),
        ("9111000060003734", "18"),
        ("9111A000600037341L", "第3"),
        ("91110000I00037341L", "第3"),
    ],
)
def test_bad_codes_get_a_message_that_says_what_is_wrong(code, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert message in caught.value.messages[0]


def test_a_letter_code_with_a_wrong_check_character_is_refused():
    code = with_check_character("N1540100MA6T00001")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        validate_credit_code(wrong)
