"""Matching and BM25F scoring read straight from posting blocks, without Whoosh's matcher tree.

Whoosh walks an And/Or tree of matchers in Python for every posting (several calls each), which
at 50,000 entries costs hundreds of milliseconds for common words. Here each word's postings are
read a block at a time into dicts; matching is set algebra and only matching entries get a score.
The formula is Whoosh's BM25F (K1 = 1.2, B = 0.75), so rankings agree with its own.
"""
import math

from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

K1, B = 1.2, 0.75


def term_postings(reader, fieldname: str, text: str) -> dict[int, float]:
    """docnum → term weight for the live documents holding one term."""
    out: dict[int, float] = {}
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = ()
        if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
            deleted, matcher = matcher._ids, matcher.child
        ids, weights = _leaf_items(matcher)
        if offset:
            ids = [i + offset for i in ids]
        found = dict(zip(ids, weights))
        for docnum in deleted:
            found.pop(docnum + offset, None)
        out.update(found)
    return out


def _leaf_items(matcher) -> tuple[list[int], list[float]]:
    """Ids and weights of a fresh posting matcher; whole blocks at once for Whoosh's own format."""
    ids: list[int] = []
    weights: list[float] = []
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_i")):
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids[matcher._i:])
        weights.extend(matcher._weights[matcher._i:])
        matcher._next_block()
    return ids, weights


def matching_docs(searcher, q) -> set[int]:
    """Document numbers matching any Whoosh query, unscored (set algebra for Term/And/Or)."""
    if type(q) is wq.Term:
        return set(term_postings(searcher.reader(), q.fieldname, q.text))
    if type(q) is wq.Or:
        return set().union(*(matching_docs(searcher, sub) for sub in q.subqueries))
    if type(q) is wq.And:
        sets = sorted((matching_docs(searcher, sub) for sub in q.subqueries), key=len)
        return sets[0].intersection(*sets[1:]) if sets else set()
    return set(searcher.docs_for_query(q))


class Scorer:
    """Words to match in weighted fields: all of them (AND) or any (OR)."""

    def __init__(self, searcher, cache: dict, words: list[str], fields, any_word: bool):
        """Read every (word, field) posting list once."""
        self.reader = searcher.reader()
        self.lengths = cache.setdefault("lengths", {})
        total = max(1, self.reader.doc_count_all())
        self.parts = []  # per word: [(field, boost × idf, average length, postings)]
        for word in words:
            per_field = []
            for field, boost in fields:
                postings = term_postings(self.reader, field, word)
                if postings:
                    idf = math.log(total / (len(postings) + 1)) + 1
                    avg = self.reader.field_length(field) / total or 1.0
                    per_field.append((field, boost * idf, avg, postings))
            self.parts.append(per_field)
        self.any_word = any_word
        self.memo: dict[int, float] = {}

    def docs(self) -> set[int]:
        """The matching document numbers."""
        per_word = [set().union(*(p[3] for p in fields)) for fields in self.parts]
        if not per_word:
            return set()
        if self.any_word:
            return set().union(*per_word)
        per_word.sort(key=len)
        return per_word[0].intersection(*per_word[1:])

    def _length(self, field: str, docnum: int) -> float:
        """A document's field length, cached for the life of the searcher."""
        cached = self.lengths.setdefault(field, {})
        value = cached.get(docnum)
        if value is None:
            value = cached[docnum] = self.reader.doc_field_length(docnum, field) or 1
        return value

    def score(self, docnum: int) -> float:
        """BM25F of one document (remembered: pages of one query score the same documents)."""
        known = self.memo.get(docnum)
        if known is not None:
            return known
        total = 0.0
        for fields in self.parts:
            for field, weight, avg, postings in fields:
                tf = postings.get(docnum)
                if tf:
                    norm = K1 * ((1 - B) + B * self._length(field, docnum) / avg)
                    total += weight * tf * (K1 + 1) / (tf + norm)
        self.memo[docnum] = total
        return total
