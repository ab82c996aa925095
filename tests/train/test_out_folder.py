"""`python -m train --out DIR` outside rag/models: the card's folder gets the tokenizer the
product reads beside it, so the calibration that runs the product on the new card can load it
(it failed with "reader file missing" before)."""

from pathlib import Path

from rag.core.reader_net import load_tokenizer, models_dir
from train.__main__ import TOKENIZER, with_tokenizer


def test_a_card_written_elsewhere_gets_the_tokenizer_beside_it(tmp_path: Path) -> None:
    with_tokenizer(tmp_path)
    copied = tmp_path / TOKENIZER
    assert copied.read_bytes() == (models_dir() / TOKENIZER).read_bytes()
    assert load_tokenizer(copied).encode("Who leads the delegation?").tokens[1] == "who"
    with_tokenizer(tmp_path)  # a second run keeps it
    assert copied.is_file()
