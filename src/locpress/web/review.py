"""The review sheet: one release in one locale as a bilingual HTML table for reviewers.

Reviewers who do not use a PO editor read it in a browser: source and translation side by
side, each entry's state, where its translation came from (`#. locpress: ...`), what the
checks found, and for a fuzzy entry what changed in the English since it was translated.
The page is static and self-contained (no script, no network), and every piece of catalog
text is escaped, so a translation can never inject markup into it.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel import Locale

from locpress.findings import ERROR, WARNING, Finding, counted
from locpress.gettext.catalog import Catalog, Message, stats
from locpress.qa.checks import provenance

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
_STYLE = """
body{font-family:system-ui,"Noto Sans","Noto Sans CJK KR","Noto Sans CJK SC","Noto Naskh Arabic",sans-serif;
margin:1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.4rem;margin:0 0 .3rem}
.path{color:#555;margin:0 0 1rem;font-family:ui-monospace,monospace}
dl.summary{display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;margin:0 0 1rem}
dl.summary div{display:flex;gap:.4rem}dl.summary dt{font-weight:600}dl.summary dd{margin:0}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #c8c8c8;padding:.4rem .55rem;vertical-align:top;text-align:start}
th{background:#f2f2f2}col.line{width:4rem}col.text{width:33%}col.state{width:7rem}
td.text{white-space:pre-wrap;overflow-wrap:anywhere}
tr.reviewed td.state{background:#d7eddf}tr.fuzzy td.state{background:#fff0c2}
tr.untranslated td.state{background:#f9d6d9}tr.untranslated td.target{color:#777;font-style:italic}
ul{margin:.2rem 0;padding-inline-start:1.1rem}.error{color:#a30010}.warning{color:#7a4a00}
.note{color:#555;font-size:.92em;margin:.15rem 0}
del{background:#ffd5d2;text-decoration:line-through}ins{background:#c9f2d1;text-decoration:none}
@media print{body{margin:0}tr{break-inside:avoid}}
"""


@dataclass(frozen=True)
class Sheet:
    """What one review page shows."""

    locale: str
    release: str
    path: str
    catalog: Catalog
    findings: tuple[Finding, ...] = ()
    source_locale: str = "en"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def lang_tag(locale: str) -> str:
    """BCP 47 for the `lang` attribute: `zh_Hans` -> `zh-Hans`."""
    return locale.replace("_", "-")


def _language(locale: str) -> str:
    try:
        return Locale.parse(locale).english_name or locale
    except (ValueError, TypeError):
        return locale


def _direction(locale: str) -> str:
    try:
        return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"
    except (ValueError, TypeError):
        return "ltr"


def render(sheet: Sheet) -> str:
    """The whole page, deterministic (no dates), so an unchanged catalog rewrites nothing."""
    title = f"Review: {sheet.release} — {_language(sheet.locale)} ({sheet.locale})"
    by_line: dict[int, list[Finding]] = {}
    for finding in sheet.findings:
        if finding.msgid is not None:
            by_line.setdefault(finding.line, []).append(finding)
    rows = "\n".join(_row(message, sheet, by_line.get(message.lineno, []))
                     for message in sheet.catalog.messages if not message.obsolete)
    return (f'<!DOCTYPE html>\n<html lang="{lang_tag(sheet.source_locale)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="locpress">\n<title>{_e(title)}</title>\n'
            f"<style>{_STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{_e(title)}</h1>\n"
            f'<p class="path">{_e(sheet.path)}</p>\n{_summary(sheet)}\n</header>\n<main>\n'
            f'<table>\n<colgroup><col class="line"><col class="text"><col class="text"><col class="state"><col>'
            f"</colgroup>\n<thead><tr><th>Line</th><th>{_e(_language(sheet.source_locale))}</th>"
            f"<th>{_e(_language(sheet.locale))}</th><th>State</th><th>Notes and findings</th></tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</main>\n</body>\n</html>\n")


def _summary(sheet: Sheet) -> str:
    counts = stats(sheet.catalog)
    percent = 100.0 * counts.reviewed / counts.total if counts.total else 100.0
    severities = Counter(f.severity for f in sheet.findings)
    items = [("Entries", str(counts.total)), ("Reviewed", f"{counts.reviewed} ({percent:.1f}%)"),
             ("Fuzzy", str(counts.fuzzy)), ("Untranslated", str(counts.untranslated)),
             ("Words", str(counts.words)),
             ("Findings", f"{counted(severities[ERROR], 'error')}, {counted(severities[WARNING], 'warning')}")]
    listed = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in items)
    by_check = Counter(f.check for f in sheet.findings)
    checks = ", ".join(f"{name} {count}" for name, count in sorted(by_check.items()))
    catalog_level = [f for f in sheet.findings if f.msgid is None]
    extra = f'<p class="note">Findings by check: {_e(checks)}</p>' if checks else ""
    if catalog_level:
        extra += _findings(catalog_level)
    return f'<dl class="summary">{listed}</dl>{extra}'


def _state(message: Message) -> str:
    if message.reviewed:
        return "reviewed"
    if message.untranslated:
        return "untranslated"
    return "fuzzy" if "fuzzy" in message.flags else "incomplete"


def _row(message: Message, sheet: Sheet, findings: Sequence[Finding]) -> str:
    state = _state(message)
    line = message.lineno
    source = message.msgid if message.msgid_plural is None else f"{message.msgid}\n—\n{message.msgid_plural}"
    if message.msgid_plural is None:
        target = message.msgstr
    else:
        target = "\n".join(f"[{i}] {text}" for i, text in sorted(message.msgstr_plural.items()))
    shown_target = target if target.strip() else "(not translated)"
    return (f'<tr id="L{line}" class="{state}"><td><a href="#L{line}">{line}</a></td>'
            f'<td class="text source" lang="{lang_tag(sheet.source_locale)}">{_e(source)}</td>'
            f'<td class="text target" lang="{lang_tag(sheet.locale)}" dir="{_direction(sheet.locale)}">'
            f'{_e(shown_target)}</td><td class="state">{state}</td><td>{_notes(message, findings)}</td></tr>')


def _notes(message: Message, findings: Sequence[Finding]) -> str:
    parts = []
    if message.msgctxt:
        parts.append(f'<p class="note">Context: {_e(message.msgctxt)}</p>')
    kinds = [c for c in message.auto_comments if not c.startswith("locpress:") and not c.startswith("glossary:")]
    if kinds:
        parts.append(f'<p class="note">{_e(", ".join(kinds))}</p>')
    parts.extend(f'<p class="note">From: {_e(origin)}</p>' for origin in provenance(message))
    parts.extend(f'<p class="note">Glossary: {_e(c[len("glossary:"):].strip())}</p>' for c in message.auto_comments
                 if c.startswith("glossary:"))
    parts.extend(f'<p class="note">Translator: {_e(comment)}</p>' for comment in message.translator_comments)
    if findings:
        parts.append(_findings(findings))
    if "fuzzy" in message.flags and message.previous_msgid is not None:
        parts.append(f'<p class="note">English changed: {diff(message.previous_msgid, message.msgid)}</p>')
    return "".join(parts)


def _findings(findings: Iterable[Finding]) -> str:
    items = "".join(f'<li class="{f.severity}">{_e(f.severity)} [{_e(f.check)}] {_e(f.message)}</li>'
                    for f in findings)
    return f'<ul class="findings">{items}</ul>'


def diff(before: str, after: str) -> str:
    """A word-level diff as escaped HTML: removed words in <del>, added words in <ins>."""
    old, new = _TOKEN_RE.findall(before), _TOKEN_RE.findall(after)
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_e("".join(old[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{_e(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{_e(''.join(new[b1:b2]))}</ins>")
    return "".join(out)
