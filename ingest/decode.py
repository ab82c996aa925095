"""Bytes of an article file to text: UTF-8 first, a stray byte replaced rather than the whole
file read in a wrong codec, a legacy encoding only for text with no UTF-8 in it.

Usage: ``text, warning = decode_text(path.read_bytes())`` (text None: no encoding fits)
"""

from __future__ import annotations

import re


def decode_text(data: bytes) -> tuple[str | None, str]:
    """The text of ``data`` and a warning ("" for clean UTF-8, with or without BOM). UTF-8 with
    a few stray bytes (it holds valid multi-byte UTF-8 too) stays UTF-8, each bad byte replaced
    by U+FFFD: a legacy codec would decode it "cleanly" into the wrong letters. Text with no
    UTF-8 in it is read in the encoding charset-normalizer finds; None when none fits."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        first = exc.start
    if _UTF8_MULTIBYTE.search(data):
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        line = data.count(b"\n", 0, first) + 1
        return text, (
            f"not valid UTF-8: {bad} stray byte{'s' if bad != 1 else ''} (the first on line "
            f"{line}) replaced with \ufffd; check the text or save the file as UTF-8"
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, ""
    return str(best), f"not UTF-8: read as {best.encoding}; check the text"


# a valid UTF-8 sequence of two to four bytes (RFC 3629)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
