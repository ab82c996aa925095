"""Near-duplicate articles (the same wire story under several outlets' headlines and
boilerplate): MinHash signatures of word 5-gram shingles and LSH lookup (datasketch).

Usage::

    index = NearDuplicates()
    index.add("web-1", signature(text))
    index.find(signature(other_text))   # "web-1" when the shorter text is mostly in the other

Outlets cut wire stories for length and add their own lines, so the test is containment (the
share of the shorter text's shingles found in the longer one, estimated from the MinHash
Jaccard and the two shingle counts), not Jaccard alone: two copies of the tests' wire story,
one cut by a paragraph and given an editor's note, have Jaccard 0.57 but containment 0.76;
unrelated stories score under 0.05.

Signatures are stored with each web article (``encode`` / ``decode``) so later ingests find
duplicates among what is stored, not only within one run.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from rag.core.store import Store
from rag.core.types import Article, Skipped

NUM_PERM = 128
SHINGLE = 5
CANDIDATE_JACCARD = 0.3  # LSH recall threshold; candidates are then checked by containment
CONTAINMENT = 0.7
SCHEME = "affine32"  # datasketch 2's hashing scheme; stored signatures name no other


@dataclass(frozen=True, slots=True)
class Signature:
    minhash: MinHash
    shingles: int


def signature(text: str) -> Signature:
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch([s.encode() for s in shingles])
    return Signature(m, len(shingles))


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller shingle set that is in the other."""
    j = a.minhash.jaccard(b.minhash)
    shared = j * (a.shingles + b.shingles) / (1.0 + j)
    return shared / max(1, min(a.shingles, b.shingles))


def encode(s: Signature) -> str:
    values = np.asarray(s.minhash.hashvalues, dtype=np.uint64).tobytes()
    return f"{s.shingles}:{base64.b64encode(values).decode()}"


def decode(text: str) -> Signature:
    count, _, data = text.partition(":")
    values = np.frombuffer(base64.b64decode(data), dtype=np.uint64)
    minhash = MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)
    return Signature(minhash, int(count))


class NearDuplicates:
    """An LSH index of article signatures."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
        self._signatures: dict[str, Signature] = {}
        self.threshold = threshold

    def add(self, article_id: str, s: Signature) -> None:
        if article_id not in self._signatures:
            self._lsh.insert(article_id, s.minhash)
            self._signatures[article_id] = s

    def find(self, s: Signature, exclude: str = "") -> str | None:
        """The stored article that contains ``s``'s text (or is contained in it) most, at or
        above the threshold, if any."""
        best, best_score = None, self.threshold
        for candidate in self._lsh.query(s.minhash):
            if candidate == exclude:
                continue
            score = containment(s, self._signatures[candidate])
            if score >= best_score:
                best, best_score = candidate, score
        return best


class StoryDedup:
    """Stores one wire story once: a web article whose text nearly matches a stored (or
    earlier) web article is not stored again; its outlet and URL are listed on that article.

    Usage: ``dedup = StoryDedup(store)``; ``skip = dedup.check(article)`` before writing it;
    ``dedup.signature_of(article.id)`` for its record; ``dedup.flush()`` after the writes.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = NearDuplicates()
        self._new: dict[str, str] = {}
        self._also: list[tuple[str, str]] = []  # (stored story, another outlet and URL)
        for article_id, text in store.signatures().items():
            self.index.add(article_id, decode(text))

    def check(self, article: Article) -> Skipped | None:
        """None when ``article`` is its own story (remembered from now on), else why not."""
        if not article.url:
            return None
        m = signature(article.text)
        other = self.index.find(m, exclude=article.id)
        if other is None:
            self.index.add(article.id, m)
            self._new[article.id] = encode(m)
            return None
        self._also.append((other, f"{article.source} {article.url}".strip()))
        return Skipped(
            article.origin or article.url,
            f"the same story as article {other} (near-duplicate text); stored once, with this "
            "outlet and URL listed on it",
            error=False,
            duplicate=True,
        )

    def flush(self) -> None:
        """List the duplicates' outlets and URLs on their stories (once those are stored)."""
        for story, entry in self._also:
            self.store.add_also(story, entry)
        self._also = []

    def signature_of(self, article_id: str) -> str:
        return self._new.get(article_id, "")
