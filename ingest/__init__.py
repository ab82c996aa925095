"""From "a path or corpus" to "chunks in the store": sources -> clean -> chunk -> index."""
