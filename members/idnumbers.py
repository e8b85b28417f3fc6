"""Resident identity numbers (GB 11643-1999) and phone numbers: normalising, checking and masking.

The birthplace code is never checked: registers of division codes differ by year (a Lhasa number issued
before a district was renamed is still valid), and migrant workers come from every province.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO 7064 MOD 11-2 weights of the first 17 digits, and the check character for each remainder.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1900

_SEPARATORS = re.compile(r"[\s\-]")
_EIGHTEEN = re.compile(r"^[0-9]{17}[0-9X]$")
_FIFTEEN = re.compile(r"^[0-9]{15}$")
_PHONE = re.compile(r"^(?:\+?86)?(1[3-9][0-9]{9})$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}[0-9]{7,8}$")


def check_character(first_seventeen):
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def _clean(value):
    """Full-width digits and letters become ASCII (NFKC); spaces and dashes go; x becomes X."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return _SEPARATORS.sub("", text).upper()


def birth_date_of(number):
    """The birth date written in an 18-digit number, or None if it is no date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def normalise_id(value, today=None):
    """The 18-character form of a resident ID number, or ValidationError saying what is wrong.

    A 15-digit number (first generation, issued before 1999) gains the century 19 and its check character.
    """
    number = _clean(value)
    if _FIFTEEN.match(number):
        first_seventeen = number[:6] + "19" + number[6:]
        number = first_seventeen + check_character(first_seventeen)
    if not _EIGHTEEN.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X (or 15 digits)."), code="id_format"
        )
    born = birth_date_of(number)
    today = today or datetime.date.today()
    if born is None or not (datetime.date(EARLIEST_BIRTH_YEAR, 1, 1) <= born <= today):
        raise ValidationError(_("The birth date in the ID number is not a real date."), code="id_birth_date")
    if check_character(number[:17]) != number[17]:
        raise ValidationError(_("The check character of the ID number is wrong."), code="id_check")
    return number


def is_valid_id(value):
    try:
        normalise_id(value)
    except ValidationError:
        return False
    return True


def mask_id(number):
    """5401**********0017: the division's first four digits and the last four characters."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalise_phone(value):
    """A mobile number as 11 digits, a landline as its digits; ValidationError otherwise. Empty stays empty."""
    text = _clean(value).replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    if not text:
        return ""
    mobile = _PHONE.match(text)
    if mobile:
        return mobile.group(1)
    if _LANDLINE.match(text):
        return text
    raise ValidationError(_("Enter an 11-digit mobile number or a landline with its area code."), code="phone")


def mask_phone(phone):
    """138****5678: the first three and last four digits."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
