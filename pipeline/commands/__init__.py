"""CLI command modules; each exposes ``register(app)``."""

from __future__ import annotations

import importlib

import typer

# Add a module name here to expose its commands; only commands that work are listed.
COMMAND_MODULES = ["taxonomy", "ingest", "build", "cache", "eval", "diff"]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"pipeline.commands.{name}")
        module.register(app)
