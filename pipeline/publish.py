"""Writing a run's files: staged beside the output directory, published only when the run succeeds.

A build writes everything into ``.<out>.staging/`` (a copy of ``<out>/`` made at the start) and,
when it has finished, moves each changed file into ``<out>/`` with an atomic rename. A run that
fails, is interrupted or crashes never touches ``<out>/``; the staging copy is removed (or, after a
hard kill, replaced by the next run). ``.<out>.lock`` (an flock) keeps a second build out.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pipeline.atomic import fsync_directory, write_text_atomic
from pipeline.errors import TaxonomistError
from schemas.record import PaperRecord


class BuildLocked(TaxonomistError):
    """Another build holds the lock of the same output directory."""


def load_titles(out_dir: Path) -> dict[str, str]:
    """Paper id -> title of the last run's papers.jsonl (empty when there is none)."""
    path = out_dir / "papers.jsonl"
    if not path.exists():
        return {}
    titles: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            titles[str(record["id"])] = str(record["title"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # an edited or damaged line: that paper just loses its title preference
    return titles


def write_jsonl(path: Path, records: list[PaperRecord]) -> None:
    lines = [r.model_dump_json() for r in sorted(records, key=lambda r: r.id)]
    write_text_atomic(path, "".join(line + "\n" for line in lines))


def write_report(path: Path, report: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


# LaTeX build files and the PDF are made from survey.tex; they are not sources to commit.
GITIGNORE = """\
# Written by taxonomist: LaTeX build files and the PDF are built from survey.tex.
*.aux
*.bbl
*.blg
*.fdb_latexmk
*.fls
*.log
*.out
*.synctex.gz
*.toc
survey.pdf
"""


def write_gitignore(out_dir: Path) -> None:
    """Give the output directory its .gitignore, unless it has one (a user's edits stay)."""
    path = out_dir / ".gitignore"
    if not path.exists():
        write_text_atomic(path, GITIGNORE)


class OutputTransaction:
    """Lock ``out_dir``, give the run a staging copy of it, and publish the copy on success.

    Usage::

        with OutputTransaction(out) as staging:   # raises BuildLocked if another build runs
            write files into staging ...
            transaction.publish()                 # only when the run succeeded
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        parent = out_dir.resolve().parent
        self.staging = parent / f".{out_dir.resolve().name}.staging"
        self.lock_path = parent / f".{out_dir.resolve().name}.lock"
        self._lock: IO[str] | None = None

    def __enter__(self) -> Path:
        self._acquire()
        try:
            shutil.rmtree(self.staging, ignore_errors=True)  # left by a killed run
            if self.out_dir.is_dir():
                shutil.copytree(self.out_dir, self.staging, symlinks=True)
            else:
                self.staging.mkdir(parents=True)
        except BaseException:
            self._release()
            raise
        return self.staging

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()

    def publish(self) -> list[Path]:
        """Move every staged file that differs from its published version into ``out_dir``.

        Each file is fsynced and renamed over its old version (atomic per file); files whose
        bytes did not change are left alone, so their modification times stay as they were.
        """
        changed: list[tuple[Path, Path]] = []
        for staged in sorted(self.staging.rglob("*")):
            if staged.is_dir() or staged.is_symlink():
                continue
            target = self.out_dir / staged.relative_to(self.staging)
            if target.is_file() and _same_bytes(staged, target):
                continue
            with staged.open("rb") as handle:
                os.fsync(handle.fileno())
            changed.append((staged, target))
        for staged, target in changed:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        for directory in {target.parent for _, target in changed}:
            fsync_directory(directory)
        return [target for _, target in changed]

    def _acquire(self) -> None:
        import fcntl

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = self.lock_path.open("a+", encoding="utf-8")
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                raise BuildLocked(
                    f"another taxonomist build (pid {holder}) is writing into {self.out_dir}/ "
                    f"(lock {self.lock_path}): wait for it to finish, or build into another "
                    "--out"
                ) from None
            # The holder before us may have deleted the file after we opened it: lock anew.
            try:
                same = os.fstat(handle.fileno()).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            handle.close()
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock = handle

    def _release(self) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()  # while still locked, so no one locks a file we delete
        self._lock.close()
        self._lock = None


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()
