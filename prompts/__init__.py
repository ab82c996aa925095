"""Prompt templates as plain files, loaded by name: ``load_prompt("refusal")``."""

from importlib.resources import files


def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.txt`` without its trailing newline."""
    return files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
