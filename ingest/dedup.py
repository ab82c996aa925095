"""Near-duplicate articles (the same wire story under several outlets' headlines and
boilerplate): MinHash signatures of word 5-gram shingles and LSH lookup (datasketch).

Usage::

    index = NearDuplicates()
    index.add("web-1", signature(text))
    index.find(signature(other_text))   # "web-1" when their Jaccard estimate is >= 0.7

Signatures are stored with each web article (``encode`` / ``decode``) so later ingests find
duplicates among what is stored, not only within one run.
"""

from __future__ import annotations

import base64
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from rag.core.store import Store
from rag.core.types import Article, Skipped

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.7  # measured on the tests' wire copies: same story 0.8-0.95, other stories < 0.1


def signature(text: str) -> MinHash:
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode() for s in shingles])
    return m


def encode(m: MinHash) -> str:
    return base64.b64encode(np.asarray(m.hashvalues, dtype=np.uint64).tobytes()).decode()


def decode(text: str) -> MinHash:
    values = np.frombuffer(base64.b64decode(text), dtype=np.uint64)
    return MinHash(num_perm=NUM_PERM, hashvalues=values)


class NearDuplicates:
    """An LSH index of article signatures."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self.threshold = threshold

    def add(self, article_id: str, m: MinHash) -> None:
        if article_id not in self._signatures:
            self._lsh.insert(article_id, m)
            self._signatures[article_id] = m

    def find(self, m: MinHash, exclude: str = "") -> str | None:
        """The stored article most similar to ``m`` at or above the threshold, if any."""
        best, best_score = None, self.threshold
        for candidate in self._lsh.query(m):
            if candidate == exclude:
                continue
            score = m.jaccard(self._signatures[candidate])
            if score >= best_score:
                best, best_score = candidate, score
        return best


class StoryDedup:
    """Stores one wire story once: a web article whose text nearly matches a stored (or
    earlier) web article is not stored again; its outlet and URL are listed on that article.

    Usage: ``dedup = StoryDedup(store)``; ``skip = dedup.check(article)`` before writing it;
    ``dedup.signature_of(article.id)`` for its record.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = NearDuplicates()
        self._new: dict[str, str] = {}
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
        self.store.add_also(other, f"{article.source} {article.url}".strip())
        return Skipped(
            article.origin or article.url,
            f"the same story as article {other} (near-duplicate text); stored once, with this "
            "outlet and URL listed on it",
            error=False,
            duplicate=True,
        )

    def signature_of(self, article_id: str) -> str:
        return self._new.get(article_id, "")
