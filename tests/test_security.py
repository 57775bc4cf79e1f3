"""Hostile input: XML is read with defusedxml only, YAML with a safe loader only.

Paths confined to the project are in tests/test_badinput.py (`../`, absolute folders,
symlinks), HTML escaping of what translations add in tests/test_html.py and
tests/test_review.py, API keys kept out of every file and log in
tests/test_pretranslate.py (test_the_api_key_is_never_written_or_printed).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, snapshot

import locpress

Make = Callable[..., Path]
Cli = Callable[..., Result]
PACKAGE = Path(locpress.__file__).parent


def module(name: str) -> Path:
    """A module of the package by file name, in whichever wing it lives."""
    return next(PACKAGE.rglob(name))
#: What may come from the standard library's XML modules: building and writing, never parsing.
WRITING = {"Element", "SubElement", "ElementTree", "tostring", "ParseError", "indent", "QName"}
PARSING = {"fromstring", "fromstringlist", "parse", "iterparse", "XML", "XMLParser", "XMLPullParser", "XMLID",
           "minidom", "pulldom", "sax", "expat", "parseString", "make_parser"}


def stdlib_xml_parsing(tree: ast.AST) -> list[str]:
    """Uses of the standard library's XML parsers in a module (by import or attribute)."""
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("xml", "lxml"):
            found += [f"from {node.module} import {a.name}" for a in node.names if a.name not in WRITING]
            modules |= {a.asname or a.name for a in node.names if a.name == "ElementTree"}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("xml", "lxml"):
                    if alias.name != "xml.etree.ElementTree":
                        found.append(f"import {alias.name}")
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in PARSING and ast.unparse(node.value) in modules:
            found.append(ast.unparse(node))
    return found


# Word documents are read with lxml's own hardened parser (no entities, DTDs or network), the one
# place lxml parses: docx_package.parse_xml. The other docx modules build elements with it only.
LXML_MODULES = {"docx.py", "docx_inline.py", "docx_language.py", "docx_package.py", "docx_runs.py"}


def test_xml_is_never_parsed_with_the_standard_library() -> None:
    offenders = {path.name: found for path in sorted(PACKAGE.rglob("*.py"))
                 if (found := [f for f in stdlib_xml_parsing(ast.parse(path.read_text(), str(path)))
                               if not (path.name in LXML_MODULES and f == "from lxml import etree")])}
    assert offenders == {}, "read XML with defusedxml (see tmx.parse_xml)"
    for name in LXML_MODULES:
        calls = [ast.unparse(n) for n in ast.walk(ast.parse(module(name).read_text()))
                 if isinstance(n, ast.Attribute) and ast.unparse(n.value) == "etree" and n.attr in PARSING]
        assert calls == ([] if name != "docx_package.py" else ["etree.XMLParser", "etree.parse"]), name
    hardened = module("docx_package.py").read_text()
    assert "resolve_entities=False, no_network=True, load_dtd=False" in hardened
    assert "import ElementTree" in module("findings.py").read_text()  # JUnit is written with it, not read


@pytest.mark.parametrize("code", ["from xml.etree.ElementTree import fromstring", "import xml.dom.minidom",
                                  "from xml.etree import ElementTree\nElementTree.parse('x')",
                                  "import xml.etree.ElementTree as ET\nET.fromstring(b'')"])
def test_the_scan_finds_stdlib_parsing(code: str) -> None:
    assert stdlib_xml_parsing(ast.parse(code))


BOMB = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
"""
TMX = ('<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" '
       'o-tmf="x" creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="en"><seg>Title</seg></tuv>'
       '<tuv xml:lang="ko"><seg>{entity}</seg></tuv></tu></body></tmx>\n')
XLIFF = ('<xliff version="1.2"><file original="a" source-language="en" target-language="ko" datatype="plaintext">'
         '<body><trans-unit id="1"><source>Title</source><target>{entity}</target></trans-unit></body></file>'
         '</xliff>\n')


@pytest.mark.parametrize("attack,entity", [(BOMB, "&lol3;"), (EXTERNAL, "&secret;")], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize("command,root_tag,body", [(("tm", "import"), "tmx", TMX), (("xliff", "import"), "xliff", XLIFF)],
                         ids=["tmx", "xliff"])
def test_malicious_xml_is_refused(project: Make, cli: Cli, attack: str, entity: str, command: tuple[str, ...],
                                  root_tag: str, body: str) -> None:
    root = project({"a.md": "# Title\n"})
    assert cli(root, "run").code == 0
    bad = root / f"bad.{root_tag if root_tag == 'tmx' else 'xlf'}"
    bad.write_text(attack.format(root=root_tag) + body.format(entity=entity))
    before = snapshot(root)
    result = cli(root, *command, str(bad))
    assert result.code == 3
    assert result.err == f"error: {bad}:2: refused: EntitiesForbidden (entity declarations and external " \
                         "references are not read)\n"
    assert snapshot(root) == before
    assert cli(root, "tm", "stats").out.startswith("memory ko: 0 segments")  # nothing reached the memory


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['touch {marker}']",
                                 "!!python/name:os.system", "!!python/object/new:os.system ['touch {marker}']"])
def test_front_matter_python_tags_are_refused(project: Make, cli: Cli, tag: str) -> None:
    marker = project({}).parent / "pwned"
    root = project({"a.md": f"---\ntitle: {tag.format(marker=marker)}\n---\n\n# T\n"})
    result = cli(root, "extract")
    assert result.code == 3
    assert result.err.startswith("error: source/a.md:2: broken YAML front matter: could not determine a constructor "
                                 "for the tag 'tag:yaml.org,2002:python/")
    assert not marker.exists()
    assert not (root / "locales").exists()


def test_front_matter_alias_bomb_is_not_expanded(project: Make, cli: Cli) -> None:
    lines = ["---", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    lines += ["title: *i", "summary: A summary.", "---", "", "# T", ""]
    root = project({"a.md": "\n".join(lines)})
    result = cli(root, "run", "--draft")  # 9^9 "lol"s if expanded: this would not finish
    assert result.code == 0, result.err
    draft = (root / "drafts/ko/a.md").read_text()
    assert re.sub(r"<!-- DRAFT, not for publication .*? -->\n\n", "", draft, count=1) == "\n".join(lines)
