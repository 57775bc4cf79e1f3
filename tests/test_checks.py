"""Each check with its own cases (source, translation, what it should say or None), then the
catalog and locale checks, the runner, and real Korean catalogs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, HAS_GETTEXT

from locpress.config import from_dict, plural_forms
from locpress.findings import ERROR, WARNING
from locpress.gettext.catalog import (
    Catalog,
    Message,
    header_message,
    merge,
    parse_po,
    write_po,
)
from locpress.gettext.headers import catalog_header
from locpress.qa import checks
from locpress.qa.checks import (
    CHECKS,
    check_file,
    check_locale,
    check_message,
    context,
)
from locpress.qa.glossary import parse as parse_glossary
from locpress.qa.rules_catalog import CatalogFile, in_step

GLOSSARY = parse_glossary(
    "en,ko,ar,fr,ru,zh_Hans,dnt\n"
    "International Organization for Migration,국제이주기구,المنظمة الدولية للهجرة,"
    "Organisation internationale pour les migrations,Международная организация по миграции,国际移民组织,\n"
    "IOM,,,,,,yes\n")
CONFIG = from_dict({"locales": ["ko", "ar", "fr", "ru", "zh_Hans", "es"]}, Path("."))
BY_NAME = {check.name: check for check in CHECKS}

# (check, locale, source, translation, flags, a phrase of the expected message or None for no finding)
CASES: list[tuple[str, str, str, str, tuple[str, ...], str | None]] = [
    ("links", "ko", "See the [appeal](https://www.iom.int/appeal) for details.",
     "자세한 내용은 [호소문](https://www.iom.int/appeals)을 참조하십시오.", (), "https://www.iom.int/appeal"),
    ("links", "ko", "See the [appeal](https://www.iom.int/appeal) for details.",
     "자세한 내용은 [호소문](https://www.iom.int/appeal)을 참조하십시오.", (), None),
    ("links", "fr", "![Map](img/map.png) of the region.", "![Carte](img/carte.png) de la région.", (), "img/map.png"),
    ("links", "ru", "Read [the report][1].", "Читайте [доклад][1].", (), None),
    ("code", "ko", "Download the `dtm_dataset` file today.", "오늘 `dtm_data` 파일을 내려받으십시오.", (), "`dtm_dataset`"),
    ("code", "zh_Hans", "Run `locpress check` first.", "先运行 `locpress check`。", (), None),
    ("html", "fr", "Call <b>now</b>.", "Appelez <strong>maintenant</strong>.", (), "<b>"),
    ("html", "ar", "Press <kbd>Enter</kbd>.", "اضغط <kbd>Enter</kbd>.", (), None),
    ("html", "fr", '<img src="a.png" alt="Map"> here', '<img src="a.png" alt="Carte"> ici', (), None),
    ("html", "ko", "remove <num> leading slashes", "앞의 <개수>개의 슬래시를 제거합니다", (), None),
    ("markdown", "ko", "This is **important** news.", "이것은 **중요한 소식입니다.", (), "not balanced"),
    ("markdown", "fr", "This is **important** news.", "C'est une nouvelle **importante**.", (), None),
    ("markdown", "ru", "See [the appeal](https://iom.int).", "См. [обращение(https://iom.int).", (), "not balanced"),
    ("tokens", "ko", "Visit the [site](https://iom.int).", "[X0X] 사이트를 방문하십시오.", (), "[X0X]"),
    ("tokens", "ru", "Visit the site.", "Посетите сайт.", (), None),
    ("urls", "ar", "Details at https://www.iom.int/news.", "التفاصيل على https://www.iom.int/new.", (),
     "https://www.iom.int/news"),
    ("urls", "ko", "Details at https://www.iom.int/news.", "자세한 내용은 https://www.iom.int/news에서 확인하십시오.", (), None),
    ("emails", "ko", "Contact media@iom.int for interviews.", "인터뷰는 press@iom.int로 문의하십시오.", (), "media@iom.int"),
    ("emails", "ko", "Contact media@iom.int for interviews.", "인터뷰는 media@iom.int로 문의하십시오.", (), None),
    ("phones", "ko", "Tel.: +82 70 4820 2751.", "전화: +82 70 4820 2752.", (), "+82 70 4820 2751"),
    ("phones", "fr", "Tel.: +82 70 4820 2751.", "Tél. : +82-70-4820-2751.", (), None),
    ("numbers", "ko", "The appeal of USD 12.5 million is 41% funded.", "1,250만 달러 규모의 호소는 14% 충족되었습니다.", (), "41%"),
    ("numbers", "ko", "The appeal of USD 12.5 million is 41% funded.", "1,250만 달러 규모의 호소는 41% 충족되었습니다.", (), None),
    ("numbers", "ko", "More than 200 million people.", "2억 명 이상.", (), None),
    ("numbers", "ko", "More than 200 million people.", "2천만 명 이상.", (), "200 million"),
    ("numbers", "ko", "A budget of USD 250 million.", "2억 5천만 달러의 예산.", (), None),
    ("numbers", "ko", "3 children were rescued.", "아이 세 명이 구조되었습니다.", (), None),
    ("numbers", "ko", "Python 3.7.1 is out.", "파이썬 3.7.1이 나왔습니다.", (), None),
    ("numbers", "fr", "It costs 1,234.5 dollars.", "Cela coûte 1 234,5 dollars.", (), None),
    ("numbers", "fr", "It costs 1,234.5 dollars.", "Cela coûte 1\u202f234,5 dollars.", (), None),
    ("numbers", "fr", "It costs 1,234.5 dollars.", "Cela coûte 1 243,5 dollars.", (), "1,234.5"),
    ("numbers", "fr", "USD 1.2 trillion", "1,2 billion de dollars", (), None),
    ("numbers", "fr", "USD 1.2 billion", "1,2 billion de dollars", (), "1.2 billion"),
    ("numbers", "ru", "USD 1.2 billion was raised.", "Собрано 1,2 млрд долларов США.", (), None),
    ("numbers", "ru", "USD 1.2 billion was raised.", "Собрано 1,2 млн долларов США.", (), "1.2 billion"),
    ("numbers", "ru", "200 million people", "200 миллионов человек", (), None),
    ("numbers", "zh_Hans", "12.5 million people were displaced.", "1250万人流离失所。", (), None),
    ("numbers", "zh_Hans", "12.5 million people were displaced.", "125万人流离失所。", (), "12.5 million"),
    ("numbers", "ar", "41% of 3,000 families", "٤١٪ من ٣٬٠٠٠ أسرة", (), None),
    ("numbers", "ar", "41% of 3,000 families", "٤١٪ من ٣٬٥٠٠ أسرة", (), "3,000"),
    ("numbers", "es", "USD 3 billion", "3.000 millones de dólares", (), None),
    ("numbers", "es", "USD 3 billion", "3 mil millones de dólares", (), None),
    ("dates", "ko", "Seoul, 1 November 2023", "서울, 2023년 11월 1일", (), None),
    ("dates", "ko", "Seoul, 1 November 2023", "서울, 2023년 10월 1일", (), "2023년 11월 1일"),
    ("dates", "ko", "(30 November to 12 December)", "11월 30일부터 12월 12일까지", (), None),
    ("dates", "fr", "Geneva, 1 November 2023", "Genève, le 1er novembre 2023", (), None),
    ("dates", "ru", "Geneva, 1 November 2023", "Женева, 1 ноября 2023 года", (), None),
    ("dates", "zh_Hans", "On November 1, 2023, IOM met.", "2023年11月1日，国际移民组织召开会议。", (), None),
    ("dates", "ar", "(30 November to 12 December)", "(من 30 نوفمبر إلى 12 ديسمبر)", (), None),
    ("dates", "ar", "Cairo, 1 November 2023", "القاهرة، 1 ديسمبر 2023", (), "1 November 2023"),
    ("glossary", "ko", "The International Organization for Migration welcomed it.", "국제이주기구는 이를 환영했습니다.", (), None),
    ("glossary", "ko", "The International Organization for Migration welcomed it.", "국제이민기구는 이를 환영했습니다.", (),
     "국제이주기구"),
    ("glossary", "ru", "Support from the International Organization for Migration",
     "Поддержка Международной организации по миграции", (), None),
    ("glossary", "zh_Hans", "The International Organization for Migration said.", "联合国移民署表示。", (), "国际移民组织"),
    ("dnt", "ko", "IOM welcomed it.", "아이오엠은 이를 환영했습니다.", (), '"IOM"'),
    ("dnt", "ar", "IOM welcomed it.", "رحبت IOM بذلك.", (), None),
    ("unchanged", "fr", "The programme supports local communities.", "The programme supports local communities.", (),
     "unchanged"),
    ("unchanged", "fr", "IOM ROK", "IOM ROK", (), None),
    ("unchanged", "es", "Amy Pope", "Amy Pope", (), None),
    ("latin", "ko", "The event brought together experts.", "이번 행사에는 experts가 모였습니다.", (), '"experts"'),
    ("latin", "ko", "the campaign “Race to Resilience”", "“회복력을 향한 경주(Race to Resilience)” 캠페인", (), None),
    ("latin", "zh_Hans", "IOM and UNICEF met.", "IOM和UNICEF举行了会晤。", (), None),
    ("latin", "ar", "The event brought together experts.", "جمع الحدث experts together.", (), "experts together"),
    ("latin", "ru", "Contributed by Victor Stinner.", "Contributed by Victor Stinner.", (), None),
    ("latin", "fr", "The event brought together experts.", "L'événement a réuni des experts.", (), None),
    ("whitespace", "ko", "Hello", "안녕하세요 ", (), "trailing"),
    ("whitespace", "ko", "Line\n", "줄\n", (), None),
    ("whitespace", "ru", "Line\n", "Строка", (), "trailing"),
    ("whitespace", "ar", " Indented", "مسافة", (), "leading"),
    ("double-space", "fr", "A sentence.", "Une  phrase.", (), "doubled"),
    ("double-space", "fr", "A  sentence.", "Une  phrase.", (), None),
    ("brackets", "ko", "IOM (the UN Migration agency) said", "IOM(유엔 이주기구는 말했다", (), "not balanced"),
    ("brackets", "zh_Hans", "IOM (the UN Migration agency) said", "国际移民组织（联合国移民署）表示", (), None),
    ("brackets", "ko", "(30 November to 12 December)", "오는 11월 30일부터 12월 12일까지", (), None),
    ("quotes", "fr", "He said “yes”.", "Il a dit « oui ».", (), None),
    ("quotes", "fr", "He said “yes”.", "Il a dit « oui.", (), "not balanced"),
    ("quotes", "ru", "He said “yes”.", "Он сказал “да”.", (), "not used in Russian"),
    ("quotes", "ko", "“Climate mobility is a reality.", "“기후 이동성은 이미 현실입니다.", (), None),
    ("quotes", "ar", "He said “yes”.", "قال «نعم».", (), None),
    ("quotes", "zh_Hans", 'He said "yes".', "他说“是”。", (), None),
    ("punctuation", "zh_Hans", "The event was held.", "活动已举行.", (), "。"),
    ("punctuation", "zh_Hans", "The event was held.", "活动已举行。", (), None),
    ("punctuation", "ar", "Why now?", "لماذا الآن؟", (), None),
    ("punctuation", "ko", "Background", "배경.", (), "the source does not"),
    ("punctuation", "ko", "Contact the U.N.", "유엔에 문의하십시오", (), None),
    ("punctuation", "ru", "The event was held.", "Мероприятие состоялось", (), "no final punctuation"),
    ("punctuation", "ko", "“Yes,” she said.", "“네”라고 그녀가 말했습니다.", (), None),
    ("length", "ko", "The adverse impacts of climate change are putting the lives of billions at risk.", "위험.", (),
     "unusually short"),
    ("length", "fr", "The adverse impacts of climate change are putting the lives of billions at risk.",
     "Les effets néfastes du changement climatique mettent en danger la vie de milliards de personnes.", (), None),
    ("length", "zh_Hans", "The event was a success for everyone.", "这次活动对每个人来说都是一次巨大的成功，" * 4, (),
     "unusually long"),
    ("length", "ko", "Short one.", "아주 아주 아주 아주 아주 아주 긴 번역입니다.", (), None),
    ("format-string", "ko", "up to 20% faster", "최대 20% 빨라졌습니다", ("python-format",), "not a valid Python format"),
    ("format-string", "ru", "%d files in %s", "%d файлов в %s", ("c-format",), None),
    ("format-string", "fr", "%(count)d items", "%(nombre)d éléments", ("python-format",), "'nombre'"),
    ("format-string", "ko", "{name} joined", "{name} 님이 참여했습니다", ("python-brace-format",), None),
    ("format-string", "ko", "%s of %s", "%s", ("c-format",), "argument 2"),
]


def _message(source: str, target: str, flags: tuple[str, ...] = (), comments: tuple[str, ...] = ()) -> Message:
    return Message(msgid=source, msgstr=target, flags=list(flags), translator_comments=list(comments), lineno=7)


def _found(check: str, locale: str, message: Message, nplurals: int | None = None) -> list[str]:
    ctx = context(locale, CONFIG, GLOSSARY)
    ctx.nplurals = nplurals
    return [text for _check, text in check_message(message, ctx, [BY_NAME[check]], checks.ignored(message))]


@pytest.mark.parametrize(("check", "locale", "source", "target", "flags", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_entry_check(check: str, locale: str, source: str, target: str, flags: tuple[str, ...],
                     expected: str | None) -> None:
    found = _found(check, locale, _message(source, target, flags))
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


def test_every_entry_check_has_a_positive_and_a_negative_case() -> None:
    covered = {(name, expected is None) for name, _l, _s, _t, _f, expected in CASES}
    entry = {c.name for c in CHECKS if c.scope == "entry"} - {"plurals", "ignore-comment"}  # tested below
    missing = [(name, clean) for name in entry for clean in (True, False) if (name, clean) not in covered]
    assert not missing


def test_checks_are_listed_once_with_a_severity_and_a_one_line_title() -> None:
    assert len({c.name for c in CHECKS}) == len(CHECKS)
    for check in CHECKS:
        assert check.severity in (ERROR, WARNING)
        assert check.scope in ("entry", "catalog", "locale", "output")
        assert check.title and "\n" not in check.title and not check.title.endswith(".")


def test_plurals_counts_forms_against_the_header() -> None:
    message = Message(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "파일 %d개", 1: "파일 %d개"}, lineno=3)
    assert "nplurals=1" in _found("plurals", "ko", message, nplurals=1)[0]
    message.msgstr_plural = {0: "파일 %d개"}
    assert _found("plurals", "ko", message, nplurals=1) == []


def test_ignore_comment_names_must_exist_and_silence_their_check() -> None:
    bad = _message("41% funded", "14% 충족", comments=("locpress: ignore numbrs",))
    assert "numbrs" in _found("ignore-comment", "ko", bad)[0]
    ok = _message("41% funded", "14% 충족", comments=("locpress: ignore numbers",))
    ctx = context("ko", CONFIG)
    assert [c.name for c, _t in check_message(ok, ctx, None, checks.ignored(ok))] == []
    assert checks.ignored(_message("a", "b", comments=("locpress: ignore numbers, links quotes",))) == {
        "numbers", "links", "quotes"}


def test_plural_entries_are_checked_form_by_form() -> None:
    message = Message(msgid="%d person in [camp](https://iom.int/a)", msgid_plural="%d people in [camps](https://iom.int/b)",
                      msgstr_plural={0: "%d명이 [캠프](https://iom.int/c)에"}, flags=["c-format"], lineno=9)
    found = _found("links", "ko", message, nplurals=1)
    assert found and "https://iom.int/b" in found[0]


# --------------------------------------------------------------------------- catalogs


def _catalog_text(entries: str, language: str = "ko", plural: str | None = None) -> bytes:
    plural = plural or plural_forms(language)
    return (f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Plural-Forms: {plural}\\n"\n\n{entries}').encode()


def _file(data: bytes, locale: str = "ko", release: str = "r", template: Catalog | None = None) -> CatalogFile:
    file = CatalogFile(locale, release, f"locales/{locale}/{release}.po", data, template=template,
                       template_path=f"locales/templates/{release}.pot" if template else "")
    file.parse()
    return file


def _catalog_findings(file: CatalogFile, names: tuple[str, ...]) -> list[tuple[str, int, str]]:
    ctx = context(file.locale, CONFIG)
    return [(f.check, f.line, f.message) for f in check_file(file, ctx, [BY_NAME[n] for n in names])]


@pytest.mark.parametrize(("language", "plural", "expected"), [
    ("ko", None, None),
    ("ko_KR", None, None),
    ("ja", None, "Language is 'ja'"),
    ("ko", "nplurals=2; plural=(n != 1);", "Plural-Forms"),
    ("fr", "nplurals=3; plural=(n==0||n==1)?0:(n!=0&&n%1000000==0)?1:2;", None),  # same rule, other spacing
    ("fr", "nplurals=2; plural=(n > 1);", "Plural-Forms"),
])
def test_header(language: str, plural: str | None, expected: str | None) -> None:
    locale = "fr" if language == "fr" else "ko"
    file = _file(_catalog_text('msgid "a"\nmsgstr "b"\n', language, plural or plural_forms(locale)), locale)
    found = _catalog_findings(file, ("header",))
    assert (found == []) if expected is None else (expected in found[0][2])


def test_syntax_error_is_a_finding_with_its_line_not_a_crash() -> None:
    file = _file(_catalog_text('msgid "a"\nmsgstr "b\n'))
    assert file.catalog is None
    assert _catalog_findings(file, ("syntax", "header", "links")) == [("syntax", 9, "end-of-line within string")]


def test_every_duplicate_is_reported_and_the_rest_still_checked() -> None:
    data = _catalog_text('msgid "a"\nmsgstr "가"\n\nmsgid "b"\nmsgstr "나"\n\nmsgid "a"\nmsgstr "다"\n\n'
                         'msgid "Call <b>now</b>"\nmsgstr "지금 전화"\n\nmsgid "b"\nmsgstr "라"\n')
    file = _file(data)
    assert file.catalog is not None
    found = _catalog_findings(file, ("syntax", "html"))
    assert [(c, line) for c, line, _m in found] == [("syntax", 13), ("syntax", 19), ("html", 16)]
    assert "first defined at line 7" in found[0][2]


def _template_of(catalog: Catalog) -> Catalog:
    return Catalog(header=header_message([("Content-Type", "text/plain; charset=UTF-8")]),
                   messages=[Message(msgid=m.msgid, msgctxt=m.msgctxt, msgid_plural=m.msgid_plural,
                                     auto_comments=list(m.auto_comments), references=list(m.references),
                                     flags=[f for f in m.flags if f != "fuzzy"])
                             for m in catalog.messages if not m.obsolete])


def _update_changes(template: Catalog, catalog: Catalog) -> bool:
    fields = catalog_header(CONFIG, "ko", template, catalog, "")
    merged = merge(template, catalog, fields)
    return write_po(Catalog(catalog.header, catalog.messages)) != write_po(Catalog(catalog.header, merged.messages))


@pytest.mark.parametrize("name", ["dpkg_po_ko.po", "glib_ko.po", "django_contrib_humanize__django.po",
                                  "howto_clinic.po", "tutorial_introduction.po"])
def test_in_step_only_when_update_would_change_nothing(name: str) -> None:
    """The quick proof behind `outdated` agrees with running the merge, on real catalogs and edits."""
    catalog = parse_po((FIXTURES / "po" / name).read_bytes(), name)
    template = _template_of(catalog)
    edits = [template]
    if template.messages:
        edits.append(Catalog(template.header, template.messages[1:]))  # an entry removed
        edits.append(Catalog(template.header, [Message(msgid="A new sentence.")] + template.messages))
        moved = [Message(**{**m.__dict__, "references": ["elsewhere:1"]}) for m in template.messages]
        edits.append(Catalog(template.header, moved))
    for edited in edits:
        if in_step(edited, catalog):
            assert not _update_changes(edited, catalog)
    assert in_step(edits[-1], catalog) is False


def test_outdated_reports_what_update_would_do() -> None:
    catalog = parse_po(_catalog_text('#: s.md:1\nmsgid "One."\nmsgstr "하나."\n'), "x")
    template = Catalog(header_message([]), [Message(msgid="One.", references=["s.md:1"]),
                                           Message(msgid="Two.", references=["s.md:2"])])
    file = _file(write_po(catalog).encode(), template=template)
    found = _catalog_findings(file, ("outdated",))
    assert found and "would add 1 new entry" in found[0][2]
    file = _file(write_po(catalog).encode(), template=Catalog(header_message([]), [catalog.messages[0]]))
    assert _catalog_findings(file, ("outdated",)) == []


def test_consistency_across_releases_of_a_locale() -> None:
    make = lambda release, text: _file(_catalog_text(f'msgid "About IOM"\nmsgstr "{text}"\n'), release=release)  # noqa: E731
    files = [make("a", "IOM 소개"), make("b", "IOM 소개"), make("c", "IOM에 대하여")]
    files[0].selected = False
    found = check_locale(files, context("ko", CONFIG), [BY_NAME["consistency"]])
    assert [(f.release, f.check) for f in found] == [("c", "consistency")]
    assert "translated differently in a" in found[0].message


def test_fuzzy_findings_are_warnings() -> None:
    data = _catalog_text('#, fuzzy\nmsgid "41% funded"\nmsgstr "14% 충족"\n')
    findings = check_file(_file(data), context("ko", CONFIG), CHECKS)
    assert [(f.check, f.severity, f.fuzzy) for f in findings] == [("numbers", WARNING, True)]


def test_header_ignore_comment_silences_a_check_for_the_whole_catalog() -> None:
    data = ('# locpress: ignore numbers\n' + _catalog_text('msgid "41% funded"\nmsgstr "14% 충족"\n').decode()).encode()
    assert check_file(_file(data), context("ko", CONFIG), CHECKS) == []


# --------------------------------------------------------------------------- real catalogs


def _corpus_file(path: Path) -> CatalogFile:
    return _file(path.read_bytes(), release=path.stem)


REAL = sorted((FIXTURES / "po").glob("*.po")) + [FIXTURES / "checks" / "whatsnew_3.7.po"]


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_korean_catalogs_are_checked_without_a_crash(path: Path) -> None:
    file = _corpus_file(path)
    findings = check_file(file, context("ko", CONFIG), CHECKS)
    assert all(f.line >= 1 and f.check in checks.NAMES for f in findings)


def _entry_of(catalog_lines: list[int], line: int) -> int:
    return max(start for start in catalog_lines if start <= line)


@pytest.mark.skipif(not HAS_GETTEXT, reason="GNU gettext not installed")
@pytest.mark.parametrize("name", ["po/library_stdtypes.po", "checks/whatsnew_3.7.po", "po/whatsnew_changelog_excerpt.po"])
def test_findings_include_every_entry_msgfmt_rejects(name: str, tmp_path: Path) -> None:
    path = tmp_path / Path(name).name
    shutil.copy(FIXTURES / name, path)
    file = _corpus_file(path)
    findings = [f for f in check_file(file, context("ko", CONFIG), CHECKS) if f.severity == ERROR]
    starts = sorted({f.line for f in findings} | {1})
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", path.name], capture_output=True, text=True,
                          cwd=tmp_path)
    rejected = [int(m.group(1)) for m in re.finditer(rf"^{re.escape(path.name)}:(\d+): (?!warning)(?!\.\.\.this)",
                                                     done.stderr, re.M)]
    assert done.returncode != 0 and rejected
    found_lines = {f.line for f in findings}
    for line in rejected:
        assert line in found_lines or _entry_of(starts, line) in found_lines, (line, done.stderr[:500])


@pytest.mark.skipif(not HAS_GETTEXT, reason="GNU gettext not installed")
@pytest.mark.parametrize("path", [p for p in REAL if p.name not in ("whatsnew_changelog_excerpt.po",)],
                         ids=lambda p: p.name)
def test_format_string_agrees_with_msgfmt(path: Path) -> None:
    """Entries msgfmt --check-format rejects, and only those, get a format-string error."""
    done = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    theirs = {int(m.group(1)) for m in re.finditer(r":(\d+): .*format string", done.stderr)}
    file = _corpus_file(path)
    ours = [f for f in check_file(file, context("ko", CONFIG), [BY_NAME["format-string"]]) if not f.fuzzy]
    assert len(ours) == len(theirs)
    starts = sorted(m.lineno for m in file.catalog.messages) if file.catalog else []
    assert {_entry_of(starts, line) for line in theirs} == {f.line for f in ours}


