"""Find the dump files under the given paths and decode their bytes to text."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.paths import display_path

# In a directory, only files with these suffixes are read; others are skipped with a warning.
# A file named explicitly is read whatever its suffix: its layout is detected from its content.
DUMP_SUFFIXES = frozenset({"", ".txt", ".jsonl", ".ndjson", ".csv", ".tsv", ".bib", ".bibtex"})
FALLBACK_ENCODING = "cp1252"
_BINARY_PROBE = 8192
_STRAY_BYTES = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as surrogateescape
_HAS_UTF8_SEQUENCE = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")  # a decoded non-ASCII char


@dataclass(frozen=True)
class InputFile:
    """A file to read; `explicit` when it was named on the command line (not found in a folder)."""

    path: Path
    name: str  # display path: relative to the working directory
    explicit: bool


@dataclass(frozen=True)
class DecodedText:
    text: str  # newlines normalized to "\n", BOM removed
    encoding: str
    warning: str | None = None
    warning_line: int | None = None


def collect_files(paths: Sequence[Path]) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Files to read (sorted by display path, each once) and (file, reason) of skipped ones."""
    found: dict[Path, InputFile] = {}
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for child in sorted(path.rglob("*")):
                if _hidden(child.relative_to(path)):
                    continue
                if child.is_symlink() and not child.resolve().is_relative_to(root):
                    skipped.append((_link_name(child), _outside_reason(child, path)))
                    continue
                if not child.is_file():
                    continue
                if child.suffix.lower() not in DUMP_SUFFIXES:
                    skipped.append((source_name(child), _skip_reason(child)))
                    continue
                found.setdefault(child.resolve(), InputFile(child, source_name(child), False))
        elif path.is_file():
            found[path.resolve()] = InputFile(path, source_name(path), True)
        else:
            raise InputError(
                "no such file or directory — pass dump files or folders that contain them",
                file=source_name(path),
            )
    files = sorted(found.values(), key=lambda item: item.name)
    return files, sorted(set(skipped))


def source_name(path: Path) -> str:
    """How a file is named in sources and messages: relative to the working directory, even
    outside it ('../shared/dumps/a.txt'), so outputs never hold absolute, machine-specific paths.
    """
    name = display_path(path)
    if not Path(name).is_absolute():
        return name
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return name


def decode(data: bytes, file: str) -> DecodedText:
    """Text of a dump: UTF-8 (BOM allowed) or UTF-16 with BOM; else cp1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(_newlines(data.decode("utf-16")), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason}) "
                "— re-save the file as UTF-8",
                file=file,
            ) from None
    nul = data.find(b"\x00", 0, _BINARY_PROBE)
    if nul >= 0:
        raise InputError(
            "binary file (NUL byte), not a text dump — remove it from the inputs or "
            "export the listing as text",
            file=file,
            line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        return DecodedText(_newlines(data.decode("utf-8-sig")), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if not _HAS_UTF8_SEQUENCE.search(text):
        return _legacy(data, first_bad)
    # UTF-8 with a few stray bytes (one pasted cp1252 'é'): only those bytes are guessed.
    places = [match.start() for match in _STRAY_BYTES.finditer(text)]
    repaired = _STRAY_BYTES.sub(_stray_as_cp1252, text)
    more = f" and {len(places) - 1} more place(s)" if len(places) > 1 else ""
    warning = (
        f"not valid UTF-8 (byte 0x{data[first_bad]:02x}{more}); only those bytes were read as "
        f"{FALLBACK_ENCODING}, the rest as UTF-8 — re-save the file as UTF-8 to be sure every "
        "character is right"
    )
    return DecodedText(_newlines(repaired), "utf-8", warning, _line_of(text, places[0]))


def _legacy(data: bytes, first_bad: int) -> DecodedText:
    """A file in an 8-bit encoding (no UTF-8 sequence at all): read whole as cp1252."""
    line = data.count(b"\n", 0, first_bad) + 1
    encoding = FALLBACK_ENCODING
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "latin-1"  # decodes any byte sequence
        text = data.decode(encoding)
    warning = (
        f"not valid UTF-8 (byte 0x{data[first_bad]:02x}); read as {encoding}"
        " — re-save the file as UTF-8 to be sure every character is right"
    )
    return DecodedText(_newlines(text), encoding, warning, line)


def _stray_as_cp1252(match: re.Match[str]) -> str:
    raw = match.group(0).encode("utf-8", errors="surrogateescape")
    return raw.decode(FALLBACK_ENCODING, errors="replace")


def _line_of(text: str, index: int) -> int:
    return _newlines(text[:index]).count("\n") + 1


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _link_name(link: Path) -> str:
    """A symlink's own name (source_name would name its target)."""
    return Path(os.path.relpath(os.path.abspath(link), os.getcwd())).as_posix()


def _outside_reason(link: Path, folder: Path) -> str:
    return (
        f"a symlink to {source_name(link.resolve())}, outside {source_name(folder)}; not "
        "followed — name the file directly to read it"
    )


def _skip_reason(path: Path) -> str:
    return (
        f"not a dump file ({path.suffix} files are not read from folders); skipped — "
        "name the file explicitly to read it anyway"
    )
