"""Our locale codes (Babel's `zh_Hans`, `pt_BR`) as each machine-translation service spells them."""

from __future__ import annotations

_GOOGLE = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN", "he": "iw", "jv": "jw", "fil": "tl",
           "nb": "no", "nn": "no", "mni": "mni-Mtei"}
_LIBRE = {"zh_Hans": "zh", "zh_Hant": "zt", "zh": "zh"}
_MYMEMORY = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN"}
_DEEPL_TARGETS = frozenset("AR BG CS DA DE EL EN-GB EN-US ES ET FI FR HU ID IT JA KO LT LV NB NL PL PT-BR PT-PT "
                           "RO RU SK SL SV TR UK ZH-HANS ZH-HANT".split())
_DEEPL = {"zh_Hans": "ZH-HANS", "zh_Hant": "ZH-HANT", "zh": "ZH-HANS", "pt_BR": "PT-BR", "pt": "PT-PT",
          "pt_PT": "PT-PT", "en": "EN-US", "en_GB": "EN-GB", "en_US": "EN-US", "no": "NB", "nb": "NB"}
_MICROSOFT = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "zh": "zh-Hans", "pt_PT": "pt-pt", "sr_Latn": "sr-Latn",
              "sr_Cyrl": "sr-Cyrl", "fr_CA": "fr-ca", "nb": "nb", "no": "nb"}
_PAPAGO = {"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN"}
_PAPAGO_CODES = frozenset({"ko", "en", "ja", "zh-CN", "zh-TW", "es", "fr", "vi", "th", "id", "ru", "de", "it"})
_BAIDU = {"zh_Hans": "zh", "zh_Hant": "cht", "zh": "zh", "ko": "kor", "ja": "jp", "ar": "ara", "fr": "fra",
          "es": "spa", "vi": "vie", "th": "th", "ru": "ru", "de": "de", "pt": "pt", "it": "it", "en": "en",
          "nl": "nl", "pl": "pl", "el": "el", "sv": "swe", "da": "dan", "fi": "fin", "cs": "cs", "ro": "ro",
          "hu": "hu", "bg": "bul", "et": "est", "sl": "slo"}


def engine_code(name: str, locale: str, source: bool = False) -> str | None:
    """Our locale code (Babel's `zh_Hans`, `pt_BR`) as the engine spells it; None if the
    engine does not offer the language."""
    language = locale.split("_")[0]
    if name in ("pseudo", "none"):
        return locale
    if name == "google":
        from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES  # type: ignore[import-untyped]
        code = _GOOGLE.get(locale) or _GOOGLE.get(language) or language
        return code if code in GOOGLE_LANGUAGES_TO_CODES.values() else None
    if name == "libre":
        return _LIBRE.get(locale) or language
    if name == "mymemory":
        return _mymemory(locale, language)
    if name == "deepl":
        if source:
            return language.upper()
        code = _DEEPL.get(locale) or _DEEPL.get(language) or language.upper()
        return code if code in _DEEPL_TARGETS else None
    if name == "microsoft":
        return _MICROSOFT.get(locale) or language
    if name == "papago":
        code = _PAPAGO.get(locale) or language
        return code if code in _PAPAGO_CODES else None
    if name == "baidu":
        return _BAIDU.get(locale) or _BAIDU.get(language)
    return language  # yandex


def _mymemory(locale: str, language: str) -> str | None:
    from babel import Locale
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES as codes
    if locale in _MYMEMORY:
        return _MYMEMORY[locale]
    regional = locale.replace("_", "-")
    if "-" in regional and regional in codes.values():
        return regional
    english = Locale.parse(language).english_name
    by_name = codes.get(english.lower()) if english else None
    if by_name:
        return str(by_name)
    return next((str(c) for c in codes.values() if str(c).split("-")[0] == language), None)


