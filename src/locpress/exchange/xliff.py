"""XLIFF 1.2: a release's catalog for translators who work in Trados, memoQ, Phrase, Okapi or
Translate Toolkit, and back.

**Export.** One `<file>` per release and locale; `original` is the release name, so an
import finds its catalog. What is written validates against the official strict and
transitional XLIFF 1.2 schemas: context groups carry no `name` (the schema wants a name
unique within a `<file>`, so Translate Toolkit's `po-reference`/`po-entry` names, repeated on
every unit, are invalid). Each unit carries `<note from="locpress">` with the fingerprint of
the entry as exported, so an import can tell newer work in the catalog from the
translator's.

| catalog | XLIFF |
|---|---|
| reviewed | `approved="yes"`, `<target state="final">` |
| fuzzy | `<target state="needs-review-translation">` |
| empty | `<target state="new"/>` |

**Import.** Any XLIFF 1.x: the standard states, and the states of the tools that keep
their own (`sdl:seg conf` of Trados' `.sdlxliff`, `mq:status` of memoQ, `m:confirmed` of
Phrase). Only a reviewer's sign-off publishes: `approved="yes"`, `final`, `signed-off`,
Trados' `ApprovedTranslation`/`ApprovedSignOff` and memoQ's reviewer confirmations mean
reviewed; any other target means fuzzy. Segments (`<mrk mtype="seg">`) are joined; header
units (Translate Toolkit's gettext header) and `translate="no"` units are skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from locpress import __version__
from locpress.exchange.tmx import (
    ExchangeError,
    bcp47,
    escape,
    local,
    parse_xml,
    text_of,
    writable,
)
from locpress.gettext.catalog import Catalog, Message

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
SDL = "{http://sdl.com/FileTypes/SdlXliff/1.0}"
MEMOQ = "{MQXliff}"
PHRASE = "{http://www.memsource.com/mxlf/2.0}"
REVIEWED_STATES = frozenset({"final", "signed-off"})
SDL_REVIEWED = frozenset({"ApprovedTranslation", "ApprovedSignOff"})
MEMOQ_REVIEWED = frozenset({"Reviewer1Confirmed", "Reviewer2Confirmed", "Proofread"})
HEADER_RESTYPES = frozenset({"x-gettext-domain-header"})
REVIEWED, FUZZY, EMPTY = "reviewed", "fuzzy", "empty"
_STATE_OUT = {REVIEWED: "final", FUZZY: "needs-review-translation", EMPTY: "new"}
#: `<note from="locpress">` text: the fingerprint of the entry as exported.
FINGERPRINT = "locpress fingerprint "
TRANSLATOR_NOTES = frozenset({"translator", "po-translator"})
#: The comment an entry taken from an XLIFF gets (with the file's name in the project).
PROVENANCE = "locpress: xliff from "


# --- fingerprints ---------------------------------------------------------------------------

def fingerprint(msgctxt: str | None, msgid: str, msgstr: str, now: str) -> str:
    """A short digest of an entry's key, translation and state."""
    data = json.dumps([msgctxt, msgid, msgstr, now], ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def state(message: Message) -> str:
    """The catalog state of an entry: reviewed, fuzzy or empty."""
    if message.reviewed:
        return REVIEWED
    return EMPTY if message.untranslated else FUZZY


def entry_fingerprint(message: Message) -> str:
    return fingerprint(message.msgctxt, message.msgid, message.msgstr, state(message))


# --- export ---------------------------------------------------------------------------------

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
        out.append('        <context-group purpose="information">'
                   f'<context context-type="x-po-msgctxt">{escape(message.msgctxt)}</context></context-group>')
    for reference in message.references:
        path, _colon, line = reference.rpartition(":")
        if not path or not line.isdigit():
            path, line = reference, ""
        lineno = f'<context context-type="linenumber">{line}</context>' if line else ""
        out.append('        <context-group purpose="location">'
                   f'<context context-type="sourcefile">{escape(path)}</context>{lineno}</context-group>')
    out += [f'        <note from="developer">{escape(c)}</note>' for c in message.auto_comments]
    out += [f'        <note from="translator">{escape(c)}</note>' for c in message.translator_comments]
    out.append(f'        <note from="locpress" priority="10">{FINGERPRINT}{entry_fingerprint(message)}</note>')
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
    fingerprint: str | None = None  # the entry as locpress exported it; None from elsewhere
    parts: tuple[XliffUnit, ...] = ()  # its segments (`<seg-source>` marks), when it has several

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.source)


@dataclass
class XliffFile:
    """One `<file>`: a release (or a document of another tool) in one language."""

    original: str
    source_language: str
    target_language: str
    units: list[XliffUnit] = field(default_factory=list)


def read_xliff(data: bytes, path: str) -> list[XliffFile]:
    """The files of an XLIFF 1.x document (read with defusedxml)."""
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
        if not found.target_language:  # some tools give the language on the targets only
            found.target_language = next((t.get(XML_LANG, "") for t in element.iter()
                                          if local(t.tag) == "target" and t.get(XML_LANG)), "")
        files.append(found)
    return files


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _units(parent: Element) -> list[XliffUnit]:
    """Trans-units, also inside groups (a group of gettext plural forms is skipped)."""
    found = []
    for element in parent:
        name = local(element.tag)
        if name == "group" and element.get("restype") != "x-gettext-plurals":
            found.extend(_units(element))
        elif name == "trans-unit" and element.get("restype") not in HEADER_RESTYPES \
                and element.get("translate") != "no":
            found.append(_unit_of(element))
    return found


def _unit_of(element: Element) -> XliffUnit:
    children = list(element)
    source = next((e for e in children if local(e.tag) == "source"), None)
    target = next((e for e in children if local(e.tag) == "target"), None)
    text = text_of(target) if target is not None else None
    notes = tuple(line for e in children if local(e.tag) == "note" and e.get("from") in TRANSLATOR_NOTES
                  for line in text_of(e).split("\n"))
    prints = [text_of(e)[len(FINGERPRINT):].strip() for e in children
              if local(e.tag) == "note" and e.get("from") == "locpress" and text_of(e).startswith(FINGERPRINT)]
    context = _msgctxt(children)
    return XliffUnit(text_of(source) if source is not None else "", text, _state_of(element, target, text),
                     context, notes, prints[0] if prints else None, _segments(element, children, target, context))


def _segments(element: Element, children: Sequence[Element], target: Element | None,
              context: str | None) -> tuple[XliffUnit, ...]:
    """The sentences of a unit its tool segmented: `<mrk mtype="seg" mid>` in `<seg-source>`
    and the target's marks with the same `mid`."""
    seg_source = next((e for e in children if local(e.tag) == "seg-source"), None)
    if seg_source is None:
        return ()
    sources = [(m.get("mid", ""), text_of(m)) for m in seg_source.iter() if _is_segment(m)]
    if len(sources) < 2:
        return ()
    targets = {m.get("mid", ""): text_of(m) for m in (target.iter() if target is not None else ()) if _is_segment(m)}
    parts = []
    for mid, text in sources:
        translated = targets.get(mid)
        parts.append(XliffUnit(text, translated, _state_of(element, target, translated, mid), context, ()))
    return tuple(parts)


def _is_segment(element: Element) -> bool:
    return local(element.tag) == "mrk" and element.get("mtype") == "seg"


def _state_of(element: Element, target: Element | None, text: str | None, mid: str | None = None) -> str:
    """Reviewed, fuzzy or empty, from the standard attributes or the tool's own (for one
    segment, `mid`, where the tool says per segment)."""
    if not text:
        return EMPTY
    xml_state = target.get("state", "") if target is not None else ""
    if element.get("approved") == "yes" or xml_state in REVIEWED_STATES:
        return REVIEWED
    confirmations = [seg.get("conf", "") for seg in element.iter(f"{SDL}seg") if mid is None or seg.get("id") == mid]
    if confirmations and all(conf in SDL_REVIEWED for conf in confirmations):
        return REVIEWED
    if element.get(f"{MEMOQ}status", "") in MEMOQ_REVIEWED:
        return REVIEWED
    return FUZZY


def _msgctxt(children: Sequence[Element]) -> str | None:
    for group in children:
        if local(group.tag) == "context-group":
            for context in group:
                if context.get("context-type") == "x-po-msgctxt":
                    return text_of(context)
    return None


# --- applying units to a catalog ------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    """A unit not taken: the catalog holds work the XLIFF does not know about."""

    msgid: str
    ours: str
    theirs: str
    why: str


CHANGED_SINCE = "the catalog entry changed since the export"
REVIEWED_ENTRY = "the catalog entry is reviewed and the XLIFF is not from a locpress export"


@dataclass
class Imported:
    """What an import did to one catalog."""

    changed: int = 0
    unchanged: int = 0
    downgraded: list[str] = field(default_factory=list)  # reviewed before, not any more
    kept: list[str] = field(default_factory=list)  # an empty target over a translation
    missing: list[str] = field(default_factory=list)  # no such entry (the source changed)
    conflicts: list[Conflict] = field(default_factory=list)
    overwritten: list[Conflict] = field(default_factory=list)  # conflicts taken with --overwrite-reviewed


class Entries:
    """A catalog's live singular entries, found by msgctxt and source text."""

    def __init__(self, catalog: Catalog) -> None:
        self.keys = {m.key: m for m in catalog.messages if not m.obsolete and m.msgid_plural is None}
        self.by_msgid: dict[str, list[Message]] = {}
        for message in self.keys.values():
            self.by_msgid.setdefault(message.msgid, []).append(message)

    def resolve(self, unit: XliffUnit) -> list[tuple[XliffUnit, Message | None]]:
        """The unit and its entry; for a unit with segments and no entry of its own (a CAT
        tool's paragraph split into sentences), each segment and its entry."""
        entry = self.find(unit)
        if entry is None and unit.parts:
            return [(part, self.find(part)) for part in unit.parts]
        return [(unit, entry)]

    def find(self, unit: XliffUnit) -> Message | None:
        """The entry of a unit: its msgctxt and source; a tool that dropped the context (as
        Translate Toolkit's po2xliff does) matches the one entry with that source."""
        entry = self.keys.get(unit.key)
        if entry is None and unit.msgctxt is None:
            same = self.by_msgid.get(unit.source, [])
            entry = same[0] if len(same) == 1 else None
        return entry


def apply(catalog: Catalog, units: Sequence[XliffUnit], overwrite_reviewed: bool = False,
          provenance: str = "") -> Imported:
    """Take what the XLIFF changed, never newer work of the catalog.

    A unit exported by locpress carries the entry's fingerprint at export: it changes the
    entry only if the entry is still what was exported (a unit left as exported changes
    nothing); otherwise it is a conflict. A unit from elsewhere may fill empty and fuzzy
    entries; changing a reviewed entry is a conflict. `overwrite_reviewed` takes the XLIFF's
    side of every conflict. A reviewed entry may become fuzzy (a reviewer sent it back), and
    the result says so; an empty target never removes a translation. An entry taken gets
    the `provenance` comment (`locpress: xliff from <file>`).
    """
    entries = Entries(catalog)
    done = Imported()
    for unit, entry in (pair for whole in units for pair in entries.resolve(whole)):
        if entry is None:
            done.missing.append(unit.source)
            continue
        before = state(entry)
        if unit.state == EMPTY:
            if before != EMPTY:
                done.kept.append(entry.msgid)
            done.unchanged += 1
            continue
        # A tool that keeps no sign-off does not take one away: same text, not reviewed, from elsewhere.
        same = unit.target == entry.msgstr and (unit.state == before or (
            unit.fingerprint is None and before == REVIEWED))
        untouched = unit.fingerprint is not None and unit.fingerprint == fingerprint(
            entry.msgctxt, entry.msgid, unit.target or "", unit.state)
        if same or untouched:
            current = unit.fingerprint is None or unit.fingerprint == entry_fingerprint(entry)
            noted = same and current and _take_notes(entry, unit)
            done.changed += noted
            done.unchanged += not noted
            continue
        why = _conflict(entry, unit, before)
        if why:
            conflict = Conflict(entry.msgid, entry.msgstr, unit.target or "", why)
            if not overwrite_reviewed:
                done.conflicts.append(conflict)
                done.unchanged += 1
                continue
            done.overwritten.append(conflict)
        _take(entry, unit, provenance)
        _take_notes(entry, unit)
        done.changed += 1
        if before == REVIEWED and unit.state != REVIEWED:
            done.downgraded.append(entry.msgid)
    return done


def _conflict(entry: Message, unit: XliffUnit, before: str) -> str:
    if unit.fingerprint is not None:
        return "" if unit.fingerprint == entry_fingerprint(entry) else CHANGED_SINCE
    return REVIEWED_ENTRY if before == REVIEWED else ""


def _take(entry: Message, unit: XliffUnit, provenance: str) -> None:
    entry.msgstr = unit.target or ""
    if provenance:
        entry.auto_comments = [c for c in entry.auto_comments if not c.startswith(PROVENANCE)] + [provenance]
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
