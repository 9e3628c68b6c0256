"""Damage of the index on this host, recorded in a file every process sees (the dashboard warns from it).

A read error during a search, or a write that fails inside Whoosh, marks the generation damaged:
the first process to notice logs it at ERROR (once per generation, whichever process) and writes
SEARCH_INDEX_DIR/damage.json; the repair clears it once a rebuilt generation has caught up.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.clock import utcnow

log = logging.getLogger(__name__)

MARKER = "damage.json"


@dataclass(frozen=True)
class Damage:
    """What was found damaged, when, and whether the rebuild is running or failed."""

    generation: str
    detected_at: datetime
    error: str
    failed_at: datetime | None = None


def read(root: Path) -> Damage | None:
    """The recorded damage of an index root, or None when it is healthy."""
    try:
        data = json.loads((root / MARKER).read_text())
        failed = data.get("failed_at")
        return Damage(data["generation"], datetime.fromisoformat(data["detected_at"]), data.get("error", ""),
                      datetime.fromisoformat(failed) if failed else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(root: Path, data: dict) -> None:
    """Replace the marker atomically."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{MARKER}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(data, ensure_ascii=False))
    os.replace(tmp, root / MARKER)


def mark(root: Path, generation: str, error: BaseException) -> bool:
    """Record damage of `generation`; True (and one ERROR line) only for the first to notice it."""
    known = read(root)
    if known is not None and known.generation == generation:
        return False
    text = f"{type(error).__name__}: {error}"[:300]
    data = {"generation": generation, "detected_at": utcnow().isoformat(), "error": text}
    if known is None:  # first notice: link(2) fails if another process wrote the marker meanwhile
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".{MARKER}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps(data, ensure_ascii=False))
        try:
            os.link(tmp, root / MARKER)
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)
    else:
        _write(root, data)
    log.error("检索索引 %s 损坏（%s），正在后台从数据库重建", generation, text)
    return True


def mark_failed(root: Path) -> None:
    """The rebuild after damage failed: the dashboard asks for `flask reindex`."""
    known = read(root)
    if known is not None:
        _write(root, {"generation": known.generation, "detected_at": known.detected_at.isoformat(),
                      "error": known.error, "failed_at": utcnow().isoformat()})


def clear(root: Path) -> None:
    """The index was rebuilt and caught up: no warning any more."""
    if read(root) is not None:
        log.warning("检索索引已从数据库重建并补齐，恢复正常")
    (root / MARKER).unlink(missing_ok=True)
