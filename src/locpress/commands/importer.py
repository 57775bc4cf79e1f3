"""`locpress import PAGE.html|PAGE.txt`: a saved web page, or the text of one copied from a
browser, becomes a clean Markdown release.

trafilatura (an optional extra: `pip install 'locpress[import]'`) finds the page's main
text and leaves out the site's navigation, footers, share buttons and "related news". The
release gets front matter like the sample's (`title`, `date`, `location` when the page has
them; the dateline stays in the text), and a report lists the blocks of the page that were
dropped, so a person can see that nothing of the release went with them.

A text copy of a page (what a browser's "select all, copy" gives: menus, the release, the
footer, one block per line) has no markup to tell them apart, so `extract_copied` looks at the
lines themselves: the release is the longest run of prose (lines of sentences), its title the
short line just before it; menus are short lines that end no sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from locpress.errors import ConfigError, SourceError
from locpress.formats import htmlsource
from locpress.formats.sources import FORMATS, decode
from locpress.formats.spans import EMAIL, URL
from locpress.run.project import Project, Release, name_problem, read_bytes, write_file
from locpress.stages.extract import whole

# "Seoul — The …", "GENEVA, 3 May 2024 – The …", "LOS ANGELES (Reuters) - …": a place, maybe a
# date or a news agency, then a dash. The place's words are capitalised ("Rio de Janeiro" too), so
# a sentence with a dash in it is not taken for one.
_DATELINE = re.compile(r"([A-Z][A-Za-z.'’-]{0,20}(?:\s(?:[A-Z][A-Za-z.'’-]{0,20}|de|del|la|da|do|of|al|el|on)){0,4})(?:,[^—–\n]{0,40})?(?:\s\([A-Za-z .]{1,30}\))?"
                       r"\s+[—–-]{1,2}\s")
_SPACE = re.compile(r"\s+")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass(frozen=True)
class Imported:
    """A page's release as Markdown, and what of the page was left out."""

    markdown: str
    title: str | None
    date: str | None
    location: str | None
    kept: int
    dropped: tuple[str, ...]


def _trafilatura():  # type: ignore[no-untyped-def]
    try:
        import trafilatura
    except ImportError:
        raise ConfigError("`locpress import` needs trafilatura, which is not installed: "
                          "pip install 'locpress[import]'") from None
    return trafilatura


def extract_page(page: str, path: str) -> Imported:
    """The release in a saved page (pure: text in, Markdown out)."""
    trafilatura = _trafilatura()
    options = dict(include_formatting=True, include_links=True, include_comments=False, include_tables=True,
                   favor_precision=True)
    body = trafilatura.extract(page, output_format="markdown", with_metadata=False, **options)
    if not body or not body.strip():
        raise SourceError("no main text found in the page", path)
    meta = trafilatura.bare_extraction(page, with_metadata=True, **options)
    title = _headline(_clean(getattr(meta, "title", None)), _clean(getattr(meta, "sitename", None)))
    date = _clean(getattr(meta, "date", None))
    lines = body.strip().split("\n")
    if title and lines and lines[0].lstrip("# ").strip() == title:
        lines = lines[1:]  # the headline is the front matter's title, as in the sample
    text = "\n".join(lines).strip()
    first = next((line for line in text.split("\n") if line.strip() and not line.startswith("#")), "")
    match = _DATELINE.match(first)
    location = match.group(1).strip() if match else None
    if location and location.isupper():
        location = location.title()
    head = "".join(f"{key}: {_scalar(key, value)}\n" for key, value in
                   (("title", title), ("date", date), ("location", location)) if value)
    markdown = (f"---\n{head}---\n\n" if head else "") + text + "\n"
    kept_text = _plain(markdown)
    blocks = _blocks(page, path)
    dropped = tuple(b for b in blocks if _plain(b) not in kept_text)
    return Imported(markdown, title, date, location, len(blocks) - len(dropped), dropped)


_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+")


def _headline(title: str | None, site: str | None) -> str | None:
    """The page title without the site's name after it: "Berlin confronts … | DW | 19.01.2020"
    (site "DW.COM") and "What we do - Creative Commons" keep only their first part."""
    if not title or not site:
        return title
    names = {site.lower(), site.lower().rsplit(".", 1)[0]}
    cuts = list(_TITLE_PARTS.finditer(title))
    for index, cut in enumerate(cuts):
        end = cuts[index + 1].start() if index + 1 < len(cuts) else len(title)
        if title[cut.end():end].strip().lower() in names:
            return title[:cut.start()]
    return title


def _scalar(key: str, value: str) -> str:
    """A front-matter value as the sample writes it: a plain date, YAML quoting where needed."""
    if key == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    dumped: str = yaml.safe_dump(value, allow_unicode=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


def _clean(value: object) -> str | None:
    return _SPACE.sub(" ", str(value)).strip() or None if value else None


def _plain(text: str) -> str:
    """Text without Markdown or HTML marks and with one space between words, for comparing."""
    text = _ESCAPED.sub(r"\1", text)
    text = re.sub(r"<[^<>]*>", "", text)
    text = re.sub(r"\]\([^()\s]*\)", "", text)
    return _SPACE.sub(" ", re.sub(r"[*_\[\]#>`]", "", text)).strip()


def _blocks(page: str, path: str) -> list[str]:
    """The page's visible text blocks, as its in-place reader sees them (entities decoded)."""
    import html

    doc = htmlsource.parse(page, path, whole)
    return [_plain(html.unescape(" ".join(s.text for s in u.sentences)))
            for u in doc.units if u.encoding.value == "plain" and u.kind != "title"]


def describe(imported: Imported, written: str, limit: int = 8) -> list[str]:
    """The lines `locpress import` prints."""
    lines = [f"wrote {written}: {imported.kept} blocks of the page kept"
             + "".join(f", {k} {v!r}" for k, v in (("title", imported.title), ("date", imported.date),
                                                    ("location", imported.location)) if v)]
    if imported.dropped:
        lines.append(f"dropped {len(imported.dropped)} blocks (navigation, footer, related links):")
        lines += [f"  - {_short(block)}" for block in imported.dropped[:limit]]
        if len(imported.dropped) > limit:
            lines.append(f"  ... and {len(imported.dropped) - limit} more")
    return lines


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


# --- A text copy of a page ---------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:][\"'”’»)\]]*$")
_BREAK = re.compile(r"(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}")
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_LINK = re.compile(f"{URL.pattern}|{EMAIL.pattern}")  # spans.py's; an autolink needs a scheme (not www.)
_MARKS = re.compile(r"([\\`*]|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?]))")
_NUMBERED = re.compile(r"\d{1,9}[.)](?=\s|$)")
_BLOCK_START = re.compile(r"^(?:[#>+-]|=+$)")
_DATES = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y-%m-%d", "%d.%m.%Y")
#: A line of prose: at least this many words, and it ends a sentence.
PROSE_WORDS = 8
#: A text whose lines are all at most this long is taken as hard-wrapped.
WRAP = 100


def _prose(line: str) -> bool:
    return len(_WORD.findall(line)) >= PROSE_WORDS and bool(_SENTENCE_END.search(line))


def _paragraphs(text: str) -> list[str]:
    """One paragraph per line, as a browser copies a page. A hard-wrapped text (no line longer
    than `WRAP` characters) joins a long line that ends no sentence with the line after it."""
    lines = [_SPACE.sub(" ", raw).strip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    width = max(map(len, lines), default=0)
    wrapped = width <= WRAP
    paragraphs: list[str] = []
    open_ = False
    for line in lines:
        if not line:
            open_ = False
            continue
        if open_:
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        open_ = wrapped and len(line) >= width // 2 and not _SENTENCE_END.search(line) \
            and not _BREAK.fullmatch(line)
    return paragraphs


def _escape(text: str) -> str:
    """Escape only what Markdown would read as markup: backslashes, code and emphasis marks
    (an underscore inside a word is not one), tags, and brackets when a link could form."""
    text = _MARKS.sub(r"\\\1", text)
    if "](" in text or "][" in text:
        text = text.replace("[", "\\[").replace("]", "\\]")
    return text


def _markdown_line(line: str) -> str:
    """A line of plain text as Markdown that reads back as the same text: marks escaped,
    addresses as autolinks, a separator line as a thematic break."""
    if _BREAK.fullmatch(line):
        return "***"
    out: list[str] = []
    done = 0
    for link in _LINK.finditer(line):
        if link.group().startswith("www."):
            continue
        out += [_escape(line[done:link.start()]), f"<{link.group()}>"]
        done = link.end()
    out.append(_escape(line[done:]))
    text = "".join(out)
    if (number := _NUMBERED.match(text)) is not None:
        return text[:number.end() - 1] + "\\" + text[number.end() - 1:]  # "1\." is no list
    return "\\" + text if _BLOCK_START.match(text) else text


def _title_like(line: str) -> bool:
    """A headline: a few words that end no sentence, not a menu item ("- Take Action")."""
    return not _SENTENCE_END.search(line) and not _BREAK.fullmatch(line) and not line.startswith("- ") \
        and 2 <= len(_WORD.findall(line)) <= 30


def _date(line: str) -> str | None:
    import datetime as dt

    for form in _DATES:
        try:
            return dt.datetime.strptime(line.strip(" ,.|"), form).date().isoformat()
        except ValueError:
            continue
    return None


def extract_copied(page: str, path: str) -> Imported:
    """The release in the text of a page copied from a browser (pure: text in, Markdown out)."""
    paragraphs = _paragraphs(page)
    best: tuple[int, int, int] = (0, 0, 0)  # words, start, end of the longest run of prose
    start = words = 0
    for index, line in enumerate([*paragraphs, ""]):
        if _prose(line) or (words and _BREAK.fullmatch(line)):
            if not words:
                start = index
            words += len(_WORD.findall(line))
            continue
        if words > best[0]:
            best = (words, start, index)
        words = 0
    if not best[0]:
        raise SourceError("no main text found in the page: no run of lines of sentences", path)
    _words, first, end = best
    while end > first and _BREAK.fullmatch(paragraphs[end - 1]):
        end -= 1
    title = date = None
    used = set(range(first, end))
    before = first - 1
    if before >= 0 and (found := _date(paragraphs[before])):
        date, before = found, before - 1
        used.add(first - 1)
    if before >= 0 and _title_like(paragraphs[before]):
        title = paragraphs[before]
        used.add(before)
        if date is None and before >= 1 and (found := _date(paragraphs[before - 1])):
            date = found
            used.add(before - 1)
    body = paragraphs[first:end]
    match = _DATELINE.match(body[0])
    location = match.group(1).strip() if match else None
    if location and location.isupper():
        location = location.title()
    head = "".join(f"{key}: {_scalar(key, value)}\n" for key, value in
                   (("title", title), ("date", date), ("location", location)) if value)
    markdown = (f"---\n{head}---\n\n" if head else "") + "\n\n".join(map(_markdown_line, body)) + "\n"
    dropped = tuple(line for index, line in enumerate(paragraphs) if index not in used and not _BREAK.fullmatch(line))
    return Imported(markdown, title, date, location, end - first, dropped)


def _looks_like_html(page: str) -> bool:
    head = page[:4096].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p>" in head or "<div" in head


_NAME = re.compile(r"[^a-z0-9/_-]+")


def release_name(page: Path, name: str | None) -> str:
    """`--name`, or the page's file name made into a release name."""
    chosen = name if name else _NAME.sub("-", page.stem.lower()).strip("-")
    if not chosen or chosen.startswith("/") or ".." in chosen.split("/") or "\\" in chosen:
        raise ConfigError(f"not a release name: {chosen!r}", "--name")
    if name_problem(chosen) is not None:  # what discovery would skip: never written
        raise ConfigError(f"not a release name: {chosen!r}: {name_problem(chosen)}", "--name")
    return chosen.removesuffix(".md")


def import_page(project: Project, page: Path, shown: str, name: str | None) -> tuple[Imported, str]:
    """Read a saved page, write its release under source/ (never over an existing one)."""
    if re.match(r"(?i)https?://", shown):
        raise ConfigError("locpress does not fetch pages from the web (a page's text may be embargoed, and a "
                          "site may serve a bot another page): save the page in the browser (Ctrl+S, "
                          "'Webpage, HTML only') or copy its text into a .txt file, and import that file", shown)
    data = read_bytes(page)
    if data is None:
        raise ConfigError(f"no such file: {shown}")
    release = release_name(page, name)
    for suffix in FORMATS:
        existing = project.source_path(Release(release, suffix))
        if existing.exists():
            raise ConfigError(f"{project.shown(existing)} exists: import never overwrites a source "
                              "(choose another --name)")
    page_text = decode(data, shown)
    copied = page.suffix.lower() == ".txt" or not _looks_like_html(page_text)
    imported = (extract_copied if copied else extract_page)(page_text, shown)
    target = project.source_path(Release(release, ".md"))
    write_file(target, imported.markdown.encode(), project.shown(target))
    return imported, project.shown(target)
