"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

python-stdnum's cn.uscc checks the check character but insists that the first
eight characters are digits, so it refuses valid codes registered by departments
whose code is a letter (A, N, Y, ...). We check the shape here and let stdnum's
own weights compute the check character.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def compact(value):
    return uscc.compact(value or "")


def validate_credit_code(value):
    """Return the code in its compact form, or raise a ValidationError with a message in Chinese."""
    code = compact(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)},
            code="length",
        )
    if not code[2:8].isdigit() or any(char not in ALPHABET for char in code):
        raise ValidationError(
            _(
                "%(code)s is not a unified social credit code: "
                "characters 3–8 must be digits, and I, O, S, V, Z never appear."
            )
            % {"code": code},
            code="format",
        )
    try:
        if code[:2].isdigit():
            uscc.validate(code)
        elif code[-1] != uscc.calc_check_digit(code):
            raise uscc.InvalidChecksum()
    except StdnumError as exc:
        raise ValidationError(
            _("%(code)s fails the check character: look for a mistyped character.") % {"code": code}, code="checksum"
        ) from exc
    return code


def division_of(code):
    """The registering authority's division code: characters 3–8."""
    return code[2:8]


def with_check_character(first_seventeen):
    """Complete a 17-character stem with its check character (for demo and benchmark data)."""
    return first_seventeen + uscc.calc_check_digit(first_seventeen)
