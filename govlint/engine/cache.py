"""The result cache, as ruff keeps one: a file's result is stored under a key made of its content,
its path, govlint's own code and version, the settings and every rule as loaded, so that a
change to any of them is a miss, never a stale result.

The entries of the files of one folder are kept together in one file (a shard), read once per
run: its results, and what each file's bytes were when they were last read — their digest and
the file's size, times and inode. A file whose status is the same as
then is not read again to be hashed (as git's index tells an unchanged file), unless it changed
too close to that reading for its times to tell a later change apart ("racy", as git calls it).
A shard holds one folder under one set of settings (as ruff keeps one cache per package and
settings). It is written anew, atomically, only when something in it changed: a file's new entry
replaces its older ones, and what was not used for KEEP_DAYS days (files no longer checked)
goes. A shard that cannot be read back is an empty one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

import govlint

DEFAULT_FOLDER = ".govlint_cache"
FORMAT = "3"
"""Bumped when what is stored changes shape."""
KEEP_DAYS = 7
"""An entry (or a file's status) not used for this many days is dropped when its shard is next
written (a shard that does not change is not written for it)."""
HELD_ENTRIES = 50_000
"""Files and entries whose shards are held at once (a few tens of MB at most); past that the
least recently used shard is written (when changed) and let go."""
OPEN_SHARDS = 64
"""Shards whose files are held open at once; past that the least recently used one is closed,
and opened again when it is read (when it is still the file that was loaded)."""
_MAGIC = b"govlint-shard-3\n"
_FOOTER = 8
"""The index's offset, at the end of a shard."""
_FINE_MARGIN = 100_000_000
_COARSE_MARGIN = 2_000_000_000
"""How long (ns) after a file's last change a reading of it must be, for the file's times to tell
any later change apart: a tenth of a second where times have sub-millisecond digits, two seconds
where they are whole milliseconds or coarser (FAT keeps even seconds)."""


def digest(parts: Iterable[bytes]) -> str:
    """SHA-256 of the parts, each length-prefixed so that no two sequences collide."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()


def content_digest(data: bytes) -> str:
    """The digest of a file's bytes, under which its result is keyed."""
    return hashlib.sha256(data).hexdigest()


@cache
def code_digest() -> str:
    """Digest of govlint's own source and data files, each by its name, size and modification
    time (as Python's own bytecode cache tells a changed source): a changed mechanism or template
    is a miss even when the version number stays the same."""
    root = Path(govlint.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".toml", ".html", ".j2"})
    stamps = ((p, p.stat()) for p in files)
    return digest(f"{p.relative_to(root)}:{s.st_size}:{s.st_mtime_ns}".encode() for p, s in stamps)


def _make_root(folder: Path) -> None:
    """The cache folder, marked as one that version control and backups pass over."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("# Created by govlint.\n*\n", encoding="utf-8")
    (folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n", encoding="utf-8")


class Known(NamedTuple):
    """What a file's bytes were when it was last read."""

    status: tuple[int, int, int, int, int]
    """Its size, modification and change times, inode and device, taken before the reading."""
    content: str
    """The digest of its bytes."""
    read_at: int
    """When it was read (ns since the epoch)."""
    day: int
    """The day it was last met (days since the epoch)."""


class _Entry(NamedTuple):
    offset: int
    length: int
    day: int
    """The day it was last used."""
    owner: str
    """The file (or the pair of files) whose result it is: a new entry of the same owner
    supersedes it."""


def _status(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _still(known: Known, info: os.stat_result) -> bool:
    """Whether a file is surely as it was when read: the same status, and read long enough after
    its last change that a change since would show in its times."""
    changed = max(info.st_mtime_ns, info.st_ctime_ns)
    margin = _COARSE_MARGIN if info.st_mtime_ns % 1_000_000 == 0 else _FINE_MARGIN
    return known.status == _status(info) and known.read_at - changed > margin


def _pread(handle: int, length: int, offset: int) -> bytes:
    """`length` bytes at `offset` of an open file (Windows has no `os.pread`)."""
    if hasattr(os, "pread"):
        return os.pread(handle, length, offset)
    os.lseek(handle, offset, os.SEEK_SET)
    return os.read(handle, length)


def now() -> int:
    """The time (ns since the epoch) a file is read at."""
    return time.time_ns()


def _today() -> int:
    return int(time.time() // 86400)


class _Shard:
    """The entries of one folder's files: the index held, the values read from the file when
    asked for; new values written straight to the shard's next version."""

    def __init__(self, path: str, root: Path) -> None:
        self.path, self.root = path, root
        self.files: dict[str, Known] = {}
        self.entries: dict[str, _Entry] = {}
        self.used: set[str] = set()
        """Keys of entries read in this run."""
        self.met: set[str] = set()
        """Files whose status was looked at in this run."""
        self.changed = False
        self._handle: int | None = None
        self._identity: tuple[int, int, int, int] | None = None
        """The loaded file's inode, device, size and modification time: when it is opened again
        and another run has replaced it since, its entries are not these."""
        self._next: str | None = None
        """The shard's next version, being written (a temporary file beside it)."""
        self._written: dict[str, tuple[int, int, str]] = {}
        """Entries already in the next version: (offset, length, owner)."""
        self._size = 0
        self._load()

    def _load(self) -> None:
        try:
            self._identity = self._open()
            size = self._identity[2]
            if self._read(0, len(_MAGIC)) != _MAGIC:  # nothing else is unpickled
                raise ValueError(self.path)
            start = int.from_bytes(self._read(size - _FOOTER, _FOOTER), "big")
            files, entries = pickle.loads(self._read(start, size - _FOOTER - start))
            if not isinstance(files, dict) or not isinstance(entries, dict):
                raise ValueError(self.path)
            self.files = {name: Known(*known) for name, known in files.items()}
            self.entries = {key: _Entry(*entry) for key, entry in entries.items()}
        except Exception:  # noqa: BLE001 — a missing, truncated or foreign shard is an empty one
            self.files, self.entries = {}, {}

    @property
    def size(self) -> int:
        """How many files and entries the shard holds."""
        return len(self.files) + len(self.entries) + len(self._written)

    @property
    def open(self) -> bool:
        return self._handle is not None

    def close(self) -> None:
        """Close the shard's file (its index is kept)."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None

    def _open(self) -> tuple[int, int, int, int]:
        """Open the shard's file; its identity (inode, device, size, modification time)."""
        self._handle = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        info = os.fstat(self._handle)
        return info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns

    def _read(self, offset: int, length: int) -> bytes:
        if self._handle is None:
            if self._identity is None:
                raise ValueError(self.path)
            if self._open() != self._identity:
                self.close()
                self._identity = None
                raise ValueError(self.path)
        assert self._handle is not None
        data = _pread(self._handle, length, offset) if length >= 0 and offset >= 0 else b""
        if len(data) != length:
            raise ValueError(self.path)
        return data

    def __contains__(self, key: str) -> bool:
        return key in self.entries or key in self._written

    def get(self, key: str) -> bytes | None:
        if key in self._written and self._next is not None:
            offset, length, _ = self._written[key]
            try:
                with open(self._next, "rb") as handle:
                    handle.seek(offset)
                    return handle.read(length)
            except OSError:
                return None
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            data = self._read(entry.offset, entry.length)
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return data

    def put(self, key: str, data: bytes, owner: str) -> None:
        """Write a value to the shard's next version (a folder that cannot be written only costs
        the speed-up)."""
        self.changed = True
        self.entries.pop(key, None)
        with contextlib.suppress(OSError):
            if self._next is None:
                self._start()
            assert self._next is not None
            with open(self._next, "ab") as out:
                out.write(data)
            self._written[key] = (self._size, len(data), owner)
            self._size += len(data)

    def _start(self) -> None:
        if not self.root.is_dir():
            _make_root(self.root)
        folder = os.path.dirname(self.path)
        os.makedirs(folder, exist_ok=True)
        handle, self._next = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC)
        self._size = len(_MAGIC)

    def save(self) -> None:
        """Write the shard anew when something in it changed, then let go of it. It keeps the
        entries written or used in this run, and those of other owners used within KEEP_DAYS
        (files not checked in this run); an owner's older entries (its earlier contents) go."""
        try:
            if self.changed:
                self._save()
        except OSError:
            pass
        finally:
            if self._next is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self._next)
            self.close()
            self._next = None

    def _save(self) -> None:
        today = _today()
        if self._next is None:
            self._start()
        assert self._next is not None
        entries = {key: (offset, length, today, owner) for key, (offset, length, owner) in self._written.items()}
        current = {owner for _, _, owner in self._written.values()} | {self.entries[key].owner for key in self.used}
        with open(self._next, "ab") as out:
            for key, entry in self.entries.items():
                used = key in self.used
                if used or (entry.owner not in current and today - entry.day <= KEEP_DAYS):
                    try:
                        data = self._read(entry.offset, entry.length)
                    except (OSError, ValueError):  # the file was replaced or removed by another run
                        continue
                    entries[key] = (self._size, entry.length, today if used else entry.day, entry.owner)
                    self._size += out.write(data)
            files = {name: tuple(known._replace(day=today) if name in self.met else known)
                     for name, known in self.files.items() if name in self.met or today - known.day <= KEEP_DAYS}
            out.write(pickle.dumps((files, entries), protocol=pickle.HIGHEST_PROTOCOL))
            out.write(self._size.to_bytes(_FOOTER, "big"))
        self.close()  # Windows replaces no file that is open
        os.replace(self._next, self.path)
        self._next = None


class Cache:
    """Results stored under `folder`, in a shard per folder of inputs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._shards: OrderedDict[tuple[str, str], _Shard] = OrderedDict()
        """Held shards by their folder and scope, the least recently used first."""
        self._open: OrderedDict[str, _Shard] = OrderedDict()
        """Shards whose file is open, by their path, the least recently opened first."""
        self._last: tuple[tuple[str, str], _Shard] | None = None
        """The folder last asked for, as a name gave it, and its shard (files come folder by folder)."""
        self._held = 0
        """Files and entries in the held shards."""
        self._folders: dict[str, str] = {}
        """Each folder as a name gives it, made absolute."""
        self._today = _today()

    def _shard(self, name: str, scope: str, given: str | None = None) -> _Shard:
        """The shard of the folder a file is in (`given`: that folder as the name gives it),
        under the settings `scope` stands for (as ruff keeps a cache per package and settings),
        loaded when first asked for."""
        given = os.path.dirname(name) if given is None else given
        if self._last is not None and self._last[0] == (given, scope):
            return self._last[1]
        folder = self._folders.get(given)
        if folder is None:
            folder = self._folders[given] = os.path.dirname(os.path.abspath(name))
        shard = self._shards.get((folder, scope))
        if shard is None:
            key = digest([folder.encode("utf-8", "surrogateescape"), scope.encode()])
            shard = self._shards[folder, scope] = _Shard(os.path.join(self.folder, FORMAT, key[:2], key), self.folder)
            self._grew(shard.size)
            self._opened(shard)
        else:
            self._shards.move_to_end((folder, scope))
        self._last = (given, scope), shard
        return shard

    def _opened(self, shard: _Shard) -> None:
        """Note a shard whose file was opened; close the least recently opened past OPEN_SHARDS
        (files come folder by folder)."""
        if shard.open:
            self._open[shard.path] = shard
            self._open.move_to_end(shard.path)
            if len(self._open) > OPEN_SHARDS:
                self._open.popitem(last=False)[1].close()

    def _grew(self, items: int) -> None:
        """Count files or entries added to the held shards; let the least recently used shards go
        while there are too many (never the one in use, the most recent)."""
        self._held += items
        while len(self._shards) > 1 and self._held > HELD_ENTRIES:
            self._let_go(next(iter(self._shards)))

    def _let_go(self, place: tuple[str, str]) -> None:
        self._last = None
        shard = self._shards.pop(place)
        self._open.pop(shard.path, None)
        self._held -= shard.size
        shard.save()

    def content(self, name: str, scope: str) -> str | None:
        """The digest of a file's bytes: as last read when the file is surely unchanged since,
        else read now; None when it is not a file that can be read."""
        try:
            info = os.stat(name)
            given, base = os.path.split(name)
            shard = self._shard(name, scope, given)
            known = shard.files.get(base)
            if known is not None and _still(known, info):
                shard.met.add(base)
                return known.content
            read_at = now()
            with open(name, "rb") as handle:
                content = content_digest(handle.read())
        except (OSError, ValueError):  # ValueError: a name with a NUL
            return None
        shard.files[base], shard.changed = Known(_status(info), content, read_at, self._today), True
        shard.met.add(base)
        self._grew(known is None)
        return content

    def has(self, name: str, scope: str, key: str) -> bool:
        """Whether an entry is stored under the key, in the shard of `name`'s folder (it may
        still turn out unreadable)."""
        return key in self._shard(name, scope)

    def get(self, name: str, scope: str, key: str) -> object | None:
        """The stored value, or None when there is none or it cannot be read back."""
        shard = self._shard(name, scope)
        was_open = shard.open
        data = shard.get(key)
        if not was_open:
            self._opened(shard)
        try:
            return None if data is None else pickle.loads(data)
        except Exception:  # noqa: BLE001 — a truncated or foreign entry is a miss
            return None

    def put(self, name: str, scope: str, key: str, value: object, owner: str | None = None) -> None:
        """Store a value in the shard of `name`'s folder, as the result of `owner` (by default
        the file itself)."""
        shard = self._shard(name, scope)
        new = key not in shard
        shard.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), name if owner is None else owner)
        self._grew(new)

    def save(self) -> None:
        """Write every changed shard (at the end of a run, or when it is cut short)."""
        while self._shards:
            self._let_go(next(iter(self._shards)))
