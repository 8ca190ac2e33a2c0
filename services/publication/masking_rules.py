"""Check digits that tell a real ID or card number from any long number (GB 11643, ISO 7812).

Why: masking every long digit run would hide work-order numbers and amounts the public
needs; a verified check digit is what makes a number personal data.
"""

from __future__ import annotations

from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def id_check_character(first_seventeen: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are given."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seventeen, ID_WEIGHTS, strict=True)
    )
    return ID_CHECK_CHARACTERS[total % 11]


def is_luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every bank card number passes."""
    total = 0
    for index, character in enumerate(reversed(digits)):
        value = int(character)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload + digit` Luhn-valid."""
    for candidate in "0123456789":
        if is_luhn_valid(payload + candidate):
            return candidate
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")


def plausible_birth_date(yyyymmdd: str) -> bool:
    """An ID number's birth date must be a real day between 1900 and 2099."""
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099
