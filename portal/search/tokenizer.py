"""Chinese analysis for Whoosh: rjieba segmentation with consecutive positions.

Whoosh pickles the analyzer into the index, so these classes must stay importable here.

Positions. Each word of rjieba's default (precise) segmentation takes the next position, so a
phrase query such as "依申请公开" (依/申请/公开) matches. At index time a long word is also split
into the dictionary words that tile it (中华人民共和国政府 → 中华/人民/共和国/政府), and those
sub-words share the long word's position, like synonyms: "政府信息公开" then still matches as a
phrase, and a search for 政府 finds the long word. Sub-words are taken as a left-to-right tiling
of rjieba's search-mode words, not all of them, so straddling pairs (人民政府 → 民政) never match.
Queries are segmented in precise mode only, so they never carry sub-words.

Stopwords (的/了/和…) and punctuation are dropped before positions are numbered, on both sides,
so "工作的通知" and "工作通知" are the same phrase. Character offsets (chars=True) refer to
clean_text(value): highlight cleaned text.
"""
import re
import unicodedata

import rjieba
from whoosh.analysis import LowercaseFilter, Token, Tokenizer

STOPWORDS = frozenset("的 了 和 与 及 或 之 等 而 其".split())


_UNWANTED = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def clean_text(text: str) -> str:
    """Drop lone surrogates, control and invisible format characters, which cannot be indexed."""
    return _UNWANTED.sub("", text)


def normalize(text: str) -> tuple[str, list[int] | None]:
    """NFKC-normalise text; return it with a map from its offsets to the original's (None if 1:1)."""
    norm = unicodedata.normalize("NFKC", text)
    if len(norm) == len(text):
        return norm, None
    parts, offsets = [], []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch)
        parts.append(piece)
        offsets.extend([i] * len(piece))
    return "".join(parts), offsets


def _is_word(word: str) -> bool:
    """Whether a segment carries meaning: not whitespace, punctuation or a stopword."""
    if word.isalnum():
        return word not in STOPWORDS
    return any(ch.isalnum() for ch in word)


def _tile(parent: tuple[str, int, int], subwords: list[tuple[str, int, int]]) -> list:
    """Pick the longest sub-word at each offset, left to right, so the picks tile the parent."""
    starts: dict[int, tuple[str, int, int]] = {}
    for word in subwords:
        best = starts.get(word[1])
        if best is None or word[2] > best[2]:
            starts[word[1]] = word
    tiles, at = [], parent[1]
    while at < parent[2]:
        word = starts.get(at)
        if word is None:
            at += 1
        else:
            tiles.append(word)
            at = word[2]
    return tiles


def segment(text: str, subwords: bool) -> list[tuple[str, int, int, bool]]:
    """Return (word, start, end, is_subword) in order; sub-words follow their parent word."""
    if not subwords:
        return [(w, s, e, False) for w, s, e in rjieba.tokenize(text)]
    # Search mode yields the precise words, each long one just after its dictionary sub-words
    # (all lying inside its span): walking backwards, a word inside the last top word is a sub-word.
    groups: list[tuple[tuple[str, int, int], list]] = []
    for word in reversed(rjieba.tokenize(text, mode="search")):
        if groups and word[1] >= groups[-1][0][1] and word[2] <= groups[-1][0][2]:
            groups[-1][1].append(word)
        else:
            groups.append((word, []))
    out: list[tuple[str, int, int, bool]] = []
    for parent, inside in reversed(groups):
        out.append((parent[0], parent[1], parent[2], False))
        if inside:
            out.extend((w, s, e, True) for w, s, e in _tile(parent, inside))
    return out


class ChineseTokenizer(Tokenizer):
    """Segment Chinese (and mixed) text with rjieba; positions are consecutive per word."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        """Yield Whoosh tokens; sub-words only when indexing (mode "index")."""
        text, offsets = normalize(clean_text(value) if value else "")
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            words = [(text, 0, len(text), False)]
        else:
            words = segment(text, subwords=(mode == "index"))
        pos = start_pos - 1
        for word, start, end, is_sub in words:
            if not _is_word(word):
                continue
            if not is_sub:
                pos += 1
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                if offsets is not None:
                    start, end = offsets[start], offsets[end - 1] + 1
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def ChineseAnalyzer():
    """The analyzer for Chinese text fields: rjieba words, lowercased."""
    return ChineseTokenizer() | LowercaseFilter()
