"""The query stages: retrieve, condense, answer (extractive or LLM), ground, fall back."""
