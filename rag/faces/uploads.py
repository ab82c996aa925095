"""The chat's uploads on the server: each session's files in their own folder under
``NEWSRAG_HOME/uploads`` (named by a hash of the session id), checked before they are copied,
and shown to the user by their own names, never by server paths.

Usage: ``path = stage_upload(tmp, uploads / owner_folder(session), max_mb)``;
``shown_name(skipped.where, uploads)``
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from rag.core.errors import InputError

UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".jsonl"]


def stage_upload(path: str, uploads: Path, max_mb: int) -> str:
    """Check an upload and copy it into its session's folder under its name: in one session the
    same name gives the same article id, so an edited file replaces its earlier version instead
    of adding a second; another session's file of that name is another article."""
    file = Path(path)
    if file.name.lower() in UPLOAD_TYPES:  # ".md": Python sees a hidden file with no suffix
        raise InputError(
            f"{file.name}: the file has no name before its extension; rename it "
            f"(e.g. notes{file.name.lower()}) and upload it again"
        )
    if file.suffix.lower() not in UPLOAD_TYPES:
        raise InputError(f"{file.name}: only {', '.join(UPLOAD_TYPES)} files can be added")
    if file.stat().st_size > max_mb * 1024 * 1024:
        raise InputError(f"{file.name}: larger than {max_mb} MB; split it or raise the limit")
    uploads.mkdir(parents=True, exist_ok=True)
    target = uploads / file.name
    shutil.copyfile(file, target)
    return str(target)


def owner_folder(owner: str) -> str:
    """The folder of one session's uploads: a hash of its id (the id itself never on disk)."""
    return "session-" + hashlib.sha256(owner.encode()).hexdigest()[:16]


def shown_name(where: str, uploads: Path) -> str:
    """An ingest location as the user knows it: the uploaded file's name, not server paths."""
    prefix = str(uploads) + os.sep
    if not where.startswith(prefix):
        return where
    inside = where[len(prefix) :]
    first, _, rest = inside.partition(os.sep)
    return rest if first.startswith("session-") and rest else inside
