"""The Whoosh index on disk: schema, generations behind a `current` link, one searcher per process.

Layout: SEARCH_INDEX_DIR/current is a symlink to SEARCH_INDEX_DIR/gen-…; a rebuild fills a new
generation and swaps the link atomically, so readers never see a half-built index. The generation
before it stays behind the `previous` link, to serve from while a damaged one is rebuilt. Each
generation holds its own cursor into the database's change log (CURSOR, written after each commit).
"""
import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for

from ..core.numbers import normalize_doc_number
from .tokenizer import ChineseAnalyzer, clean_text

log = logging.getLogger(__name__)

LINK = "current"
PREVIOUS = "previous"
CURSOR = "search-cursor.json"  # not a Whoosh file name: Whoosh's clean-up leaves it alone
MAX_TEXT = 200_000  # characters of body + attachments indexed per entry


def make_schema() -> Schema:
    """The fields: id and title stored; all other text in one `content` (each field costs every query).

    Adding or renaming a field is a new schema: an index without it is rebuilt from the database
    (IndexHandle.index compares the field names), so no old index is ever read for a field it lacks.
    """
    analyzer = ChineseAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        doc_number_exact=ID,
        index_number=ID,
        content=TEXT(analyzer=analyzer),
        publisher=ID,
        category=ID(sortable=True),
        year=ID(sortable=True),
        office=ID(sortable=True),  # the publishing office's id: the 发布机关 filter and facet
        published_date=DATETIME(sortable=True),
    )


def doc_fields(doc) -> dict:
    """The index fields of one published Document (attachments' extracted text included)."""
    parts = [doc.doc_number or "", doc.keywords or "", doc.summary or "", doc.body or ""]
    parts += [a.text or "" for a in doc.attachments]
    fields = {
        "id": str(doc.id),
        "title": clean_text(doc.title or ""),
        "content": clean_text("\n".join(parts)[:MAX_TEXT]),
        "doc_number_exact": normalize_doc_number(clean_text(doc.doc_number or "")),
        "index_number": clean_text(doc.index_number or "").strip().upper(),
        "publisher": clean_text(doc.publisher or ""),
        "category": clean_text(doc.category or ""),
        "year": str(doc.year) if doc.year else "",
        "office": str(doc.office_id) if doc.office_id else "",
    }
    fields = {k: v for k, v in fields.items() if v}
    if doc.published_date:
        fields["published_date"] = datetime.combine(doc.published_date, dtime())
    return fields


@contextmanager
def file_lock(path: Path, timeout: float | None = None):
    """An exclusive cross-process lock on a file (held until the block ends); TimeoutError after `timeout` s."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        if timeout is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(f"{path} is held by another process") from None
                    time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_cursor(generation: Path) -> dict | None:
    """A generation's position in the change log, or None if it has none (built before the log)."""
    try:
        return json.loads((generation / CURSOR).read_text())
    except (OSError, ValueError):
        return None


def write_cursor(generation: Path, cursor: dict) -> None:
    """Replace a generation's cursor atomically (a crash leaves the old or the new one, never half)."""
    tmp = generation / f".{CURSOR}.{uuid.uuid4().hex[:8]}"
    with open(tmp, "w") as out:
        json.dump(cursor, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, generation / CURSOR)


class IndexHandle:
    """One index root as seen by this process: the open index and its long-lived searcher."""

    def __init__(self, root: str):
        """Remember where the index lives; open nothing yet."""
        self.root = Path(root)
        self.lock = threading.RLock()
        self.pid = os.getpid()
        self.target: str | None = None
        self.ix = None
        self.searcher_obj = None
        self.cache: dict = {}  # per-searcher data (facet keys, recent facet counts)
        self.repair_failed_at = 0.0

    def link_target(self, link: str = LINK) -> str | None:
        """The generation `current` (or `previous`) points at, or None when there is none."""
        try:
            return os.readlink(self.root / link)
        except OSError:
            return None

    def reset(self) -> None:
        """Forget the open index and searcher (after a swap, a fork or an error)."""
        with self.lock:
            if self.searcher_obj is not None:
                try:
                    self.searcher_obj.close()
                except Exception:  # a broken reader may fail to close; it is dropped anyway
                    pass
            self.ix = self.searcher_obj = self.target = None
            self.cache = {}
            self.pid = os.getpid()

    def index(self):
        """The open index of the current generation; raises if missing or unreadable."""
        with self.lock:
            target = self.link_target()
            if self.pid != os.getpid() or target != self.target or self.ix is None:
                self.reset()
                if target is None:
                    raise FileNotFoundError(f"no search index at {self.root}")
                ix = whoosh_index.open_dir(str(self.root / target))
                if sorted(ix.schema.names()) != sorted(make_schema().names()):
                    raise ValueError("search index has an older schema; it must be rebuilt")
                self.ix, self.target = ix, target
            return self.ix

    def searcher(self):
        """The long-lived searcher, refreshed when the index changed; call with self.lock held."""
        ix = self.index()
        if self.searcher_obj is not None and not self.searcher_obj.up_to_date():
            # Not Searcher.refresh(): its reader reuse keeps merged-away segments (duplicate hits).
            self.searcher_obj.close()
            self.searcher_obj = None
        if self.searcher_obj is None:
            self.searcher_obj = ix.searcher()
            self.cache = {}
        return self.searcher_obj

    def writer(self, timeout: float):
        """A writer on the current generation, waiting up to `timeout` s for other writers."""
        # Plain segment files, not compound ones: Whoosh copies a compound segment into memory
        # (BytesIO over the mmap) every time a reader opens it, i.e. after every publish.
        return self.index().writer(timeout=timeout, delay=0.05, compound=False)

    def create_generation(self):
        """A new empty generation directory with the schema; returns (name, index)."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = self.root / name
        path.mkdir()
        return name, whoosh_index.create_in(str(path), make_schema())

    def point(self, link: str, name: str) -> None:
        """Point a link (`current` or `previous`) at generation `name`, atomically."""
        tmp = self.root / f".{link}-{uuid.uuid4().hex[:8]}"
        os.symlink(name, tmp)
        os.replace(tmp, self.root / link)

    def swap(self, name: str, wait: float, keep: str | None = "") -> None:
        """Point `current` at `name`, keep `keep` (default: the one it replaces; None: none) as `previous`,
        then delete the other generations once idle."""
        old = self.link_target()
        keep = old if keep == "" else keep
        self.point(LINK, name)
        if keep and keep != name and (self.root / keep).is_dir():
            self.point(PREVIOUS, keep)
        else:
            (self.root / PREVIOUS).unlink(missing_ok=True)
            keep = None
        self.reset()
        for gen in self.root.glob("gen-*"):
            if gen.name not in (name, keep):
                self._remove_generation(gen, wait)

    def _remove_generation(self, path: Path, wait: float) -> None:
        """Delete an old generation once no writer is still committing into it."""
        lock = None
        try:
            lock = FileStorage(str(path)).lock("MAIN_WRITELOCK")
            if not try_for(lock.acquire, wait, 0.05):
                log.warning("旧检索索引 %s 仍在写入，直接删除", path.name)
                lock = None
        except Exception:  # an unreadable generation has nothing worth waiting for
            lock = None
        shutil.rmtree(path, ignore_errors=True)
        if lock is not None:
            lock.release()

    def open_generation(self, name: str):
        """A generation's index opened on its own (not the shared searcher's); raises if unreadable."""
        ix = whoosh_index.open_dir(str(self.root / name))
        if sorted(ix.schema.names()) != sorted(make_schema().names()):
            raise ValueError("search index has an older schema; it must be rebuilt")
        return ix

    def generation_readable(self, name: str | None) -> bool:
        """Whether a generation opens and reads every stored document (a cheap check, not a full scan)."""
        if not name:
            return False
        try:
            ix = self.open_generation(name)
            with ix.searcher() as searcher:
                for _ in searcher.reader().all_stored_fields():
                    pass
            return True
        except Exception:
            return False

    def is_readable(self) -> bool:
        """Whether the current generation opens and answers a trivial search."""
        try:
            with self.lock:
                self.searcher().doc_count()
            return True
        except Exception:
            self.reset()
            return False


_handles: dict[str, IndexHandle] = {}
_handles_lock = threading.Lock()


def handle_for(root: str) -> IndexHandle:
    """The process-wide handle of an index root (created on first use, never at import)."""
    key = os.path.abspath(root)
    with _handles_lock:
        handle = _handles.get(key)
        if handle is None:
            handle = _handles[key] = IndexHandle(key)
        return handle


def current_handle() -> IndexHandle:
    """The index handle of the current app."""
    return handle_for(current_app.config["SEARCH_INDEX_DIR"])


def write_timeout() -> float:
    """How long a write waits for another process's writer, in seconds."""
    return float(current_app.config.get("SEARCH_WRITE_TIMEOUT", 20.0))

