"""Turning what a resident typed into a Whoosh query, and marking the words found in a text.

User input is words, never Whoosh syntax: only "quoted phrases" keep a meaning.
"""
import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh import query as wq

from ..core.numbers import looks_like_doc_number, looks_like_index_number, normalize_doc_number
from .tokenizer import ChineseAnalyzer, clean_text, normalize

MAX_CHARS = 200
MAX_WORDS = 16
# Field → boost: a word in the title counts most.
TERM_FIELDS = (("title", 3.0), ("content", 1.0))

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_OPERATORS = re.compile(
    r"(?<![A-Za-z])(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?![A-Za-z])|&&|\|\||\b[A-Za-z_]+:(?=\S)"
)
_SYNTAX_CHARS = re.compile(r"[*?^~(){}\[\]!+]")

_analyzer = None


def analyzer():
    """The query-side analyzer (built on first use)."""
    global _analyzer
    if _analyzer is None:
        _analyzer = ChineseAnalyzer()
    return _analyzer


def words_of(text: str) -> list[str]:
    """The searchable words of a text, in order, without repeats (query-mode segmentation)."""
    seen: dict[str, None] = {}
    for token in analyzer()(text, mode="query"):
        seen.setdefault(token.text, None)
    return list(seen)


@dataclass
class ParsedQuery:
    """What a query string asks for."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    doc_number: str = ""
    index_number: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to search for."""
        return not (self.terms or self.phrases or self.doc_number or self.index_number)

    @property
    def parts(self) -> int:
        """How many words and phrases must match in AND mode."""
        return len(self.terms) + len(self.phrases)

    @property
    def highlight_words(self) -> frozenset:
        """Every word to mark in titles and snippets."""
        return frozenset(self.terms).union(*self.phrases)


def parse(raw) -> ParsedQuery:
    """Read a query string of any content; never raises."""
    parsed = ParsedQuery()
    text = unicodedata.normalize("NFKC", clean_text(str(raw or ""))).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        parsed.notes.append(f"检索词过长，只按前 {MAX_CHARS} 个字检索。")
    if looks_like_doc_number(text):
        parsed.doc_number = normalize_doc_number(text)
    elif looks_like_index_number(text):
        parsed.index_number = text.strip().upper()
    quoted = []

    def take(match):
        quoted.append(next(g for g in match.groups() if g is not None))
        return " "

    rest = _QUOTED.sub(take, text)
    if any(q in rest for q in '"“”「」'):
        parsed.notes.append("引号不成对，已按普通词语检索。")
    if not (parsed.doc_number or parsed.index_number):
        stripped = _OPERATORS.sub(" ", rest)
        if stripped != rest or _SYNTAX_CHARS.search(stripped):
            parsed.notes.append("检索式中的运算符和符号已忽略，按普通词语检索。")
        rest = stripped
    terms = words_of(rest)
    for chunk in quoted:
        words = words_of(chunk)
        if len(words) == 1:
            terms.append(words[0])
        elif words and words not in parsed.phrases:
            parsed.phrases.append(words)
    parsed.terms = list(dict.fromkeys(terms))
    if parsed.parts > MAX_WORDS:
        parsed.terms = parsed.terms[: max(0, MAX_WORDS - len(parsed.phrases))]
        parsed.phrases = parsed.phrases[:MAX_WORDS]
        parsed.notes.append(f"检索词较多，只按前 {MAX_WORDS} 个词检索。")
    return parsed


def build(parsed: ParsedQuery, *, any_word: bool = False, fields=TERM_FIELDS):
    """The Whoosh query: every word and phrase (or any of them), plus the exact number if given."""
    parts = [wq.Or([wq.Term(f, t, boost=b) for f, b in fields]) for t in parsed.terms]
    parts += [wq.Or([wq.Phrase(f, p, boost=b) for f, b in fields]) for p in parsed.phrases]
    words = None
    if parts:
        words = parts[0] if len(parts) == 1 else (wq.Or(parts) if any_word else wq.And(parts))
    exact = exact_query(parsed)
    if exact is None:
        return words
    return exact if words is None else wq.Or([exact, words])


def exact_query(parsed: ParsedQuery):
    """A term query for the 发文字号 or 索引号 the whole query is, if it is one."""
    if parsed.doc_number:
        return wq.Term("doc_number_exact", parsed.doc_number, boost=1000.0)
    if parsed.index_number:
        return wq.Term("index_number", parsed.index_number, boost=1000.0)
    return None


def find_marks(text: str, words: frozenset, start: int = 0, end: int | None = None) -> list:
    """(start, end) spans of text[start:end] whose segmented words are among `words`, merged."""
    end = len(text) if end is None else end
    spans = []
    for token in analyzer()(text[start:end], chars=True, mode="index"):
        if token.text in words:
            spans.append((start + token.startchar, start + token.endchar))
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [tuple(m) for m in merged]


def render_marks(text: str, spans: list, start: int = 0, end: int | None = None) -> Markup:
    """Escape text[start:end] and wrap the spans in <mark>: the only markup in the result."""
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in spans:
        out.append(escape(text[at:s]))
        out.append(Markup("<mark>%s</mark>") % text[s:e])
        at = e
    out.append(escape(text[at:end]))
    return Markup("").join(out)


def highlight_title(title: str, words: frozenset) -> Markup:
    """The whole title, escaped, with the query's words marked."""
    title = clean_text(title or "")
    return render_marks(title, find_marks(title, words) if words else [])


def _occurrences(text: str, words: frozenset, per_word: int = 12) -> list[tuple[int, str]]:
    """Candidate (offset, word) places of the words in text, found by plain substring search."""
    norm, offsets = normalize(text)
    lower = norm.lower()
    if len(lower) != len(norm):
        lower = norm
    found = []
    for word in words:
        at, n = lower.find(word), 0
        while at >= 0 and n < per_word:
            found.append((offsets[at] if offsets else at, word))
            at, n = lower.find(word, at + len(word)), n + 1
    return sorted(found)


def snippet(text: str, words: frozenset, width: int = 120) -> Markup | None:
    """The window of about `width` characters holding the most query words, marked; None if none."""
    text = clean_text(text or "")
    places = _occurrences(text, words) if words else []
    windows = {}
    for offset, _ in places:
        start = max(0, offset - width // 6)
        if start not in windows:
            inside = {w for o, w in places if start <= o < start + width}
            windows[start] = (len(inside), -start, offset)
    # A substring may sit across two words (民政 in 人民政府): try the next window then.
    for count, minus_start, first in sorted(windows.values(), reverse=True)[:4]:
        start = -minus_start
        end = min(len(text), start + width)
        cut = max(text.rfind(stop, start, first) for stop in "。；！？\n")
        if cut >= 0:
            start = cut + 1
        spans = find_marks(text, words, start, end)
        if spans:
            html = render_marks(text, spans, start, end)
            return Markup("%s%s%s") % ("…" if start > 0 else "", html, "…" if end < len(text) else "")
    return None


def lead(text: str, width: int = 120) -> Markup:
    """The beginning of a text, escaped, for entries whose match is not in the text shown."""
    text = " ".join(clean_text(text or "").split())
    return escape(text[:width]) + ("…" if len(text) > width else "")
