"""GB 32100-2015 (统一社会信用代码) and GB 11643-1999 (身份证号码) check characters (第八条)."""

from __future__ import annotations

import stdnum.cn.ric
from hypothesis import given, settings
from hypothesis import strategies as st

from shuijie.core.ids import (
    USCC_ALPHABET,
    check_object_id,
    id_card_problem,
    id_check_char,
    is_id_card_number,
    is_uscc,
    mask_id_card,
    uscc_check_char,
    uscc_problem,
)


def _uscc_by_hand(first17: str) -> str:
    """GB 32100-2015 §5: C18 = 31 − MOD(Σ Ci × Wi, 31), value 31 written as 0."""
    weights = [3 ** i % 31 for i in range(17)]  # 1, 3, 9, 27, 19, 26, … as in the standard's table
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights))
    v = 31 - total % 31
    return USCC_ALPHABET[0 if v == 31 else v]


def test_weights_are_powers_of_three_mod_31():
    from shuijie.core.ids import USCC_WEIGHTS

    assert list(USCC_WEIGHTS) == [3 ** i % 31 for i in range(17)]


def test_valid_uscc_computed():
    for first17 in ("91411502MA44XXXX0", "91411500MA40A1B2C", "N2411525MA9K3LPQ0", "Y1411500MB1234567",
                    "12411500MB0000001"):
        code = first17 + _uscc_by_hand(first17)
        assert uscc_check_char(first17) == code[-1]
        assert is_uscc(code), code
        assert check_object_id(code) is None


def test_uscc_starting_with_letter_is_accepted_where_stdnum_is_not():
    import stdnum.cn.uscc

    code = "N2411525MA9K3LPQ0" + _uscc_by_hand("N2411525MA9K3LPQ0")
    assert is_uscc(code)
    assert not stdnum.cn.uscc.is_valid(code)  # why we do not use stdnum's check here


def test_uscc_wrong_check_char():
    first17 = "91411502MA44XXXX0"
    good = first17 + uscc_check_char(first17)
    wrong = first17 + next(c for c in USCC_ALPHABET if c != good[-1])
    assert uscc_problem(wrong) == "uscc_check"
    assert check_object_id(wrong) == "uscc_check"


def test_uscc_lowercase_length_and_forbidden_letters():
    first17 = "91411502MA44XXXX0"
    good = first17 + uscc_check_char(first17)
    assert uscc_problem(good.lower()) == "uscc_lowercase"
    assert uscc_problem(good[:-1]) == "uscc_length"
    assert uscc_problem(good + "1") == "uscc_length"
    for bad in "IOZSV":
        code = "91411502MA44XX" + bad + "X0"
        assert uscc_problem(code + "1") == "uscc_charset", bad
    assert uscc_problem("91ABCDEFMA44XXXX01") == "uscc_format"  # 3–8 must be the area code


def test_id_card_numbers():
    assert id_check_char("11010519491231002") == "X"  # the GB 11643 example number
    assert is_id_card_number("11010519491231002X")
    first17 = "41150219900101001"
    good = first17 + id_check_char(first17)
    assert is_id_card_number(good) and stdnum.cn.ric.calc_check_digit(good) == good[-1]
    assert check_object_id(good) is None
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    assert id_card_problem(wrong) == "id_card_check"
    assert check_object_id(wrong) == "id_card_check"
    assert id_card_problem("11010519491231002x") == "id_card_lowercase"
    assert id_card_problem("41150219901301001" + "0") == "id_card_birthdate"
    assert id_card_problem("4115021990010100") == "id_card_length"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_check_char_agrees_with_stdnum(digits):
    assert id_check_char(digits) == stdnum.cn.ric.calc_check_digit(digits + "0")  # stdnum drops the last char


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.integers(0, 16),
       st.sampled_from(USCC_ALPHABET))
def test_any_single_substitution_is_caught(first17, pos, ch):
    code = first17 + uscc_check_char(first17)
    assert uscc_check_char(first17) == _uscc_by_hand(first17)
    mutated = code[:pos] + ch + code[pos + 1:]
    if ch != code[pos]:
        assert uscc_check_char(mutated[:17]) != mutated[17]


def test_mask_id_card():
    assert mask_id_card("411502199001010010") == "411502********0010"
    assert "19900101" not in mask_id_card("411502199001010010")


def test_digit_value_with_a_birth_date_is_judged_as_id_number():
    # find an all-digit value that passes the GB 32100 check by chance but is a wrong ID number
    for n in range(1000):
        first17 = f"41150219850101{n:03d}"
        c = uscc_check_char(first17)
        if c.isdigit() and c != id_check_char(first17):
            value = first17 + c
            break
    assert is_uscc(value) and not is_id_card_number(value)
    assert check_object_id(value) == "id_card_check"
