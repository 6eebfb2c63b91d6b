"""The `taxonomist` command line: one typer app; each command group lives in its own module."""

from __future__ import annotations

import logging
import sys

import typer

from pipeline.errors import TaxonomistError

app = typer.Typer(
    name="taxonomist",
    help="Turn dumps of paper listings into a survey draft organised by a taxonomy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show debug logging."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print errors."),
) -> None:
    from pipeline.redact import install_logging

    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    install_logging(level)
    from pipeline import console

    console.set_quiet(quiet)


def _register() -> None:
    # Import command modules here (not at import of pipeline.cli's callers) to keep start-up lean.
    from pipeline.commands import register_all

    register_all(app)


def main() -> None:
    """Console-script entry point: exit 0 on success, 1 on a failed run, 2 on bad usage."""
    _register()
    try:
        app(standalone_mode=True)
    except TaxonomistError as exc:
        from pipeline import console
        from pipeline.redact import redact

        console.error(redact(str(exc)))
        sys.exit(1)
