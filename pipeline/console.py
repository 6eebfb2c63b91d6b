"""Terminal output (rich) shared by commands: messages go to stderr, data to stdout."""

from __future__ import annotations

from rich.console import Console

_state = {"quiet": False}
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)
# Logs, pipes and CI: wide enough for the tables (a terminal keeps its own width); long text
# is printed with soft_wrap=False so it wraps instead of being cut.
for _console in (err, out):
    if not _console.is_terminal:
        _console.width = 160


def set_quiet(quiet: bool) -> None:
    _state["quiet"] = quiet


def is_quiet() -> bool:
    return _state["quiet"]


def info(message: str) -> None:
    if not _state["quiet"]:
        err.print(message, markup=False)


def warn(message: str) -> None:
    if not _state["quiet"]:
        err.print(f"warning: {message}", style="yellow", markup=False)


def error(message: str) -> None:
    err.print(f"error: {message}", style="bold red", markup=False)
