"""发文字号 normalisation and 索引号 generation."""
import pytest

from portal.core.numbers import (
    format_index_number,
    looks_like_doc_number,
    looks_like_index_number,
    normalize_doc_number,
)


@pytest.mark.parametrize("typed", [
    "石办〔2020〕34号", "石办[2020]34号", "石办【2020】34号", "石办(2020)34号", "石办（2020）34号",
    "石办〔2020〕第34号", "石办〔2020〕034号", "石办［2020］第034号", " 石办 〔２０２０〕３４号 ",
])
def test_mistyped_doc_numbers_normalise_to_hexagonal_brackets(typed):
    assert normalize_doc_number(typed) == "石办〔2020〕34号"


def test_doc_number_without_hao_gets_it():
    assert normalize_doc_number("普府办发〔2021〕7") == "普府办发〔2021〕7号"


def test_text_that_is_not_a_doc_number_is_kept():
    assert normalize_doc_number("无文号") == "无文号"
    assert not looks_like_doc_number("加装电梯")


@pytest.mark.parametrize("typed", ["石办〔2020〕" + "1" * 5000 + "号", "石办〔٢٠٢٠〕٣号"])
def test_text_shaped_like_a_doc_number_but_not_one_is_kept_as_typed(typed):
    # A 5,000-digit serial crashed int() (over its 4,300-digit limit): the entry form answered 500.
    assert normalize_doc_number(typed) == typed and not looks_like_doc_number(typed)


def test_empty_doc_number_is_empty():
    assert normalize_doc_number(None) == "" and normalize_doc_number("  ") == ""


def test_index_number_follows_the_office_pattern():
    assert format_index_number("{org_code}/{year}-{seq:05d}", org_code="000014349", year=2017, seq=110) \
        == "000014349/2017-00110"


def test_index_number_shapes_are_recognised():
    assert looks_like_index_number("000014349/2017-00110")
    assert looks_like_index_number("11310107MB2F12345X/2026-00001")
    assert not looks_like_index_number("2017-00110")
