"""Retrieval: dense + BM25 candidates fused (fusion), read and reordered by the reader model
(rerank), capped per article (retrieve)."""
