"""Full-text search of the catalog: query, suggest, rebuild (Whoosh + rjieba), following the database.

Nothing is opened at import or in init_app; the index opens on first use. Nothing calls the index to
write: every change to an entry or its attachments logs a row in its own transaction (changes.py), and
each process's follower applies the log after its commits, at start-up and every few seconds
(worker.py, follow.py). A damaged or missing index is rebuilt in the background (repair.py) and the
dashboard shows it (index_problem). `flask reindex` rebuilds by hand.
"""
import heapq
import time
from collections import Counter
from dataclasses import dataclass, field

import click
from flask.cli import with_appcontext
from markupsafe import Markup
from sqlalchemy import func, select
from whoosh.query import Term

from ..core.inputs import parse_int
from ..extensions import db
from ..models import Attachment, Document
from . import changes, health
from . import parsing as sq
from .index import current_handle
from .repair import rebuild
from .score import Scorer, matching_docs
from .serve import run_search
from .worker import FOLLOWER, catch_up, wait_idle

__all__ = ["Hit", "SearchResults", "catch_up", "index_problem", "init_app", "query", "rebuild", "refresh",
           "reindex_command", "suggest", "wait_idle"]

@dataclass
class Hit:
    """One entry found: its id, title and snippet as safe HTML (only <mark> is markup)."""

    doc_id: int
    title_html: Markup
    snippet_html: Markup
    score: float


@dataclass
class SearchResults:
    """One page of results, facet counts over every match, and any notice for the resident."""

    total: int = 0
    page: int = 1
    per_page: int = 10
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=lambda: {"category": [], "year": [], "office": []})
    exact_id: int | None = None
    message: str = ""

    @property
    def pages(self) -> int:
        """How many pages the matches fill."""
        return max(1, -(-self.total // self.per_page))


def init_app(app) -> None:
    """Remember the settings, log every searchable change, start the follower with the first request."""
    app.config.setdefault("SEARCH_INDEX_DIR", "search-index")
    app.config.setdefault("SEARCH_WRITE_TIMEOUT", 20.0)
    app.config.setdefault("SEARCH_GAP_GRACE", 60.0)    # s a hole in the log ids is waited for
    app.config.setdefault("SEARCH_REPAIR_WAIT", 2.0)   # s a search waits for a repair that just started
    app.extensions["search"] = {"index_dir": app.config["SEARCH_INDEX_DIR"]}
    changes.listen()
    FOLLOWER.init_app(app)


def index_problem() -> health.Damage | None:
    """The damage of this host's index being repaired (or whose repair failed), for the dashboard."""
    return health.read(current_handle().root)


def refresh() -> None:
    """Bring this process's searcher up to date with the index on disk."""
    handle = current_handle()
    with handle.lock:
        try:
            handle.searcher()
        except Exception:
            handle.reset()


def _selector(category: str | None, year, office=None):
    """Tests on (category, year, office) keys: a 主题分类 (the class or any sub-class), a year, an office id."""
    category = category or ""
    year_text, office_text = _key_text(year), _key_text(office)
    in_category = lambda c: not category or c == category or c.startswith(category + "\\")  # noqa: E731
    in_year = lambda y: not year_text or y == year_text  # noqa: E731
    in_office = lambda o: not office_text or o == office_text  # noqa: E731
    return in_category, in_year, in_office


def _key_text(value) -> str:
    """A year or office id as its key text ("" for none; "-", which nothing has, for what is not a number)."""
    if value in (None, ""):
        return ""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return "-"


def _facets(keys: dict, in_category, in_year, in_office) -> tuple[dict, int]:
    """Facet counts from (category, year, office) key counts: each facet ignores its own filter."""
    cats, years, offices, total = {}, {}, {}, 0
    for (cat, yr, off), count in keys.items():
        if in_year(yr) and in_office(off) and cat:
            cats[cat] = cats.get(cat, 0) + count
        if in_category(cat) and in_office(off) and yr:
            years[yr] = years.get(yr, 0) + count
        if in_category(cat) and in_year(yr) and off:
            offices[off] = offices.get(off, 0) + count
        if in_year(yr) and in_category(cat) and in_office(off):
            total += count
    return {
        "category": sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])),
        "year": sorted(((int(y), n) for y, n in years.items()), reverse=True),
        "office": sorted(((int(o), n) for o, n in offices.items()), key=lambda kv: (-kv[1], kv[0])),
    }, total


def _run_query(searcher, cache, parsed, category, year, office, page, per_page, any_word):
    """One search: total, facets, the exact entry and the rows of the requested page."""
    exact_doc = None
    exact = sq.exact_query(parsed)
    if exact is not None:
        exact_doc = searcher.document_number(**{exact.fieldname: exact.text})
    found = _matches(searcher, cache, parsed, any_word)
    docs, pairs = found["docs"], found["pairs"]
    keys = _keys(searcher, cache)
    if exact_doc is not None and exact_doc not in docs:
        docs = docs | {exact_doc}
        pairs = pairs + Counter([keys[exact_doc]])
    in_category, in_year, in_office = _selector(category, year, office)
    facets, total = _facets(pairs, in_category, in_year, in_office)
    if category or year not in (None, "") or office not in (None, ""):
        docs = [d for d in docs if in_category(keys[d][0]) and in_year(keys[d][1]) and in_office(keys[d][2])]
    limit = page * per_page
    scorer = found["scorer"]
    top = heapq.nlargest(limit, docs, key=lambda d: (d == exact_doc, scorer.score(d)))
    rows = []
    for docnum in top[limit - per_page:]:
        stored = searcher.stored_fields(docnum)
        rows.append((int(stored["id"]), stored.get("title", ""), scorer.score(docnum)))
    exact_id = int(searcher.stored_fields(exact_doc)["id"]) if exact_doc is not None else None
    return total, facets, exact_id, rows


def _matches(searcher, cache: dict, parsed, any_word: bool) -> dict:
    """The matching documents, their (category, year, office) counts and a scorer; kept per searcher."""
    key = (tuple(parsed.terms), tuple(map(tuple, parsed.phrases)), any_word)
    recent = cache.setdefault("matches", {})
    if key in recent:
        return recent[key]
    words = list(dict.fromkeys(parsed.terms + [w for p in parsed.phrases for w in p]))
    scorer = Scorer(searcher, cache, words, sq.TERM_FIELDS, any_word)
    if parsed.phrases:  # exact phrase matching is Whoosh's; scoring stays per word
        words_only = sq.ParsedQuery(terms=parsed.terms, phrases=parsed.phrases)
        docs = matching_docs(searcher, sq.build(words_only, any_word=any_word))
    else:
        docs = scorer.docs()
    keys = _keys(searcher, cache)
    found = {"docs": docs, "pairs": Counter(map(keys.__getitem__, docs)), "scorer": scorer}
    if len(recent) >= 32:
        recent.pop(next(iter(recent)))
    recent[key] = found
    return found


def _keys(searcher, cache: dict) -> list:
    """(category, year, office) of every document number, read once per searcher."""
    keys = cache.get("keys")
    if keys is None:
        reader = searcher.reader()
        size = reader.doc_count_all()
        # A field no entry has yields a short column (an empty index none): pad, or a match raises.
        columns = ([_text(v) for v in reader.column_reader(name)] if size else []
                   for name in ("category", "year", "office"))
        keys = cache["keys"] = list(zip(*(column + [""] * (size - len(column)) for column in columns)))
    return keys


def _text(value) -> str:
    """A column value as text (Whoosh may hand back bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")


def query(q, *, category=None, year=None, office=None, page=1, per_page=10) -> SearchResults:
    """Search published entries (of one office, by its id, if given); any input gives results or an empty
    result with a message."""
    page = min(max(_int(page, 1), 1), 1000)
    per_page = min(max(_int(per_page, 10), 1), 100)
    result = SearchResults(page=page, per_page=per_page)
    parsed = sq.parse(q)
    notes = list(parsed.notes)
    if parsed.empty:
        blank = not str(q or "").strip()
        notes.append("请输入要查找的词语。" if blank else "检索词中没有可以检索的字词，请换个说法再试。")
        result.message = " ".join(notes)
        return result
    found = run_search(lambda s, c: _run_query(s, c, parsed, category, year, office, page, per_page, False))
    if found is not None and found[0] == 0 and parsed.parts > 1:
        wider = run_search(lambda s, c: _run_query(s, c, parsed, category, year, office, page, per_page, True))
        if wider is not None and wider[0]:
            found = wider
            notes.append("没有同时包含全部检索词的信息，下面是包含部分检索词的信息。")
    if found is None:
        result.message = "检索暂时不可用，请稍后再试。"
        return result
    result.total, result.facets, result.exact_id, rows = found
    result.hits = _highlight(rows, parsed.highlight_words)
    result.message = " ".join(notes)
    return result


def _int(value, default: int) -> int:
    """An integer from user input (ASCII digits, through the one parser), or the default."""
    parsed = parse_int(value, 0, 10**9)
    return default if parsed is None else parsed


def _highlight(rows, words) -> list[Hit]:
    """Hits with marked titles and snippets; texts come from the database, for this page only."""
    ids = [row[0] for row in rows]
    texts, extra = {}, {}
    if ids:
        texts = {i: f"{s or ''}\n{b or ''}" for i, s, b in db.session.execute(
            select(Document.id, Document.summary, Document.body).where(Document.id.in_(ids)))}
    snippets = {i: sq.snippet(texts.get(i, ""), words) for i in ids}
    missing = [i for i in ids if snippets[i] is None]
    if missing:  # the words may be in an attachment only
        for doc_id, text in db.session.execute(
            select(Attachment.document_id, func.substr(Attachment.text, 1, 20000))
            .where(Attachment.document_id.in_(missing))
        ):
            extra.setdefault(doc_id, []).append(text or "")
    hits = []
    for doc_id, title, score in rows:
        snippet = snippets[doc_id]
        if snippet is None and doc_id in extra:
            snippet = sq.snippet("\n".join(extra[doc_id]), words)
        if snippet is None:
            snippet = sq.lead(texts.get(doc_id, ""))
        hits.append(Hit(doc_id, sq.highlight_title(title, words), snippet, float(score)))
    return hits


def suggest(q, limit: int = 5, office=None) -> list[tuple[int, str]]:
    """Published entries (of one office, by its id, if given) whose title is close to q (or whose number q
    is): "already published?"."""
    parsed = sq.parse(q)
    limit = min(max(_int(limit, 5), 1), 20)
    if parsed.empty:
        return []
    words = sq.ParsedQuery(terms=parsed.terms, phrases=parsed.phrases)
    need = max(1, -(-len(words.highlight_words) * 3 // 5))
    office_text = _key_text(office)
    mine = {"office": office_text} if office_text else {}
    within = Term("office", office_text) if office_text else None

    def run(searcher, cache):
        out = []
        exact = sq.exact_query(parsed)
        if exact is not None:
            stored = searcher.document(**{exact.fieldname: exact.text}, **mine)
            if stored:
                out.append((int(stored["id"]), stored.get("title", "")))
        if words.parts:
            title_only = (("title", 1.0),)
            hits = searcher.search(sq.build(words, fields=title_only), limit=limit, filter=within)
            if hits.is_empty() and words.parts > 1:
                hits = searcher.search(sq.build(words, any_word=True, fields=title_only), limit=limit * 4,
                                       filter=within)
                hits = [h for h in hits if _shares(h.get("title", ""), words.highlight_words, need)]
            out += [(int(h["id"]), h.get("title", "")) for h in hits]
        return list(dict.fromkeys(out))[:limit]

    return run_search(run) or []


def _shares(title: str, words, need: int) -> bool:
    """Whether a title contains at least `need` of the words."""
    text = sq.normalize(title)[0].lower()
    return sum(1 for w in words if w in text) >= need


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """从数据库重建全文检索索引。"""
    started = time.monotonic()
    count = rebuild()
    catch_up()  # what was committed while the new generation was swapped in
    click.echo(f"检索索引已重建：共 {count} 条已发布信息，用时 {time.monotonic() - started:.1f} 秒。")
