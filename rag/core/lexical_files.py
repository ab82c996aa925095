"""How a lexical index is kept on disk: ``<folder>/<generation>.f3/`` holding ``texts.bin`` (every
chunk's text, UTF-8, in row order), ``article.npy``, ``numbers.npy``, ``offsets.npy`` (per row),
the BM25 columns (``bm25-*.npy`` and the vocabulary), and ``rows.pkl`` (chunk ids, the article
table, the format and generation), written last, so a folder without it is not an index. A build
writes into a hidden ``.<generation>.<pid>.<random>.tmp`` folder and renames it into place;
the big files are memory-mapped when read. Another process may still map the files of a
generation removed here: on Linux its mapping outlives the removal.

Usage: ``partial = begin(folder, generation)``; write ``texts.bin``; ``write(partial, generation,
rows, bm25)``; ``read_at(partial, generation)``; ``publish(partial, folder, generation)``;
``read(folder, generation)`` -> (Rows, Bm25 | None) or None
"""

from __future__ import annotations

import os
import pickle
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.core.bm25 import Bm25

FORMAT = 3  # bump when the files' layout changes
STALE_SECONDS = 3600  # an unfinished build folder older than this is left over from a crash
Article = tuple[str, str, str, str, str]  # id, title, url, published, source
_PER_ROW = ("article", "numbers", "offsets")


@dataclass(frozen=True, slots=True)
class Rows:
    """The chunks of an index, one row each, with their articles' metadata kept once."""

    ids: list[str]
    article: np.ndarray  # int32: the row's article, a position in ``articles``
    numbers: np.ndarray  # int32 (rows, 4): the chunk's index, start, end, n_tokens
    offsets: np.ndarray  # int64 (rows + 1): the row's text is texts[offsets[i]:offsets[i + 1]]
    texts: np.ndarray  # uint8: every chunk's text, UTF-8, in row order (memory-mapped if read)
    articles: list[Article]
    days: np.ndarray  # float64 per article, NaN when undated
    sources: np.ndarray  # object per article

    def __len__(self) -> int:
        return len(self.ids)

    def text(self, i: int) -> str:
        raw = self.texts[self.offsets[i] : self.offsets[i + 1]].tobytes()
        return raw.decode("utf-8", "surrogatepass")


def begin(folder: Path, generation: str) -> Path:
    """A new, empty build folder inside ``folder`` (remove it when the build fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{generation}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
    partial.mkdir()
    return partial


def write(partial: Path, generation: str, rows: Rows, bm25: Bm25 | None) -> None:
    """Write everything but ``texts.bin`` (already in ``partial``); ``rows.pkl`` last."""
    for name in _PER_ROW:
        np.save(partial / f"{name}.npy", getattr(rows, name))
    if bm25 is not None:
        bm25.save(partial)
    state = (rows.ids, rows.articles, rows.days, rows.sources)
    with (partial / "rows.pkl").open("wb") as out:  # last: its presence marks a whole index
        pickle.dump((FORMAT, generation, state), out, protocol=pickle.HIGHEST_PROTOCOL)


def publish(partial: Path, folder: Path, generation: str) -> None:
    """Move a written build into place and remove what other generations, formats and crashed
    builds left, as far as other processes doing the same at once allow: a build that cannot
    be placed (another process placed the same generation, or is removing a folder of that
    name) is simply not kept. Folders are renamed before they are removed, so a reader finds
    a whole index or none."""
    target = path(folder, generation)
    try:
        partial.rename(target)
    except OSError:
        pass  # another process's index of this generation is there (or on its way out)
    for old in list(folder.iterdir()):
        if old == target or old.name.endswith(".del"):
            continue
        try:
            if old.name.endswith(".tmp") and time.time() - _touched(old) < STALE_SECONDS:
                continue  # another process's build in progress
            if old.is_dir():
                doomed = old.with_name(f".{old.name}.{uuid.uuid4().hex}.del")
                old.rename(doomed)
                shutil.rmtree(doomed, ignore_errors=True)
            else:
                old.unlink()
        except OSError:
            continue  # another process moved or removed it first
    for doomed in folder.glob("*.del"):  # left by a process killed while removing
        if time.time() - _touched(doomed) >= STALE_SECONDS:
            shutil.rmtree(doomed, ignore_errors=True)


def _touched(build: Path) -> float:
    """When a build folder last changed: its texts file grows while the store is read."""
    try:
        return max(build.stat().st_mtime, (build / "texts.bin").stat().st_mtime)
    except FileNotFoundError:
        return build.stat().st_mtime


def read(folder: Path, generation: str) -> tuple[Rows, Bm25 | None] | None:
    """The rows and BM25 columns kept for ``generation``, or None when there are none (or they
    are unreadable, or of another format)."""
    return read_at(path(folder, generation), generation)


def read_at(where: Path, generation: str) -> tuple[Rows, Bm25 | None] | None:
    """What ``write`` left in the folder ``where`` (memory-mapped: the mapping outlives a
    rename or a removal of the folder), or None."""
    try:
        with (where / "rows.pkl").open("rb") as src:
            fmt, saved, state = pickle.load(src)
        if fmt != FORMAT or saved != generation:
            return None
        ids, articles, days, sources = state
        arrays = {n: np.load(where / f"{n}.npy") for n in _PER_ROW}
        size = (where / "texts.bin").stat().st_size
        texts = np.memmap(where / "texts.bin", np.uint8, "r") if size else np.zeros(0, np.uint8)
        bm25 = Bm25.load(where) if ids else None  # a missing file is an unreadable index
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None
    except ImportError:  # pickled by a newsrag with modules this one does not have
        return None
    rows = Rows(ids, texts=texts, articles=articles, days=days, sources=sources, **arrays)
    return rows, bm25


def path(folder: Path, generation: str) -> Path:
    return folder / f"{generation}.f{FORMAT}"
