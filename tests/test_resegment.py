"""A change of sentence rules never costs reviewed work (locpress.stages.resegment, used by update)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Result

from locpress.formats import segment
from locpress.gettext.catalog import Catalog, Message, parse_po, stats, write_po
from locpress.stages.resegment import carry_over, share


def catalog(*messages: Message) -> Catalog:
    return Catalog(header=Message(msgid="", msgstr="Language: ko\n"), messages=list(messages))


def test_joined_sentences_carry_their_reviewed_translations_joined() -> None:
    old = catalog(Message(msgid="Under Art.", msgstr="제"), Message(msgid="3(b) of the agreement applies.", msgstr="3조(b)가 적용된다."))
    new = catalog(Message(msgid="Under Art. 3(b) of the agreement applies."))
    carried = carry_over(new, old, " ")
    assert carried is not None
    entry = carried.messages[-1]
    assert (entry.msgid, entry.msgstr, entry.flags) == ("Under Art. 3(b) of the agreement applies.", "제 3조(b)가 적용된다.", [])
    # Chinese joins sentences without a space
    old_zh = catalog(Message(msgid="One.", msgstr="一。"), Message(msgid="Two.", msgstr="二。"))
    joined = carry_over(catalog(Message(msgid="One. Two.")), old_zh, "")
    assert joined is not None and joined.messages[-1].msgstr == "一。二。"


def test_a_split_entry_is_cut_by_the_aligner_and_marked_fuzzy_with_the_old_english() -> None:
    old = catalog(Message(msgid="Members include Yahoo!. Get involved here.",
                          msgstr="회원사로는 Yahoo!가 있습니다. 여기에서 참여하세요."))
    new = catalog(Message(msgid="Members include Yahoo!."), Message(msgid="Get involved here."))
    carried = carry_over(new, old, " ")
    assert carried is not None
    first, second = carried.messages[-2:]
    assert (first.msgid, first.msgstr) == ("Members include Yahoo!.", "회원사로는 Yahoo!가 있습니다.")
    assert (second.msgid, second.msgstr) == ("Get involved here.", "여기에서 참여하세요.")
    assert first.flags == second.flags == ["fuzzy"]
    assert first.previous_msgid == "Members include Yahoo!. Get involved here."


def test_a_translation_that_cannot_be_cut_is_left_to_the_fuzzy_match() -> None:
    assert share("한 문장뿐입니다", ["One.", "Two."]) is None
    old = catalog(Message(msgid="One. Two.", msgstr="한 문장뿐입니다"))
    carried = carry_over(catalog(Message(msgid="One."), Message(msgid="Two.")), old, " ")
    assert carried is not None and carried.messages == old.messages


def test_more_pieces_than_parts_are_matched_by_length() -> None:
    pieces = share("가나다라마바사아자차카타파하. 짧다. 끝.", ["A long first English sentence here.", "Short. End."])
    assert pieces == ["가나다라마바사아자차카타파하.", "짧다. 끝."]


SOURCE = """# Agreement signed

Under Art. 3(b) of the agreement, both parties share the data. Members include YLD!, and Yahoo!. Get involved here.

Media Contact
Sarah Conway
pr@example.org
"""

KO = {
    "Agreement signed": "협정 서명",
    "Under Art.": "제",
    "3(b) of the agreement, both parties share the data.": "3조(b)에 따라 양측은 데이터를 공유한다.",
    "Members include YLD!, and Yahoo!. Get involved here.": "회원사로는 YLD!와 Yahoo!가 있습니다. 여기에서 참여하세요.",
    "Media Contact Sarah Conway pr@example.org": "언론 연락처 Sarah Conway pr@example.org",
}


def old_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules before issue 15: `Art.` before a number ended a sentence, `Yahoo!.` did not,
    and no line break was a boundary."""
    en = segment.RULES["en"]
    kinds = {k: v for k, v in en.kinds.items() if k not in ("art", "arts", "para", "paras")}
    monkeypatch.setitem(segment.RULES, "en", replace(en, kinds=kinds))
    monkeypatch.setattr(segment, "_line_cuts", lambda m, rules: [])
    monkeypatch.setattr(segment, "_footnote", lambda m, end: None)
    real_decide = segment._decide

    def decide(m: str, cand: object, start: int, rules: segment.Rules) -> int | None:
        if m[cand.start():cand.start() + 2] == "!.":  # type: ignore[attr-defined]
            return None
        return real_decide(m, cand, start, rules)  # type: ignore[arg-type]
    monkeypatch.setattr(segment, "_decide", decide)


def test_new_rules_keep_a_reviewed_project_reviewed(project: Callable[..., Path], cli: Callable[..., Result],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({"release.md": SOURCE})
    with monkeypatch.context() as patch:
        old_rules(patch)
        assert cli(root, "extract").code == 0
        assert cli(root, "update").code == 0
    po = root / "locales" / "ko" / "release.po"
    reviewed = parse_po(po.read_bytes(), str(po))
    assert {m.msgid for m in reviewed.messages} == set(KO)
    for m in reviewed.messages:
        m.msgstr = KO[m.msgid]
    po.write_bytes(write_po(reviewed).encode())
    shutil.rmtree(root / ".locpress")  # the run state vouches for the old rules' templates

    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    after = {m.msgid: m for m in parse_po(po.read_bytes(), str(po)).messages if not m.obsolete}
    joined = after["Under Art. 3(b) of the agreement, both parties share the data."]
    assert (joined.msgstr, joined.flags) == ("제 3조(b)에 따라 양측은 데이터를 공유한다.", [])
    first, second = after["Members include YLD!, and Yahoo!."], after["Get involved here."]
    assert (first.msgstr, second.msgstr) == ("회원사로는 YLD!와 Yahoo!가 있습니다.", "여기에서 참여하세요.")
    assert "fuzzy" in first.flags and first.previous_msgid == "Members include YLD!, and Yahoo!. Get involved here."
    # the contact block is now a line each (the address alone has nothing to translate)
    assert {"Media Contact", "Sarah Conway"} <= set(after) and "pr@example.org" not in after
    counts = stats(parse_po(po.read_bytes(), str(po)))
    assert counts.reviewed == 2  # the heading and the joined sentence: nothing reviewed was lost
    assert counts.fuzzy >= 2


LIST_SOURCE = """# Appeal

The appeal has two parts: 1. Shelter for families 2. Food for children

Food
Water and sanitation
health care
"""

LIST_KO = {  # the segments of the rules before
    "Appeal": "호소",
    "The appeal has two parts: 1.": "호소는 두 부분입니다: 1.",
    "Shelter for families 2.": "가족을 위한 쉼터 2.",
    "Food for children": "어린이를 위한 식량",
    "Food": "식량",
    "Water and sanitation health care": "물과 위생, 보건",
}


def test_this_rounds_rules_keep_a_reviewed_project_reviewed(project: Callable[..., Path], cli: Callable[..., Result],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # reviewed under the rules before inline "1." lists and runs of short lines were cut,
    # then segmented with this round's rules
    root = project({"release.md": LIST_SOURCE})
    with monkeypatch.context() as patch:
        patch.setattr(segment, "_inline_items", lambda m: [])
        patch.setattr(segment, "_short_line", lambda line: False)
        assert cli(root, "extract").code == 0
        assert cli(root, "update").code == 0
    po = root / "locales" / "ko" / "release.po"
    reviewed = parse_po(po.read_bytes(), str(po))
    assert {m.msgid for m in reviewed.messages} == set(LIST_KO)
    for m in reviewed.messages:
        m.msgstr = LIST_KO[m.msgid]
    po.write_bytes(write_po(reviewed).encode())
    shutil.rmtree(root / ".locpress")

    assert cli(root, "extract").code == 0
    assert cli(root, "update").code == 0
    final = parse_po(po.read_bytes(), str(po))
    after = {m.msgid: m for m in final.messages if not m.obsolete}
    assert [k for k in after] == ["Appeal", "The appeal has two parts:", "1. Shelter for families",
                                  "2. Food for children", "Food", "Water and sanitation", "health care"]
    # unchanged sentences stay reviewed; a moved boundary keeps the old translation as a
    # fuzzy suggestion with the old English as the previous msgid, for a translator to fix
    assert [(after[k].msgstr, after[k].flags) for k in ("Appeal", "Food")] == [("호소", []), ("식량", [])]
    moved = after["1. Shelter for families"]
    assert (moved.msgstr, moved.flags, moved.previous_msgid) == ("가족을 위한 쉼터 2.", ["fuzzy"], "Shelter for families 2.")
    assert after["2. Food for children"].previous_msgid == "Food for children"
    # no reviewed translation is lost: each is still in the catalog, live or obsolete
    assert set(LIST_KO.values()) <= {m.msgstr for m in final.messages}
