"""`locpress import PAGE.html`: a saved page's main text as a clean Markdown release."""

from __future__ import annotations

import sys

import pytest
from conftest import FIXTURES, snapshot

from locpress.formats.markdown import front_matter

PAGE = FIXTURES / "html" / "iom-saved-page.html"
NAVIGATION = ("Who We Are", "Our Work", "Where we work", "Take Action", "Related news", "Privacy policy",
              "All rights reserved", "IOM and KOICA Sign Agreement", "Share this")


def test_import_keeps_the_release_and_drops_the_site(project, cli) -> None:
    root = project({})
    result = cli(root, "import", str(PAGE), "--name", "2023/11/climate")
    assert result.code == 0, result.err
    text = (root / "source/2023/11/climate.md").read_text(encoding="utf-8")
    assert front_matter(text, "x") == {
        "title": "IOM ROK hosts UN Experts Dialogue on Efforts to Achieve Climate-Related SDGs",
        "date": __import__("datetime").date(2023, 11, 3), "location": "Seoul"}
    body = text.split("---\n", 2)[2]
    assert body.lstrip().startswith("Seoul — The International Organization for Migration (IOM)")  # dateline kept
    assert "silee@iom.int" in body and "Thinking about Tomorrow, Acting Today" in body
    for site in NAVIGATION:
        assert site not in text
    assert "dropped 19 blocks" in result.out and "  - Who We Are" in result.out
    assert cli(root, "run").code in (0, 1)  # the imported release goes through the pipeline
    assert (root / "locales/templates/2023/11/climate.pot").exists()


def test_import_never_overwrites_a_source(project, cli) -> None:
    root = project({"2023/11/climate.docx": b"anything"})
    before = snapshot(root)
    result = cli(root, "import", str(PAGE), "--name", "2023/11/climate")
    assert result.code == 2
    assert result.err.strip() == ("error: source/2023/11/climate.docx exists: import never overwrites a source "
                                  "(choose another --name)")
    assert snapshot(root) == before


def test_import_without_trafilatura_says_how_to_get_it(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # what `import trafilatura` meets when it is missing
    root = project({})
    result = cli(root, "import", str(PAGE))
    assert result.code == 2
    assert "needs trafilatura" in result.err and "pip install 'locpress[import]'" in result.err
    assert not (root / "source/iom-saved-page.md").exists()


REAL = FIXTURES / "html-real"
# page -> (release name, title, text that must stay, site text that must go). Snippets: trafilatura's
# gold for the page (tests/evaldata.json) and navigation read off the page.
REAL_PAGES = {
    "wikimediafoundation.org.turkey.html": (
        "2020/01/turkey", "Access to Wikipedia restored in Turkey after more than two and a half years",
        ["on Wikipedia’s 19th birthday", "We will keep this statement updated", "said Katherine Maher"],
        ["Read further in the pursuit of knowledge", "Stay up-to-date on our work.", "Photo credits", "Donate now",
         "Toggle menu", "Skip to navigation"]),
    "creativecommons.org.html": (
        "2016/05/about", "What we do",
        ["With a network of", "Our work is to build", "Creative Commons Affiliate Network includes"],
        ["Connect with Creative Commons", "Honoring Our Friend", "In this section", "Skip to content", "CC Store"]),
    "dw.com.colonial.html": (
        "2020/01/colonial", "Berlin confronts Germany's colonial past with new initiative",
        ["The German capital has launched a five-year project", "Berlin Conference"],
        ["Read more: Recognizing Germany colonial crimes", "Namibians want Germany to remove monuments",
         "We use cookies", "Choose from 30 Languages", "Metanavigation"]),
}


@pytest.mark.parametrize("page", sorted(REAL_PAGES))
def test_import_of_a_real_saved_page_drops_its_navigation(project, cli, page: str) -> None:
    name, title, kept, dropped = REAL_PAGES[page]
    root = project({})
    result = cli(root, "import", str(REAL / page), "--name", name)
    assert result.code == 0, result.err
    text = (root / f"source/{name}.md").read_text(encoding="utf-8")
    meta = front_matter(text, "x")
    assert meta["title"] == title  # the site's name after the headline is gone
    body = text.split("---\n", 2)[2].replace("\\", "")
    for snippet in kept:
        assert snippet in body
    for snippet in dropped:
        assert snippet not in body
    assert "dropped " in result.out and " blocks (navigation, footer, related links):" in result.out


def test_real_pages_are_in_the_attribution() -> None:
    listed = (REAL / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert all(f"`{page}`" in listed for page in REAL_PAGES)


@pytest.mark.parametrize("first, place", [
    ("LOS ANGELES (Reuters) - South Korean thriller “Parasite” was the upset winner", "LOS ANGELES"),  # reuters.com
    ("Seoul — The International Organization for Migration", "Seoul"),
    ("Rio de Janeiro, 2 May 2024 – The city", "Rio de Janeiro"),
    ("Researchers are warning - of a new Android ransomware", None),  # a dash in a sentence is no dateline
])
def test_dateline_place(first: str, place: str | None) -> None:
    from locpress.commands.importer import _DATELINE

    match = _DATELINE.match(first)
    assert (match.group(1) if match else None) == place


SEED = FIXTURES / "releases" / "iom" / "iom-rok-climate-dialogue-2023-11.txt"
SAMPLE = FIXTURES / "releases" / "iom" / "climate-dialogue.md"


def _body(markdown: str) -> str:
    return markdown.split("---\n", 2)[2] if markdown.startswith("---\n") else markdown


def test_a_text_copy_of_a_page_becomes_the_release_a_person_wrote(project, cli) -> None:
    # The seed: the release page's text as a browser copies it, menus and all. Its import is,
    # paragraph for paragraph, the sample release the project team made from it by hand.
    root = project({})
    result = cli(root, "import", str(SEED), "--name", "2023/11/climate-dialogue")
    assert result.code == 0, result.err
    text = (root / "source/2023/11/climate-dialogue.md").read_text(encoding="utf-8")
    assert front_matter(text, "x") == {
        "title": "IOM ROK hosts UN Experts Dialogue on Efforts to Achieve Climate-Related SDGs", "location": "Seoul"}
    assert _body(text) == _body(SAMPLE.read_text(encoding="utf-8"))
    for site in ("Who We Are", "WHO WE ARE", "Our Work", "IOM Global", "Take Action", "2030 Agenda"):
        assert site not in text
    assert "11 blocks of the page kept" in result.out and "dropped 16 blocks" in result.out
    assert "  - Who We Are" in result.out
    assert cli(root, "run").code in (0, 1)
    assert (root / "locales/templates/2023/11/climate-dialogue.pot").exists()


def test_a_copied_page_without_trafilatura(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # a text copy needs no extractor
    root = project({})
    assert cli(root, "import", str(SEED), "--name", "seed").code == 0


def test_a_hard_wrapped_copy_joins_its_lines_and_finds_title_and_date() -> None:
    from locpress.commands.importer import extract_copied

    page = ("Home\nNews\nContact us\n\n3 May 2024\nFloods displace thousands in the north\n\n"
            "GENEVA — Heavy rains have displaced more than 14,000 people in the north of the\n"
            "country since Monday, the agency said on Friday in its latest update.\n\n"
            "Teams delivered shelter kits and clean water to 900 families in three\n"
            "districts, and more convoys are planned for next week.\n\n"
            "Share this\nPrivacy policy\n")
    imported = extract_copied(page, "page.txt")
    assert imported.title == "Floods displace thousands in the north"
    assert imported.date == "2024-05-03" and imported.location == "Geneva"
    assert _body(imported.markdown).strip().split("\n\n") == [
        "GENEVA — Heavy rains have displaced more than 14,000 people in the north of the country since "
        "Monday, the agency said on Friday in its latest update.",
        "Teams delivered shelter kits and clean water to 900 families in three districts, and more convoys "
        "are planned for next week."]
    assert imported.dropped == ("Home", "News", "Contact us", "Share this", "Privacy policy")


def test_copied_text_reads_back_as_the_same_text(project, cli) -> None:
    # Characters that mean something in Markdown are escaped, so the catalog holds the words
    # as they were copied; addresses become links.
    from locpress.gettext.catalog import parse_po

    page = ("Menu\n"
            "1. The plan covers *all* regions and the [draft] budget of 2_000 units, so <b> tags stay text.\n"
            "# 5 is the number of teams sent to the area by the office this week, see https://example.org/x.\n")
    root = project({}, extra='[build]\nformats = ["md", "html"]\n')
    source = root.parent / "page.txt"
    source.write_text(page, encoding="utf-8")
    assert cli(root, "import", str(source), "--name", "p").code == 0
    assert cli(root, "extract").code == 0
    ids = [m.msgid for m in parse_po((root / "locales/templates/p.pot").read_bytes(), "p.pot").messages if m.msgid]
    # (an escaped number that starts a paragraph stays outside the text, as in any Markdown release)
    assert ids == ["The plan covers \\*all\\* regions and the [draft] budget of 2_000 units, so \\<b> tags "
                   "stay text.",
                   "\\# 5 is the number of teams sent to the area by the office this week, see "
                   "<https://example.org/x>."]
    assert cli(root, "build", "--draft").code == 0
    page = (root / "drafts/ko/p.html").read_text(encoding="utf-8")
    main = page.split("<main", 1)[1]
    assert "<p>1. <span" in main and "The plan covers *all* regions and the [draft] budget of 2_000 units, so " \
        "&lt;b&gt; tags stay text." in main
    assert "<h1" not in main and "<ol" not in main and "<em>" not in main


def test_a_copy_with_no_prose_is_one_error_line(project, cli) -> None:
    root = project({})
    source = root.parent / "menu.txt"
    source.write_text("Home\nAbout\nContact\n", encoding="utf-8")
    result = cli(root, "import", str(source), "--name", "menu")
    assert result.code != 0 and not (root / "source/menu.md").exists()
    assert result.err.strip().splitlines() == [f"error: {source}: no main text found in the page: no run of "
                                               "lines of sentences"]


def test_a_web_address_is_not_fetched_and_the_line_says_what_to_do(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from locpress.cli import main
    (tmp_path / "locpress.toml").write_text('locales = ["ko"]\n')
    assert main(["import", "-C", str(tmp_path), "https://www.iom.int/news/floods"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: https://www.iom.int/news/floods: locpress does not fetch")
    assert "save the page" in err[0] and not (tmp_path / "source").exists()
