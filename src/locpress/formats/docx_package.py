"""Word packages (.docx): the zip opened safely, its XML parsed safely, written back the same way.

A `.docx` is a zip of XML parts. Before anything is unpacked, the zip's directory is checked
against the configured limits (total uncompressed size, compression ratio, number of parts),
so a zip bomb is refused having read only its directory. A Word 97-2003 `.doc` renamed
`.docx`, a broken zip, a macro-enabled document and one whose relationships fetch files from
the network when it is opened are refused with one line saying so. XML is parsed by lxml
without entity expansion, DTD loading or network access. Writing keeps every part in its
order and every unchanged part byte for byte, with fixed timestamps: the same input gives the
same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from locpress.errors import SourceError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = R + "/officeDocument"
HYPERLINK = R + "/hyperlink"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, and encrypted .docx
_MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData")
_REMOTE = ("http:", "https:", "ftp:", "\\\\", "//", "smb:", "webdav:")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    """What a Word document may unpack to (`[word]` in locpress.toml)."""

    max_unpacked: int = 100 * 1024 * 1024  # bytes, all parts together
    max_ratio: float = 100.0  # uncompressed / compressed, for the whole zip
    max_parts: int = 5000


@dataclass
class Package:
    """The parts of a Word document, read on demand, in the zip's own order."""

    path: str
    zip: zipfile.ZipFile
    names: list[str]
    changed: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, etree._Element] = field(default_factory=dict)  # each part parsed once

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise SourceError(f"not a Word document: part {name} is damaged ({exc})", self.path) from None

    def xml(self, name: str) -> etree._Element:
        """A part's XML tree: parsed on first use, the same tree afterwards (edits stay)."""
        tree = self.trees.get(name)
        if tree is None:
            tree = self.trees[name] = parse_xml(self.read(name), self.path, name)
        return tree

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id -> (type, target, external) of a part."""
        folder, _, base = part.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels not in self.names:
            return {}
        found = {}
        for rel in self.xml(rels).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            found[rel.get("Id", "")] = (rel.get("Type", ""), rel.get("Target", ""),
                                        rel.get("TargetMode", "") == "External")
        return found

    def target(self, part: str, target: str) -> str:
        """A relationship's target as a part name (relative to the part's folder)."""
        if target.startswith("/"):
            return target.lstrip("/")
        folder = part.rpartition("/")[0]
        parts = [p for p in f"{folder}/{target}".split("/") if p and p != "."]
        out: list[str] = []
        for piece in parts:
            if piece == "..":
                if out:
                    out.pop()
            else:
                out.append(piece)
        return "/".join(out)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False, remove_comments=False)


def parse_xml(data: bytes, path: str, part: str) -> etree._Element:
    """An XML part, without entities, DTDs or network access; a DOCTYPE is refused."""
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not a Word document: part {part} is not well-formed XML ({exc.msg})", path,
                          exc.lineno or None) from None
    if tree.docinfo.doctype:
        raise SourceError(f"part {part} declares a DOCTYPE, which Word documents never do: refused", path)
    return tree.getroot()


def open_package(data: bytes, path: str, limits: Limits) -> Package:
    """Check a Word document's zip before unpacking any of it."""
    if data.startswith(_OLE_MAGIC):
        raise SourceError("a Word 97-2003 .doc (or an encrypted document), not a .docx: "
                          "save it as Word Document (.docx), without a password", path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SourceError(f"not a Word document: the file is not a valid zip ({exc})", path) from None
    _check_sizes(infos, len(data), path, limits)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise SourceError("not a Word document: the zip holds two parts with the same name", path)
    if any(info.flag_bits & 0x1 for info in infos):
        raise SourceError("not a Word document: the zip is encrypted", path)
    package = Package(path, archive, names)
    if "[Content_Types].xml" not in names:
        raise SourceError("not a Word document: the zip has no [Content_Types].xml", path)
    if _has_macros(parse_xml(package.read("[Content_Types].xml"), path, "[Content_Types].xml"), names):
        raise SourceError("the document contains macros (.docm): locpress does not open macro-enabled "
                          "documents; save it as Word Document (.docx), which removes them", path)
    return package


def _has_macros(types: etree._Element, names: list[str]) -> bool:
    """The document's own macros: a macro-enabled main part, a VBA project or its data. An
    embedded object (`word/embeddings/`, a chart's `.xlsb` workbook, say) is copied as it is
    and is not the document's code: Excel's binary workbook type always says macroEnabled."""
    def embedded(part: str) -> bool:
        return part.lstrip("/").lower().startswith("word/embeddings/")

    for entry in types:
        part = entry.get("PartName") or ""
        kind = entry.get("ContentType") or ""
        if any(mark in kind for mark in _MACRO_TYPES) and not embedded(part) and entry.tag.endswith("Override"):
            return True
        if entry.tag.endswith("Default") and ("vbaProject" in kind or "vbaData" in kind) and any(
                n.lower().endswith(f".{(entry.get('Extension') or '').lower()}") and not embedded(n) for n in names):
            return True
    return any(n.lower().endswith(("vbaproject.bin", "vbadata.xml")) and not embedded(n) for n in names)


def _check_sizes(infos: list[zipfile.ZipInfo], packed: int, path: str, limits: Limits) -> None:
    if len(infos) > limits.max_parts:
        raise SourceError(f"refused: the zip holds {len(infos)} parts (word.max_parts = {limits.max_parts})", path)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked:
        raise SourceError(f"refused before unpacking: the zip would unpack to {unpacked:,} bytes "
                          f"(word.max_unpacked = {limits.max_unpacked:,})", path)
    compressed = sum(info.compress_size for info in infos)
    ratio = unpacked / max(compressed, 1)
    if ratio > limits.max_ratio and unpacked > 1024 * 1024:
        raise SourceError(f"refused before unpacking: the zip would unpack {ratio:.0f} times its size "
                          f"(word.max_ratio = {limits.max_ratio:g}); a zip bomb?", path)


def check_relationships(package: Package) -> None:
    """Refuse a document whose parts fetch anything from the network when opened (a remote
    template, linked image or frame); hyperlinks are text the reader clicks, and stay."""
    for name in package.names:
        if not name.endswith(".rels"):
            continue
        for rel in package.xml(name).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            target = rel.get("Target", "").strip().lower()
            if rel.get("TargetMode") != "External" or rel.get("Type") == HYPERLINK:
                continue
            if target.startswith(_REMOTE) or target.startswith("file://") and target[7:9] in ("//", "\\\\"):
                kind = rel.get("Type", "").rpartition("/")[2]
                raise SourceError(f"refused: an external {kind} relationship fetches {rel.get('Target')} "
                                  f"when the document is opened (in {name})", package.path)


def serialize(root: etree._Element) -> bytes:
    """An XML part as Word writes it: UTF-8, declared standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_package(package: Package) -> bytes:
    """The document with its changed parts: same order, same names, fixed dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in package.zip.infolist():
            data = package.changed.get(info.filename)
            if data is None:
                data = package.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, data, compresslevel=1)  # level 6 costs a build twice the time
    return out.getvalue()
