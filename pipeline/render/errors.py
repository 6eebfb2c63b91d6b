"""Errors of the render stage."""

from __future__ import annotations

from pipeline.errors import TaxonomistError


class RenderError(TaxonomistError):
    """The survey cannot be rendered as asked; the message names the cause and the fix."""
