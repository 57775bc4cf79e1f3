"""The language of a localized Word release: `w:lang`, right-to-left layout, fonts for the script.

Word reads the language of a run from three attributes of `w:lang`: `w:val` for Latin text,
`w:eastAsia` for Chinese, Japanese and Korean, `w:bidi` for Arabic, Hebrew and other
right-to-left scripts. A Korean release keeps `w:val` (the Latin words in it) and sets
`w:eastAsia="ko-KR"`, as Korean Word does; an Arabic one sets `w:bidi="ar-SA"`, marks its
translated paragraphs `w:bidi` and runs `w:rtl`, the tables holding them `w:bidiVisual`
(first column on the right), the separator lines above footnotes and endnotes, and its
sections right-to-left. This is
set in the document defaults (styles.xml) and on every run locpress writes; runs left in
English keep their own language.

Alignment is left as it is: Word reads `w:jc` "left" and "right" of a `w:bidi` paragraph as
start and end (as it does "start" and "end"), so the English body text aligned left is
aligned right in Arabic and a right-aligned line (a date, a signature) moves to the left: the
page is mirrored, as an Arabic reader expects. Swapping them would undo that. LibreOffice
renders it the same way (tests/test_docx_real.py measures it on a PDF).

Where the source names a font for Latin text (`w:ascii`) and none for the target's script
(no `w:eastAsia`/`w:cs` and no theme font for it), the locale's default font (`FONTS`) is
named in that slot, so the text does not fall back to whatever font the reader's machine
picks. A slot that names a font with no glyphs for the script (English templates often say
`w:eastAsia="Times New Roman"`: Hangul set in it falls back glyph by glyph) gets the
locale's font too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from lxml import etree

from locpress.errors import SourceError
from locpress.formats.docx_inline import PPR, RPR, q
from locpress.formats.docx_package import Package, parse_xml, serialize
from locpress.formats.docx_runs import PPR_ORDER, RPR_ORDER, SECT_ORDER, child


class Walk(Protocol):
    """What this module needs of a document read by `docx.read` (its `Walk`)."""

    package: Package
    parts: dict[str, etree._Element]
    main: str

#: Language tag Word writes for a locale (the language's usual country otherwise).
TAGS = {"ko": "ko-KR", "ja": "ja-JP", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN", "ar": "ar-SA",
        "he": "he-IL", "fa": "fa-IR", "ur": "ur-PK", "en": "en-US", "es": "es-ES", "fr": "fr-FR", "de": "de-DE",
        "ru": "ru-RU", "pt": "pt-PT", "pt_BR": "pt-BR", "it": "it-IT", "uk": "uk-UA", "tr": "tr-TR"}
EAST_ASIAN = frozenset({"ko", "ja", "zh"})
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv"})
#: The font named for the target script where the source names only a Latin one.
FONTS = {"ko": "Malgun Gothic", "ja": "Yu Gothic", "zh_Hans": "Microsoft YaHei", "zh": "Microsoft YaHei",
         "zh_Hant": "Microsoft JhengHei", "ar": "Arial", "he": "Arial", "fa": "Arial", "ur": "Arial"}


#: Fonts with no glyphs for a script, by `w:rFonts` slot: named there, the script's text would
#: fall back glyph by glyph. The common Latin faces of Windows, macOS and Office templates.
_LATIN_ONLY = frozenset({"times new roman", "arial", "calibri", "calibri light", "cambria", "georgia", "verdana",
                         "helvetica", "helvetica neue", "garamond", "aptos", "segoe ui", "courier new", "tahoma",
                         "trebuchet ms", "century gothic", "book antiqua", "palatino linotype", "liberation serif",
                         "liberation sans", "dejavu sans", "dejavu serif", "open sans", "roboto", "lato"})
NO_GLYPHS = {"eastAsia": _LATIN_ONLY,
             # Arial, Times New Roman, Tahoma, Segoe UI, Courier New and DejaVu carry Arabic and Hebrew
             "cs": _LATIN_ONLY - {"arial", "times new roman", "tahoma", "segoe ui", "courier new", "dejavu sans",
                                  "dejavu serif"}}


def tag(locale: str) -> str:
    if locale in TAGS:
        return TAGS[locale]
    language, _, region = locale.partition("_")
    return f"{language}-{region}" if region else TAGS.get(language, language)


def _slot(locale: str) -> str:
    """Which attribute of `w:lang` (and `w:rFonts`) the locale's script uses."""
    language = locale.split("_")[0]
    if language in EAST_ASIAN:
        return "eastAsia"
    if language in RIGHT_TO_LEFT:
        return "bidi"
    return "val"


def _font(locale: str) -> str | None:
    return FONTS.get(locale) or FONTS.get(locale.split("_")[0])


def set_run(rpr: etree._Element, locale: str) -> None:
    """A run locpress wrote: its language, its script's font, right-to-left for RTL scripts."""
    slot = _slot(locale)
    lang = child(rpr, q("lang"), RPR_ORDER)
    lang.set(q(slot), tag(locale))
    fonts = rpr.find(q("rFonts"))
    if fonts is not None:
        _fill_font(fonts, locale)
    if slot == "bidi":
        child(rpr, q("rtl"), RPR_ORDER)


def _fill_font(fonts: etree._Element, locale: str) -> bool:
    font = _font(locale)
    slot = "cs" if _slot(locale) == "bidi" else "eastAsia" if _slot(locale) == "eastAsia" else None
    if font is None or slot is None or fonts.get(q("ascii")) is None:
        return False
    named = fonts.get(q(slot))
    if named is not None and named.strip().lower() not in NO_GLYPHS[slot]:
        return False
    if named is None and fonts.get(q(f"{slot}Theme" if slot == "eastAsia" else "cstheme")):
        return False
    fonts.set(q(slot), font)
    return True


def apply(walk: Walk, locale: str, runs: Sequence[etree._Element], paragraphs: Sequence[etree._Element]) -> set[str]:
    """Set the language everywhere it belongs; return the parts changed besides the text's."""
    for rpr in runs:
        set_run(rpr, locale)
    rtl = _slot(locale) == "bidi"
    if rtl:
        for p in paragraphs:
            ppr = p.find(PPR)
            if ppr is None:
                ppr = etree.Element(PPR)
                p.insert(0, ppr)
            child(ppr, q("bidi"), PPR_ORDER)
            for table in p.iterancestors(q("tbl")):
                tblpr = table.find(q("tblPr"))
                if tblpr is None:
                    tblpr = etree.Element(q("tblPr"))
                    table.insert(0, tblpr)
                child(tblpr, q("bidiVisual"), TBLPR_ORDER)
    changed = set()
    name = _styles_part(walk)
    if name and walk.package.has(name):
        data = walk.package.read(name)
        new = localized_styles(data, locale, walk.package.path, name)
        if new != data:
            walk.package.changed[name] = new
    if rtl and paragraphs:
        # the line above the notes sits where its paragraph starts: on the right, with the notes
        for name, root in walk.parts.items():
            for note in root.iter(q("footnote"), q("endnote")):
                if note.get(q("type")) in ("separator", "continuationSeparator"):
                    for p in note.iter(q("p")):
                        ppr = p.find(PPR)
                        if ppr is None:
                            ppr = etree.Element(PPR)
                            p.insert(0, ppr)
                        child(ppr, q("bidi"), PPR_ORDER)
                        changed.add(name)
    if rtl:
        main = walk.parts[walk.main]
        for section in main.iter(q("sectPr")):
            child(section, q("bidi"), SECT_ORDER)
            changed.add(walk.main)
    return changed


TBLPR_ORDER = [q(t) for t in (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
    "tblDescription", "tblPrChange")]


def _styles_part(walk: Walk) -> str:
    main = walk.main
    return next((walk.package.target(main, t) for k, t, ext in walk.package.relationships(main).values()
                 if k.endswith("/styles") and not ext), "")


def localized_styles(data: bytes, locale: str, path: str, name: str) -> bytes:
    """styles.xml with the document defaults' language and script fonts where styles name a
    Latin one (a press office's releases share one template: each is done once per locale,
    whatever the document's name)."""
    try:
        return _localized_styles(data, locale, name)
    except SourceError as exc:
        raise SourceError(exc.message, path, exc.line) from None


@lru_cache(maxsize=32)
def _localized_styles(data: bytes, locale: str, name: str) -> bytes:
    root = parse_xml(data, "", name)
    defaults = root.find(q("docDefaults"))
    rpr_default = defaults.find(q("rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(RPR) if rpr_default is not None else None
    lang = rpr.find(q("lang")) if rpr is not None else None
    changed = lang is None or lang.get(q(_slot(locale))) != tag(locale)
    if changed:
        defaults = child(root, q("docDefaults"), [q("docDefaults"), q("latentStyles"), q("style")])
        rpr_default = child(defaults, q("rPrDefault"), [q("rPrDefault"), q("pPrDefault")])
        rpr = child(rpr_default, RPR, [RPR])
        child(rpr, q("lang"), RPR_ORDER).set(q(_slot(locale)), tag(locale))
    for fonts in root.iter(q("rFonts")):
        changed = _fill_font(fonts, locale) or changed
    return serialize(root) if changed else data
