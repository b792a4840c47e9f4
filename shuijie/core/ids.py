"""Identifier check characters: GB 32100-2015 (USCC), GB 11643-1999 (ID card), 注册号 (GB/T 17710).

第八条: every 检查对象 is registered with its 统一社会信用代码, or, for a natural
person, the 身份证号码.  Both carry a check character; a wrong one is almost always
a typing error, so ``check`` refuses it.

We implement the USCC check ourselves: python-stdnum's ``stdnum.cn.uscc`` requires
the first 8 characters to be digits, but GB 32100 allows a letter in position 1
(登记管理部门代码, e.g. ``A`` or ``N`` or ``Y``) and position 2 (机构类别代码).
Codes must be upper case as issued: lower case is reported, not silently fixed.
"""

from __future__ import annotations

import datetime as dt

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I O Z S V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_INDEX = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_SET = frozenset(USCC_ALPHABET)
# per position: character -> value × weight (one dict lookup per character, no multiply)
_USCC_TERMS = [{c: i * w for i, c in enumerate(USCC_ALPHABET)} for w in USCC_WEIGHTS]
_DIGITS = frozenset("0123456789")

ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are ``first17``."""
    total = sum(map(dict.__getitem__, _USCC_TERMS, first17[:17]))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_for_serial(serial: int, head: str = "91411502MA") -> str:
    """A valid USCC: ``head`` (10 characters), ``serial`` in base 31 (7 characters, least
    significant first), then the check character.  For synthetic registries: the example
    workspace, tests and benchmarks."""
    body = ""
    for _ in range(7):
        body += USCC_ALPHABET[serial % 31]
        serial //= 31
    first17 = head + body
    return first17 + uscc_check_char(first17)


def id_check_char(first17: str) -> str:
    """The 18th character of a GB 11643 citizen ID number."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def uscc_problem(s: str) -> str | None:
    """None when ``s`` is a valid USCC, else a problem code of the catalogue."""
    if len(s) != 18:
        return "uscc_length"
    if s != s.upper():
        return "uscc_lowercase"
    if not _USCC_SET.issuperset(s):
        return "uscc_charset"
    if not _DIGITS.issuperset(s[2:8]):
        return "uscc_format"
    if uscc_check_char(s[:17]) != s[17]:
        return "uscc_check"
    return None


def is_uscc(s: str) -> bool:
    return isinstance(s, str) and uscc_problem(s) is None


def id_card_problem(s: str) -> str | None:
    """None when ``s`` is a valid 18-character GB 11643 ID number, else a problem code."""
    if len(s) != 18:
        return "id_card_length"
    if s[17] == "x":
        return "id_card_lowercase"
    if not (s[:17].isascii() and s[:17].isdigit()) or s[17] not in "0123456789X":
        return "id_card_format"
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return "id_card_birthdate"
    if id_check_char(s[:17]) != s[17]:
        return "id_card_check"
    return None


def is_id_card_number(s: str) -> bool:
    return isinstance(s, str) and looks_like_id_card(s) and id_card_problem(s) is None


def looks_like_id_card(s: str) -> bool:
    """18 characters, the first 17 digits, and a real birth date (1900–2099) in 7–14.

    Such a value is judged as a GB 11643 ID number only: an all-digit code could
    pass the GB 32100 check by chance (1 in 31), which must not excuse a
    mistyped ID number.
    """
    if len(s) != 18 or not _DIGITS.issuperset(s[:17]) or s[17] not in "0123456789Xx":
        return False
    y, m, d = int(s[6:10]), int(s[10:12]), int(s[12:14])
    if not 1900 <= y <= 2099:
        return False
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def regno_check_digit(first14: str) -> str:
    """The 15th digit of a 工商注册号 (GB/T 17710, ISO 7064 MOD 11,10) whose first 14 digits are given.

    >>> regno_check_digit("41150200000001")
    '0'
    >>> regno_check_digit("11010800000000")
    '8'
    """
    p = 10
    for c in first14:
        s = (p + int(c)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def regno_problem(s: str) -> str | None:
    """None when ``s`` is a valid 15-digit 注册号 (registration number issued before the USCC).

    >>> regno_problem("411502000000010"), regno_problem("411502000000011")
    (None, 'regno_check')
    >>> regno_problem("41150200000001")
    'regno_length'
    """
    if len(s) != 15:
        return "regno_length"
    if not (s.isascii() and s.isdigit()):
        return "regno_format"
    if regno_check_digit(s[:14]) != s[14]:
        return "regno_check"
    return None


def is_regno(s: str) -> bool:
    return isinstance(s, str) and regno_problem(s) is None


def check_object_id(s: str) -> str | None:
    """None when ``s`` is a valid object id, else a problem code.

    A USCC; for a natural person the ID number; where the object has no USCC yet (the
    national record is keyed by USCC or 注册号), the 15-digit 注册号.
    """
    if looks_like_id_card(s):
        return id_card_problem(s)
    if len(s) == 15 and s.isascii() and s.isdigit():
        return regno_problem(s)
    return uscc_problem(s)


def mask_id_card(s: str) -> str:
    """``411502199001010010`` → ``411502********0010`` (publication never shows the full number)."""
    if len(s) != 18:
        return s[:2] + "*" * max(len(s) - 4, 0) + s[-2:] if len(s) > 4 else "*" * len(s)
    return s[:6] + "*" * 8 + s[14:]
