"""A large-language-model engine over the OpenAI-compatible chat-completions API.

OpenAI, Azure OpenAI (its `/openai/deployments/<name>` base URL with `api-version` in the
`url`) and the self-hosted servers that speak the same API (vLLM, llama.cpp's server,
Ollama, LM Studio) take `POST <url>/chat/completions`. The request goes through locpress's
one HTTP client (`transport.Client`, urllib3 retries off) under the retry contract of
`engines.Engine` (backoff, `Retry-After`, `max_delay`); a malformed answer is retried the
same way.

A release is sent whole (or in chunks of about `chunk_chars` characters to translate, cut
where a paragraph starts): its title, every segment in order with an id — those to
translate, and the others with their translation as context — the glossary entries that
occur in it, and the style note of the locale. Protected spans travel as `<x0/>` tags. The
answer is JSON, `{"translations": [{"id": ..., "text": ...}]}`, asked for with
`response_format` (a JSON schema, or JSON mode, or nothing, per `response_format`) and
checked here whatever the server claims. A segment missing from the answer, or whose answer
the caller's check rejects, is asked again once with the problem; what is still wrong then
is used with notes (the caller's `#. locpress:` comments), and what is still missing fails.

Cache key (see memory.py): (engine name, languages, segment text sent, variant), the
variant being a digest of the prompt version, model, temperature, the locale's style note
and the glossary entries occurring in the segment. The rest of the release (context) is
left out on purpose: a segment's draft stays a good draft when a neighbour changes, and
keying on it would pay for every segment of a release again after any edit, and for
boilerplate in every release.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from locpress.config import EngineSettings
from locpress.pretranslate.engines import (
    Cancelled,
    Engine,
    EngineError,
    Failure,
    MissingKey,
    Sleep,
    answer_bytes,
)

PROMPT_VERSION = "1"
#: Token estimate for `--dry-run` (no tokenizer can be downloaded): prompt characters / 4,
#: and the answer as the characters to translate / 2 (non-Latin scripts take about twice
#: the tokens of English) plus the JSON around each answer.
CHARS_PER_TOKEN = 4
ANSWER_TOKENS_PER_CHAR = 0.5
ANSWER_TOKENS_PER_SEGMENT = 12

_TOKEN = re.compile(r"\[X(\d+)X\]")
_TAG = re.compile(r"<\s*[xX]\s*(\d+)\s*/?\s*>")
_FENCE_INFO = re.compile(r"[A-Za-z]*")

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"translations": {"type": "array", "items": {
        "type": "object", "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
        "required": ["id", "text"], "additionalProperties": False}}},
    "required": ["translations"], "additionalProperties": False,
}


def to_tags(text: str) -> str:
    """`[X0X]` tokens as the `<x0/>` tags the model must keep."""
    return _TOKEN.sub(lambda m: f"<x{m.group(1)}/>", text)


def from_tags(text: str) -> str:
    """Tags back to tokens (also respaced or unclosed ones: `< x0 >`, `<x0>`)."""
    return _TAG.sub(lambda m: f"[X{m.group(1)}X]", text)


@dataclass(frozen=True)
class Segment:
    """One segment of a release: `source` is the masked text (tokens) when `todo`."""

    id: str
    source: str
    translation: str | None = None
    todo: bool = False
    paragraph: bool = True  # starts a paragraph: a chunk may start here
    problem: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class Entry:
    """A glossary entry that occurs in the release."""

    term: str
    target: str | None
    dnt: bool
    note: str


@dataclass(frozen=True)
class Brief:
    """Everything one release's requests carry."""

    release: str
    title: str
    segments: tuple[Segment, ...]
    glossary: tuple[Entry, ...] = ()


@dataclass
class Outcome:
    """What became of one segment to translate: an answer (tokens), or why there is none."""

    answer: str | None = None
    failure: str | None = None
    asked: int = 0


Check = Callable[[str, str], list[str]]  # (segment id, answer with tokens) -> problems
Answered = Callable[[str, str], None]  # (segment id, answer with tokens), before it is used


@dataclass
class LLMEngine(Engine):
    """An OpenAI-compatible chat-completions engine for one language pair."""

    source_name: str = ""
    target_name: str = ""
    style: str = ""
    extra_ids: int = field(default=0, init=False)

    @property
    def label(self) -> str:
        return f"{self.name} (model {self.settings.model})"

    @property
    def max_length(self) -> int:
        return 0  # segments are never split: the model sees them whole

    @property
    def cache_variant(self) -> str:
        data = [PROMPT_VERSION, self.settings.model, self.settings.temperature, self.style]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]

    def variant(self, entries: Sequence[Entry]) -> str:
        """The cache variant of a segment containing these glossary entries."""
        if not entries:
            return self.cache_variant
        data = sorted([e.term, e.target, e.dnt, e.note] for e in entries)
        return f"{self.cache_variant}:{hashlib.sha256(json.dumps(data).encode()).hexdigest()[:12]}"

    @property
    def endpoint(self) -> str:
        url = self.settings.url or ""
        base, query = url.split("?", 1) if "?" in url else (url, "")
        base = base.rstrip("/")
        if not base.endswith("/chat/completions"):
            base += "/chat/completions"
        return base + (f"?{query}" if query else "")

    # --- requests ------------------------------------------------------------------------
    def system(self) -> str:
        style = f"\nStyle for {self.target_name}: {self.style}" if self.style else ""
        return (
            f"You translate press releases from {self.source_name} ({self.source}) into {self.target_name} "
            f"({self.target}) for a press office. You get one release as JSON: its title, its segments in order, "
            "each with an id, and the glossary entries that occur in it. Translate every segment marked "
            '"translate": true; the other segments come with their existing translation as context: stay '
            "consistent with them (terms, names, register, how people are addressed).\n"
            "Rules: translate each asked segment completely, as one segment (never merge or split them). Keep "
            "every tag such as <x0/> exactly as written, as many times as in the source, where it belongs in "
            "your sentence: tags stand for links, code, addresses and names that must not change. Use the "
            "glossary's target term for each glossary term; keep do-not-translate terms as written. Keep every "
            "figure, date and number exact. A segment with \"problem\" was translated before (\"previous\") "
            "and rejected for that reason: correct it."
            f"{style}\n"
            'Answer with JSON only: {"translations": [{"id": "<id>", "text": "<translation>"}]}, one item '
            "for each segment marked translate, and nothing else.")

    def user(self, brief: Brief, segments: Sequence[Segment]) -> str:
        items: list[dict[str, Any]] = []
        for s in segments:
            if s.todo:
                item: dict[str, Any] = {"id": s.id, "text": to_tags(s.source), "translate": True}
                if s.problem:
                    item["problem"] = s.problem
                    if s.previous is not None:
                        item["previous"] = to_tags(s.previous)
            else:
                item = {"id": s.id, "text": s.source}
                if s.translation is not None:
                    item["translation"] = s.translation
            items.append(item)
        glossary = [{"term": e.term, "translation": e.term if e.dnt else (e.target or ""),
                     "do_not_translate": e.dnt, **({"note": e.note} if e.note else {})} for e in brief.glossary]
        document: dict[str, Any] = {"title": brief.title, "segments": items}
        if glossary:
            document["glossary"] = glossary
        return json.dumps(document, ensure_ascii=False, indent=1)

    def body(self, brief: Brief, segments: Sequence[Segment]) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.settings.model, "messages": [
            {"role": "system", "content": self.system()},
            {"role": "user", "content": self.user(brief, segments)}]}
        if self.settings.temperature is not None:
            body["temperature"] = self.settings.temperature
        if self.settings.max_tokens is not None:
            body["max_tokens"] = self.settings.max_tokens
        if self.settings.response_format == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "translations", "strict": True, "schema": ANSWER_SCHEMA}}
        elif self.settings.response_format == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def headers(self) -> dict[str, str]:
        if not self.key:
            return {}
        if "azure" in (self.settings.url or ""):
            return {"api-key": self.key}
        return {"Authorization": f"Bearer {self.key}"}

    def ask(self, brief: Brief, segments: Sequence[Segment]) -> dict[str, str]:
        """One request (with retries): id -> translation with tokens, for the todo segments."""
        body = self.body(brief, segments)
        todo = [s for s in segments if s.todo]
        sent = sum(len(s.source) for s in todo)
        limit = answer_bytes("x" * (sent + 40 * len(todo))) + 64 * 1024

        def attempt() -> dict[str, str]:
            self.count(sent)
            answer = self.send("POST", self.endpoint, limit, json=body, headers=self.headers())
            return parse_answer(answer.body)

        return self.retrying(attempt)

    def estimate(self, brief: Brief) -> tuple[int, int]:
        """(requests, tokens) that translating this brief would take (see CHARS_PER_TOKEN)."""
        requests = tokens = 0
        for chunk in self.chunks(brief):
            todo = [s for s in chunk if s.todo]
            prompt = json.dumps(self.body(brief, chunk), ensure_ascii=False)
            requests += 1
            tokens += math.ceil(len(prompt) / CHARS_PER_TOKEN)
            tokens += math.ceil(sum(len(s.source) for s in todo) * ANSWER_TOKENS_PER_CHAR)
            tokens += ANSWER_TOKENS_PER_SEGMENT * len(todo)
        return requests, tokens

    def chunks(self, brief: Brief) -> list[list[Segment]]:
        """The brief's segments in runs of about `chunk_chars` characters to translate, cut
        where a paragraph starts (inside a paragraph only when one is longer than that);
        runs with nothing to translate are dropped."""
        limit = self.settings.chunk_chars
        runs: list[list[Segment]] = [[]]
        size = 0
        for segment in brief.segments:
            cost = len(segment.source) if segment.todo else 0
            current = runs[-1]
            over = size + cost > limit and any(s.todo for s in current)
            if over and (segment.paragraph or size >= limit):
                runs.append([])
                size = 0
            runs[-1].append(segment)
            size += cost
        return [run for run in runs if any(s.todo for s in run)]

    # --- a release -------------------------------------------------------------------------
    def translate_release(self, brief: Brief, check: Check, answered: Answered) -> dict[str, Outcome]:
        """Translate the todo segments of a release: ask, check, ask again once what is
        missing or rejected. `answered` records each answer (the cache) before it is used.
        Raises EngineError when the engine is unusable (refused key); a chunk whose request
        fails gives its segments a failure."""
        outcomes: dict[str, Outcome] = {}
        for chunk in self.chunks(brief):
            try:
                outcomes.update(self._chunk(brief, chunk, check, answered))
            except Cancelled:  # the run stopped: keep what was answered (it is cached too)
                break
        return outcomes

    def _chunk(self, brief: Brief, chunk: list[Segment], check: Check, answered: Answered) -> dict[str, Outcome]:
        todo = {s.id: s for s in chunk if s.todo}
        outcomes = {sid: Outcome() for sid in todo}
        try:
            first = self.ask(brief, chunk)
        except Failure as failure:
            return {sid: Outcome(failure=failure.reason, asked=1) for sid in todo}
        self._extra(first, todo)
        again: dict[str, Segment] = {}
        for sid, segment in todo.items():
            outcomes[sid].asked = 1
            text = first.get(sid)
            problems = ["missing from your answer"] if text is None else check(sid, text)
            if problems:
                again[sid] = Segment(sid, segment.source, todo=True, problem="; ".join(problems), previous=text)
                outcomes[sid].answer = text
            else:
                answered(sid, text or "")
                outcomes[sid].answer = text
        if not again:
            return outcomes
        # what was answered well is context now, its tokens shown as tags
        context = [again.get(s.id) or (Segment(s.id, to_tags(s.source), to_tags(outcomes[s.id].answer or ""),
                                               paragraph=s.paragraph) if s.todo else s) for s in chunk]
        try:
            second = self.ask(brief, context)
        except (Failure, Cancelled):
            second = {}
        self._extra(second, again)
        for sid in again:
            outcomes[sid].asked = 2
            text = second.get(sid)
            if text is None:
                text = outcomes[sid].answer
            if text is None:
                outcomes[sid].failure = "missing from the model's answer, twice"
                continue
            answered(sid, text)
            outcomes[sid].answer = text
        return outcomes

    def _extra(self, answers: Mapping[str, str], asked: Mapping[str, Segment]) -> None:
        with self._lock:
            self.extra_ids += sum(1 for sid in answers if sid not in asked)


def unfenced(content: str) -> str:
    """The text inside a Markdown code fence around the whole message (```json … ```), or
    the message. A scan, not a pattern: the lazy pattern with optional white space at both
    ends that was here took minutes on an answer of ten thousand spaces."""
    text = content.strip()
    if len(text) < 6 or not text.startswith("```") or not text.endswith("```"):
        return content
    info = _FENCE_INFO.match(text, 3)
    start = info.end() if info else 3
    return text[start:len(text) - 3].strip()


def parse_answer(body: bytes) -> dict[str, str]:
    """id -> text from a chat-completions answer whose message is the JSON asked for;
    a retryable Failure when it is not (the next attempt may well be fine)."""
    try:
        data = json.loads(body.decode("utf-8"))
        choice = data["choices"][0]
        content = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        raise Failure("malformed answer (not a chat-completions JSON)", retry=True) from None
    if not isinstance(content, str):
        raise Failure("malformed answer (no message text)", retry=True)
    content = unfenced(content)
    try:
        parsed = json.loads(content)
    except ValueError:
        cut = " (cut at max_tokens)" if choice.get("finish_reason") == "length" else ""
        raise Failure(f"malformed answer: the message is not JSON{cut}", retry=True) from None
    items = parsed.get("translations") if isinstance(parsed, dict) else None
    found: dict[str, str] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("text"), str):
                found.setdefault(item["id"], item["text"])
    elif isinstance(items, dict):
        found = {k: v for k, v in items.items() if isinstance(v, str)}
    else:
        raise Failure('malformed answer: no "translations" list in the JSON', retry=True)
    return {sid: from_tags(text) for sid, text in found.items()}


def language_name(locale: str) -> str:
    try:
        return Locale.parse(locale).english_name or locale
    except (ValueError, TypeError):
        return locale


def make(name: str, settings: EngineSettings, source_locale: str, target_locale: str,
         environ: Mapping[str, str], sleep: Sleep | None = None, require_key: bool = True) -> LLMEngine:
    """The engine of an `[engines.<name>]` table with `type = "openai"`. The key is read from
    `api_key_env`, else `LOCPRESS_<NAME>_API_KEY`; a self-hosted server may need none, so
    it is required only when `api_key_env` is given."""
    variable = settings.api_key_env or f"LOCPRESS_{name.upper().replace('-', '_')}_API_KEY"
    key = environ.get(variable) or None
    if key is None and settings.api_key_env and require_key:
        raise MissingKey(f"{name}: no API key; set the environment variable {variable}")
    style = dict(settings.style)
    note = style.get(target_locale) or style.get(target_locale.split("_")[0], "")
    return LLMEngine(name, source_locale, target_locale, settings, key, sleep,
                     source_name=language_name(source_locale), target_name=language_name(target_locale),
                     style=note)


__all__ = ["Brief", "Entry", "EngineError", "LLMEngine", "Outcome", "Segment", "make", "parse_answer"]
