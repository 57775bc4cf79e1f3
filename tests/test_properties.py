"""Property-based tests: random documents, catalogs and edits (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locpress import config
from locpress.formats import document, markdown
from locpress.gettext import headers
from locpress.gettext.catalog import (
    Catalog,
    Message,
    header_message,
    merge,
    parse_po,
    write_po,
)
from locpress.stages import extract

SPLIT = extract.splitter(config.from_dict({"locales": ["ko"]}, Path(".")), markdown=True)
WORDS = ["IOM", "migrants", "the", "U.N.", "said", "Mr.", "Lee", "200", "million", "e.g.", "climate",
         "Seoul", "“quoted”", "(ROK)", "12.5%", "Nov.", "1", "people", "etc.", "—", "can't", "혜택"]
INLINE = st.sampled_from(["**bold**", "*em*", "`code . Span`", "[IOM](https://www.iom.int \"t\")",
                          "<https://iom.int>", "<span>x</span>", "a\\*b", "&amp;", "![alt. Text](i.png)"])


@st.composite
def sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(WORDS), INLINE), min_size=1, max_size=8))
    return " ".join(parts) + draw(st.sampled_from([".", "?", "!", ".”", "", "..."]))


@st.composite
def inline_text(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(sentence(), min_size=1, max_size=4))
    glue = draw(st.sampled_from([" ", "  ", "\n", "  \n", "\\\n"]))
    return glue.join(sentences)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "h", "setext", "ul", "ol", "quote", "code", "fence", "html", "table",
                                 "hr", "ref", "nested"]))
    text = draw(inline_text())
    one_line = text.replace("\\\n", " ").replace("\n", " ").strip()
    if kind == "h":
        return draw(st.sampled_from(["#", "##", "###"])) + " " + one_line
    if kind == "setext":
        return one_line + "\n" + draw(st.sampled_from(["===", "---"]))
    if kind == "ul":
        return "\n".join(f"{draw(st.sampled_from(['-', '*', '+']))} {t}" for t in text.split("\n"))
    if kind == "ol":
        return "\n".join(f"{i}. {t}" for i, t in enumerate(text.split("\n"), start=1))
    if kind == "quote":
        return "\n".join("> " + t for t in text.split("\n"))
    if kind == "code":
        return "    " + one_line
    if kind == "fence":
        return "```python\n" + text + "\n```"
    if kind == "html":
        return "<div class=\"x\">\n" + one_line + "\n</div>"
    if kind == "table":
        return f"| a | b |\n|---|:-:|\n| {one_line.replace('|', '')} | c. D |"
    if kind == "hr":
        return "***"
    if kind == "ref":
        return "[iom]: https://www.iom.int \"IOM\""
    return "- " + one_line + "\n\n  " + text.replace("\n", "\n  ") + "\n  - inner. Item"


@st.composite
def markdown_document(draw: st.DrawFn) -> str:
    front = draw(st.sampled_from(["", "---\ntitle: A title. Two\ndate: 2023-11-01\n---\n\n",
                                  "---\nsummary: 'It''s here.'\n# comment\n---\n"]))
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    ending = draw(st.sampled_from(["\n", "", "\n\n"]))
    return front + "\n\n".join(blocks) + ending


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_document())
def test_identity_build_gives_the_source_back(text: str) -> None:
    doc = markdown.parse(text, "x.md", SPLIT, config.DEFAULT_FRONT_MATTER)
    assert document.render(doc, lambda s: s) == text
    translated = document.render(doc, lambda s: "번역 " + s)
    assert markdown.block_shape(translated) == markdown.block_shape(text)


def _catalog(msgids: list[str], translations: dict[str, str]) -> Catalog:
    header = header_message([("Content-Type", "text/plain; charset=UTF-8"), ("Plural-Forms", "nplurals=1; plural=0;")])
    return Catalog(header=header, messages=[Message(msgid=m, msgstr=translations.get(m, "")) for m in msgids])


SENTENCES = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
                     .filter(lambda s: s.strip() != ""), min_size=1, max_size=12, unique=True)


@settings(max_examples=200, deadline=None)
@given(SENTENCES, st.data())
def test_random_edits_never_lose_a_reviewed_translation(old_ids: list[str], data: st.DataObject) -> None:
    reviewed = {m: "KO " + m for m in old_ids if data.draw(st.booleans())}
    old = parse_po(write_po(_catalog(old_ids, reviewed)).encode(), "old.po")
    kept = data.draw(st.lists(st.sampled_from(old_ids), unique=True))
    new_ids = kept + [s for s in data.draw(SENTENCES) if s not in kept]
    new_ids = data.draw(st.permutations(new_ids))
    merged = merge(_catalog(new_ids, {}), old, [("Content-Type", "text/plain; charset=UTF-8")])
    again = parse_po(write_po(merged).encode(), "new.po")
    live = {m.msgid: m for m in again.messages if not m.obsolete}
    everywhere = {m.msgstr for m in again.messages}
    for msgid, translation in reviewed.items():
        assert translation in everywhere  # never dropped: live, fuzzy elsewhere, or obsolete
        if msgid in new_ids:
            assert live[msgid].msgstr == translation and live[msgid].reviewed


CONFIG = config.from_dict({"locales": ["ko"]}, Path("."))
PARAGRAPHS = st.lists(st.lists(sentence(), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8)


def _template(text: str) -> Catalog:
    doc = markdown.parse(text, "x.md", SPLIT, config.DEFAULT_FRONT_MATTER)
    return extract.template(doc, "source/x.md", headers.template_header(CONFIG, "2023-11-01 00:00+0000"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PARAGRAPHS, st.data())
def test_random_source_edits_then_update_keep_every_reviewed_translation(paragraphs: list[str],
                                                                          data: st.DataObject) -> None:
    """The pipeline's own path: a Markdown source, extract, a reviewed catalog, a random edit
    of the source (paragraphs dropped, added, rewritten, moved), extract and update again."""
    template = _template("\n\n".join(paragraphs) + "\n")
    old = merge(template, None, headers.catalog_header(CONFIG, "ko", template, None, "2023-11-01 00:00+0000"))
    reviewed = {}
    for message in old.messages:
        if data.draw(st.booleans()):
            message.msgstr = reviewed[message.msgid] = "번역 " + message.msgid
    old = parse_po(write_po(old).encode(), "old.po")
    edited = data.draw(st.lists(st.one_of(st.sampled_from(paragraphs), PARAGRAPHS.map(" ".join)), min_size=1,
                                max_size=10))
    new_template = _template("\n\n".join(edited) + "\n")
    header = headers.catalog_header(CONFIG, "ko", new_template, old, "2023-11-02 00:00+0000")
    again = parse_po(write_po(merge(new_template, old, header)).encode(), "new.po")
    live = {m.msgid: m for m in again.messages if not m.obsolete}
    everywhere = {m.msgstr for m in again.messages}
    for msgid, translation in reviewed.items():
        assert translation in everywhere  # never dropped: live, fuzzy under a changed sentence, or obsolete
        if msgid in live:  # its sentence is still in the source: reviewed, unchanged
            assert live[msgid].msgstr == translation and live[msgid].reviewed
