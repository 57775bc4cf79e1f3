"""XLIFF 1.2: a release's catalog for translators who work in Trados, memoQ or Phrase.

One `<file>` per release and locale; `original` is the release name, so an import finds
its catalog. States travel both ways:

| catalog | XLIFF |
|---|---|
| reviewed | `approved="yes"`, `<target state="final">` |
| fuzzy | `<target state="needs-review-translation">` |
| empty | `<target state="new"/>` |

On import, `approved="yes"`, `final` and `signed-off` mean reviewed; any other state with
a target (`translated`, `needs-review-*`, `needs-translation`, ...) means fuzzy: only a
reviewer's sign-off publishes a translation. `#.` comments become `<note
from="developer">`, `# ` comments `<note from="translator">`, references and msgctxt the
`context-group`s Translate Toolkit's po2xliff writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from . import __version__
from .catalog import Catalog, Message
from .tmx import ExchangeError, bcp47, escape, local, parse_xml, text_of, writable

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
REVIEWED_STATES = frozenset({"final", "signed-off"})
REVIEWED, FUZZY, EMPTY = "reviewed", "fuzzy", "empty"
_STATE_OUT = {REVIEWED: "final", FUZZY: "needs-review-translation", EMPTY: "new"}


# --- export ---------------------------------------------------------------------------------

def state(message: Message) -> str:
    """The catalog state of an entry: reviewed, fuzzy or empty."""
    if message.reviewed:
        return REVIEWED
    return EMPTY if message.untranslated else FUZZY


def write_xliff(catalog: Catalog, release: str, source_locale: str, locale: str) -> tuple[str, int]:
    """The XLIFF document of a catalog's live singular entries, and how many entries were
    left out (plural entries, and text that XML 1.0 cannot carry)."""
    head = (f'<file original="{escape(release, True)}" source-language="{escape(bcp47(source_locale), True)}" '
            f'target-language="{escape(bcp47(locale), True)}" datatype="po" tool-id="locpress">')
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<xliff version="1.2" xmlns="{NAMESPACE}">', f"  {head}",
             "    <header>",
             f'      <tool tool-id="locpress" tool-name="locpress" tool-version="{__version__}"/>',
             "    </header>", "    <body>"]
    skipped = number = 0
    for message in catalog.messages:
        if message.obsolete:
            continue
        if message.msgid_plural is not None or not _writable(message):
            skipped += 1
            continue
        number += 1
        lines.extend(_unit(message, number))
    lines += ["    </body>", "  </file>", "</xliff>", ""]
    return "\n".join(lines), skipped


def _writable(message: Message) -> bool:
    texts = [message.msgid, message.msgstr, message.msgctxt or "", *message.auto_comments,
             *message.translator_comments, *message.references]
    return all(writable(t) for t in texts)


def _unit(message: Message, number: int) -> list[str]:
    now = state(message)
    approved = ' approved="yes"' if now == REVIEWED else ""
    out = [f'      <trans-unit id="{number}" xml:space="preserve"{approved}>',
           f"        <source>{escape(message.msgid)}</source>",
           f'        <target state="{_STATE_OUT[now]}">{escape(message.msgstr)}</target>']
    if message.msgctxt is not None:
        out.append('        <context-group name="po-entry" purpose="information">'
                   f'<context context-type="x-po-msgctxt">{escape(message.msgctxt)}</context></context-group>')
    for reference in message.references:
        path, _colon, line = reference.rpartition(":")
        if not path or not line.isdigit():
            path, line = reference, ""
        lineno = f'<context context-type="linenumber">{line}</context>' if line else ""
        out.append('        <context-group name="po-reference" purpose="location">'
                   f'<context context-type="sourcefile">{escape(path)}</context>{lineno}</context-group>')
    out += [f'        <note from="developer">{escape(c)}</note>' for c in message.auto_comments]
    out += [f'        <note from="translator">{escape(c)}</note>' for c in message.translator_comments]
    out.append("      </trans-unit>")
    return out


# --- import ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class XliffUnit:
    """What an import takes from a trans-unit."""

    source: str
    target: str | None
    state: str  # reviewed, fuzzy or empty
    msgctxt: str | None
    notes: tuple[str, ...]  # translator notes, one per comment line


@dataclass
class XliffFile:
    """One `<file>`: a release in one language."""

    original: str
    source_language: str
    target_language: str
    units: list[XliffUnit] = field(default_factory=list)


def read_xliff(data: bytes, path: str) -> list[XliffFile]:
    """The files of an XLIFF 1.2 document (read with defusedxml)."""
    root = parse_xml(data, path)
    if local(root.tag) != "xliff":
        raise ExchangeError(f"not an XLIFF file: the root element is <{local(root.tag)}>", path, 1)
    version = root.get("version", "")
    if not version.startswith("1."):
        raise ExchangeError(f"XLIFF {version or '(no version)'} is not read: only XLIFF 1.2", path, 1)
    files = []
    for element in root:
        if local(element.tag) != "file":
            continue
        found = XliffFile(element.get("original", ""), element.get("source-language", ""),
                          element.get("target-language", ""))
        body = next((e for e in element if local(e.tag) == "body"), None)
        if body is not None:
            found.units.extend(_units(body))
        files.append(found)
    return files


def _units(parent: Element) -> list[XliffUnit]:
    """Trans-units, also inside groups (a group of gettext plural forms is skipped)."""
    found = []
    for element in parent:
        name = local(element.tag)
        if name == "group" and element.get("restype") != "x-gettext-plurals":
            found.extend(_units(element))
        elif name == "trans-unit":
            found.append(_unit_of(element))
    return found


def _unit_of(element: Element) -> XliffUnit:
    children = list(element)
    source = next((e for e in children if local(e.tag) == "source"), None)
    target = next((e for e in children if local(e.tag) == "target"), None)
    text = text_of(target) if target is not None else None
    approved = element.get("approved") == "yes"
    xml_state = target.get("state", "") if target is not None else ""
    if not text:
        now = EMPTY
    elif approved or xml_state in REVIEWED_STATES:
        now = REVIEWED
    else:
        now = FUZZY
    notes = tuple(line for e in children if local(e.tag) == "note" and e.get("from") == "translator"
                  for line in text_of(e).split("\n"))
    return XliffUnit(text_of(source) if source is not None else "", text, now, _msgctxt(children), notes)


def _msgctxt(children: Sequence[Element]) -> str | None:
    for group in children:
        if local(group.tag) == "context-group":
            for context in group:
                if context.get("context-type") == "x-po-msgctxt":
                    return text_of(context)
    return None


@dataclass
class Imported:
    """What an import did to one catalog."""

    changed: int = 0
    unchanged: int = 0
    downgraded: list[str] = field(default_factory=list)  # reviewed before, not any more
    kept: list[str] = field(default_factory=list)  # an empty target over a translation
    missing: list[str] = field(default_factory=list)  # no such entry (the source changed)


def apply(catalog: Catalog, units: Sequence[XliffUnit]) -> Imported:
    """Take what the XLIFF changed: a unit whose target or state differs from its entry.

    A reviewed entry may become fuzzy (a reviewer sent it back), and the result says so; an
    empty target never removes a translation.
    """
    entries = {m.key: m for m in catalog.messages if not m.obsolete and m.msgid_plural is None}
    done = Imported()
    for unit in units:
        entry = entries.get((unit.msgctxt, unit.source))
        if entry is None:
            done.missing.append(unit.source)
            continue
        changed = _take_notes(entry, unit)
        before = state(entry)
        if unit.state == EMPTY:
            if before != EMPTY:
                done.kept.append(entry.msgid)
        elif unit.target != entry.msgstr or unit.state != before:
            _take(entry, unit)
            changed = True
            if before == REVIEWED and unit.state != REVIEWED:
                done.downgraded.append(entry.msgid)
        done.changed += changed
        done.unchanged += not changed
    return done


def _take(entry: Message, unit: XliffUnit) -> None:
    entry.msgstr = unit.target or ""
    fuzzy = unit.state != REVIEWED
    entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    if not fuzzy:  # as msgmerge: only a fuzzy entry keeps the previous source
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


def _take_notes(entry: Message, unit: XliffUnit) -> bool:
    """Translator notes replace the entry's `# ` comments when there are some: a tool that
    drops notes must not erase them."""
    notes = list(unit.notes)
    if not notes or notes == entry.translator_comments:
        return False
    entry.translator_comments = notes
    return True
