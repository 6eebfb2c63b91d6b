"""Jinja environments, one per output format, that escape every printed value by default.

Every ``{{ ... }}`` result goes through the environment's ``finalize``, which runs the
format's escape function (LaTeX, BibTeX or Markdown) unless the value is already marked safe:
our `Safe` strings (escaped text, citation links we generated) and what Jinja itself marks
(``super()``, macro calls, ``{% set %}`` blocks). Jinja's autoescape is switched on only so that
those template-generated values carry that mark and are not escaped twice; its HTML escaping
never runs on our values, because finalize already returns them marked. So a template,
built-in or a user's override, cannot print paper text unescaped by forgetting a filter.

Caveat for template authors: avoid ``~`` and ``join`` on mixes of plain and safe values (Jinja
would HTML-escape the plain ones); use the ``join_escaped`` filter instead.

Templates are looked up in the user's ``templates_dir`` first, then in the built-in folder; the
built-in ones are also reachable as ``builtin/<name>`` so an override can extend them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from markupsafe import Markup

from pipeline.paths import TEMPLATES_DIR
from pipeline.render.safe import Safe


def _explicit(escape: Callable[[str], str]) -> Callable[[Any], Safe]:
    def to_safe(value: Any) -> Safe:
        if isinstance(value, Safe):
            return value
        if hasattr(value, "__html__"):
            return Safe(value.__html__())
        if value is None:
            return Safe("")
        return Safe(escape(str(value)))

    return to_safe


def template_loader(templates_dir: Path | None) -> BaseLoader:
    """User templates first, then built-in ones (also as ``builtin/<name>``)."""
    builtin = FileSystemLoader(str(TEMPLATES_DIR))
    loaders: list[BaseLoader] = []
    if templates_dir is not None:
        loaders.append(FileSystemLoader(str(templates_dir)))
    loaders += [PrefixLoader({"builtin": builtin}), builtin]
    return ChoiceLoader(loaders)


def make_environment(
    templates_dir: Path | None,
    escape: Callable[[str], str],
    filter_name: str,
    filters: dict[str, Callable[..., Any]] | None = None,
) -> Environment:
    """An environment whose output escaping is ``escape`` (also the ``filter_name`` filter)."""
    to_safe = _explicit(escape)

    def finalize(value: Any) -> Markup:
        return Markup(to_safe(value))

    def join_escaped(values: Iterable[Any], separator: str = ", ") -> Safe:
        return Safe(separator.join(to_safe(value) for value in values))

    env = Environment(
        loader=template_loader(templates_dir),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters[filter_name] = to_safe
    env.filters["join_escaped"] = join_escaped
    env.filters.update(filters or {})
    return env
