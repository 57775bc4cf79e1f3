"""Figures and dates as each locale writes them (Babel's CLDR data)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from locpress.formats import numbers
from locpress.formats.numbers import english_dates, english_figures, for_locale


@pytest.mark.parametrize(("text", "figures"), [
    ("The appeal of USD 12.5 million is 41% funded.", [("12.5 million", {"12500000"}), ("41%", {"41"})]),
    ("1,234.5 people and 200 million more", [("1,234.5", {"1234.5"}), ("200 million", {"200000000"})]),
    ("A USD 41.5m appeal", [("41.5m", {"41.5", "41500000"})]),
    ("Python 3.7.1 and COP28", [("3.7.1", set()), ("28", {"28"})]),
    ("no figures here", []),
])
def test_english_figures(text: str, figures: list[tuple[str, set[str]]]) -> None:
    found = [(f.text, {str(v.normalize()) if v else "0" for v in f.values}) for f in english_figures(text)]
    expected = [(t, {str(Decimal(v).normalize()) for v in values}) for t, values in figures]
    assert found == expected


@pytest.mark.parametrize(("text", "dates"), [
    ("hosted on 1 November 2023 a dialogue", [(11, 1, 2023)]),
    ("(30 November to 12 December)", [(11, 30, None), (12, 12, None)]),
    ("On November 1, 2023 and Nov. 2", [(11, 1, 2023), (11, 2, None)]),
    ("in May 2023", [(5, None, 2023)]),
    ("May I have 5 minutes", []),
])
def test_english_dates(text: str, dates: list[tuple[int, int | None, int | None]]) -> None:
    assert [(d.month, d.day, d.year) for d in english_dates(text)] == dates


@pytest.mark.parametrize(("locale", "text", "value"), [
    ("ko", "2억 명", "200000000"),
    ("ko", "1,250만 달러", "12500000"),
    ("ko", "2억 5천만 달러", "250000000"),
    ("ko", "1만 5000명", "15000"),
    ("zh_Hans", "1250万美元", "12500000"),
    ("zh_Hans", "2亿人", "200000000"),
    ("ja", "3億円", "300000000"),
    ("fr", "1 234,5", "1234.5"),
    ("fr", "1\u202f234,5", "1234.5"),
    ("fr", "2,5 millions", "2500000"),
    ("fr", "1,2 milliard", "1200000000"),
    ("fr", "1,2 Md", "1200000000"),
    ("es", "1.200 millones", "1200000000"),
    ("es", "3 mil millones", "3000000000"),
    ("ru", "1,2 млрд", "1200000000"),
    ("ru", "200 миллионов", "200000000"),
    ("ru", "5 тыс.", "5000"),
    ("ar", "٤١٪", "41"),
    ("ar", "٣٬٠٠٠", "3000"),
    ("ar", "1.2 مليار", "1200000000"),
    ("ar", "12٫5 مليون", "12500000"),
])
def test_locale_readings(locale: str, text: str, value: str) -> None:
    assert Decimal(value) in for_locale(locale).values(text)


@pytest.mark.parametrize(("locale", "text", "value"), [
    ("fr", "1,2 billion", "1200000000"),  # a French billion is 10^12
    ("ko", "2천만 명", "200000000"),
    ("zh_Hans", "125万", "12500000"),
])
def test_no_false_reading(locale: str, text: str, value: str) -> None:
    assert Decimal(value) not in for_locale(locale).values(text)


@pytest.mark.parametrize(("locale", "value", "text", "spelled"), [
    ("ko", 3, "아이 세 명", True), ("ko", 4, "아이 세 명", False), ("zh_Hans", 2, "两个孩子", True),
    ("fr", 3, "trois enfants", True), ("es", 1, "una familia", True), ("ru", 3, "трёх детей", True),
    ("ar", 3, "ثلاثة أطفال", True), ("ko", 3, "three children", True),
])
def test_small_numbers_spelled_out(locale: str, value: int, text: str, spelled: bool) -> None:
    assert for_locale(locale).spelled(value, text) is spelled


@pytest.mark.parametrize(("locale", "text", "kept"), [
    ("ko", "2023년 11월 1일", True), ("zh_Hans", "2023年11月1日", True), ("fr", "1er novembre 2023", True),
    ("ru", "1 ноября 2023 года", True), ("ar", "1 نوفمبر 2023", True), ("es", "1 de noviembre de 2023", True),
    ("ko", "2023년 10월 1일", False), ("fr", "1 novembre 2022", False),
])
def test_dates_kept(locale: str, text: str, kept: bool) -> None:
    [date] = english_dates("on 1 November 2023")
    reader = for_locale(locale)
    assert (reader.written_date(date, text) or numbers.date_kept(date, reader, text, reader.values(text))) is kept


def test_verbatim_needs_whole_numbers() -> None:
    [figure] = english_figures("98,000 people")
    assert numbers.verbatim(figure, "98,000명")
    assert not numbers.verbatim(figure, "198,000명")
    [scaled] = english_figures("12.5 million")
    assert not numbers.verbatim(scaled, "12.5")
