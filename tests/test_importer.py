"""`locpress import PAGE.html`: a saved page's main text as a clean Markdown release."""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURES, snapshot
from locpress.markdown import front_matter

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
    from locpress.importer import _DATELINE

    match = _DATELINE.match(first)
    assert (match.group(1) if match else None) == place
