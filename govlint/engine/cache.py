"""The result cache, as ruff keeps one: a file's result is stored under a key made of its content,
its path, govlint's own code and version, the settings and every rule as loaded, so that a
change to any of them is a miss, never a stale result. Entries are written atomically; one that
cannot be read back is a miss."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import govlint

DEFAULT_FOLDER = ".govlint_cache"
FORMAT = "2"
"""Bumped when what is stored changes shape."""


def digest(parts: Iterable[bytes]) -> str:
    """SHA-256 of the parts, each length-prefixed so that no two sequences collide."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()


@cache
def code_digest() -> str:
    """Digest of govlint's own source and data files, each by its name, size and modification
    time (as Python's own bytecode cache tells a changed source): a changed mechanism or template
    is a miss even when the version number stays the same."""
    root = Path(govlint.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".toml", ".html", ".j2"})
    stamps = ((p, p.stat()) for p in files)
    return digest(f"{p.relative_to(root)}:{s.st_size}:{s.st_mtime_ns}".encode() for p, s in stamps)


class Cache:
    """Results stored as files under `folder`, one per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries = os.path.join(folder, FORMAT)

    def _entry(self, key: str) -> str:
        """Where the entry of a key is (a string: a batch asks for thousands)."""
        return os.path.join(self._entries, key[:2], key)

    def has(self, key: str) -> bool:
        """Whether an entry is stored under the key (it may still turn out unreadable)."""
        return os.path.isfile(self._entry(key))

    def get(self, key: str) -> object | None:
        """The stored value, or None when there is none or it cannot be read back."""
        try:
            with open(self._entry(key), "rb") as handle:
                value: object = pickle.load(handle)
                return value
        except Exception:  # noqa: BLE001 — a missing, truncated or foreign entry is a miss
            return None

    def put(self, key: str, value: object) -> None:
        """Store a value; a folder that cannot be written only costs the speed-up."""
        entry = self._entry(key)
        with contextlib.suppress(OSError):
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / ".gitignore").write_text("# Created by govlint.\n*\n", encoding="utf-8")
                (self.folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n",
                                                          encoding="utf-8")
            os.makedirs(os.path.dirname(entry), exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(entry), prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, entry)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
