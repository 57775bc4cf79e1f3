"""When the sentence rules change, the reviewed work moves with the sentences.

New segmentation rules change msgids: two old sentences become one ("… Yahoo!. Get
involved" was one entry, is now two), or one old entry is cut in two. A plain msgmerge
would turn the new entries into fuzzy guesses from the most similar old entry, or leave them
empty. Before `update` merges, `carry_over` adds to the old catalog what the new template
needs:

- a new msgid that is consecutive old msgids joined by a space gets their translations
  joined the way the locale joins sentences (a space, or nothing for Chinese and Japanese),
  reviewed when every part was reviewed;
- a new msgid that is one of the consecutive parts of an old msgid gets its share of the old
  translation, cut by the alignment's target-language splitter where it yields one piece per
  part (or fewer pieces, matched by length), fuzzy, with the old English as `#|` previous
  msgid; where the translation cannot be cut, msgmerge's fuzzy match decides as before.

The old entries themselves become obsolete (`#~`) as usual, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from locpress.gettext.catalog import Catalog, Message

#: At most this many old sentences are joined into one new entry, and the other way round.
MOST_PARTS = 6


def carry_over(template: Catalog, old: Catalog | None, joiner: str = " ") -> Catalog | None:
    """`old` with the entries that joined and split sentences need (see the module notes)."""
    if old is None:
        return None
    known = {m.key for m in old.messages}
    wanted = [m for m in template.messages if not m.obsolete and m.msgid_plural is None and m.key not in known]
    if not wanted:
        return old
    live = [m for m in old.messages if not m.obsolete and m.msgid_plural is None and m.translated]
    added = _joined(live, {m.key for m in wanted}, joiner)
    added += _split(live, [m for m in template.messages if not m.obsolete and m.msgid_plural is None],
                    known | {m.key for m in added}, joiner)
    if not added:
        return old
    return Catalog(header=old.header, messages=[*old.messages, *added])


def _joined(live: Sequence[Message], wanted: set[tuple[str | None, str]], joiner: str) -> list[Message]:
    added: list[Message] = []
    for i, first in enumerate(live):
        text = first.msgid
        for j in range(i + 1, min(i + MOST_PARTS, len(live))):
            part = live[j]
            if part.msgctxt != first.msgctxt:
                break
            text = f"{text} {part.msgid}"
            key = (first.msgctxt, text)
            if key in wanted:
                parts = live[i:j + 1]
                fuzzy = any("fuzzy" in p.flags for p in parts)
                added.append(Message(
                    msgid=text, msgctxt=first.msgctxt,
                    msgstr=joiner.join(p.msgstr.strip() for p in parts),
                    flags=["fuzzy"] if fuzzy else [],
                    translator_comments=[c for p in parts for c in p.translator_comments],
                    previous_msgid=" ".join(p.msgid for p in parts) if fuzzy else None,
                ))
                wanted.discard(key)
                break
    return added


def _split(live: Sequence[Message], new: Sequence[Message], known: set[tuple[str | None, str]],
           joiner: str) -> list[Message]:
    """Entries for the parts of old msgids that the template now cuts in two or more."""
    gone = {m.key: m for m in live}
    added: list[Message] = []
    for i, first in enumerate(new):
        if first.key in known:
            continue
        text = first.msgid
        for j in range(i + 1, min(i + MOST_PARTS, len(new))):
            text = f"{text} {new[j].msgid}"
            source = gone.get((first.msgctxt, text))
            if source is None:
                continue
            parts = list(new[i:j + 1])
            pieces = share(source.msgstr, [p.msgid for p in parts], joiner)
            if pieces is not None:
                for part, piece in zip(parts, pieces):
                    if part.key not in known and piece:
                        added.append(Message(msgid=part.msgid, msgctxt=part.msgctxt, msgstr=piece, flags=["fuzzy"],
                                             previous_msgid=source.msgid))
                        known.add(part.key)
            break
    return added


def share(translation: str, parts: Sequence[str], joiner: str = " ") -> list[str] | None:
    """The translation cut into one piece per English part, or None when it cannot be."""
    from locpress.stages.align import (  # only when a split happened: align is heavy
        gale_church,
        split_target,
    )
    spans = split_target(translation)
    pieces = [translation[s:e] for s, e in spans]
    if len(pieces) < len(parts):
        return None
    if len(pieces) == len(parts):
        return pieces
    ratio = sum(len(p) for p in pieces) / max(1, sum(len(p) for p in parts))
    links = gale_church([len(p) for p in parts], [len(p) for p in pieces], ratio)
    if len(links) != len(parts) or any(di != 1 or dj < 1 for _, di, _, dj in links):
        return None
    return [joiner.join(pieces[j:j + dj]) for _, _, j, dj in links]

