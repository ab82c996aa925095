"""The kernel: types, errors, settings, the store, embeddings and text utilities."""
