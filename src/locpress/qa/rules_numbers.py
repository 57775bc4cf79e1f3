"""Entry checks on figures: phone numbers, numbers and dates kept, in any of the ways the
target locale writes them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from locpress.formats import numbers
from locpress.qa.context import Context, Pair


def _digits_only(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdigit())


def phones(pair: Pair, ctx: Context) -> Iterator[str]:
    """Phone numbers kept (any spacing)"""
    if not pair.source.phones:
        return
    target_digits = _digits_only(pair.target.prose)
    for phone in pair.source.phones:
        if _digits_only(phone) not in target_digits:
            yield f'phone number "{phone}" is not in the translation'


def numbers_kept(pair: Pair, ctx: Context) -> Iterator[str]:
    """Numbers kept, written in any of the locale's ways (1 234,5; 2억; 1,2 млрд)"""
    figures = pair.source.figures
    if not figures:
        return
    target = pair.target.plain
    for figure in figures:
        if numbers.verbatim(figure, target):
            continue
        if not pair.reader.written(figure, target, pair.target_values):
            yield f'number "{figure.text}" is not in the translation{_number_hint(pair, ctx)}'


def _number_hint(pair: Pair, ctx: Context) -> str:
    """The translation's own figures that match nothing in the source: likely the changed ones."""
    wanted: set[Decimal] = set()
    for figure in pair.source.figures:
        wanted |= figure.values
    for date in pair.source.dates:
        wanted |= {Decimal(n) for n in (date.day, date.month, date.year) if n}
    stray = [r.text for r in ctx.rules.numbers.readings(pair.target.plain) if not r.values & wanted]
    return f" (it has {', '.join(dict.fromkeys(stray[:3]))})" if stray else ""


def dates(pair: Pair, ctx: Context) -> Iterator[str]:
    """Dates kept: day, month and year (1 November 2023 = 2023년 11월 1일)"""
    for date in pair.source.dates:
        if ctx.rules.numbers.written_date(date, pair.target.plain):
            continue  # as the locale writes it (the common case)
        if not numbers.date_kept(date, ctx.rules.numbers, pair.target.plain, pair.target_values):
            example = ctx.rules.numbers.example(date)
            yield f'date "{date.text}" is not in the translation' + (f' ({ctx.rules.name}: "{example}")'
                                                                      if example else "")
