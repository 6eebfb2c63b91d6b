"""Jinja environments, one per output format: paper text is escaped whatever a template does.

Templates (built-in or a user's ``--templates``) are trusted like code, but they still run in
Jinja's sandbox (no ``__class__``/``__globals__`` walk to ``os``) and paper text cannot become
markup through them:

- Every ``{{ ... }}`` result goes through ``finalize``, which runs the format's escape function
  (LaTeX, BibTeX or Markdown) unless the value is markup already: our `Safe` strings (escaped
  text, citation links we generated) and what Jinja itself marks (``super()``, macro calls,
  ``{% set %}`` blocks). Jinja's autoescape is on only so that those values carry that mark.
- Every string a template reaches in the data (attributes, items, call results, list items) is
  a `Text` of the format: markupsafe's ``escape``, ``Markup(...)`` and so ``|safe``, ``|e`` and
  Jinja's ``join`` run the *format's* escape on it, not HTML's.
- ``~`` escapes each plain part for the format as soon as one part is markup, so
  ``{{ key|cite ~ paper.title }}`` prints the citation and the escaped title.
- Filters that return text derived from `Text` return `Text`; HTML-only filters are removed.

Templates are looked up in the user's ``templates_dir`` first, then in the built-in folder; the
built-in ones are also reachable as ``builtin/<name>`` so an override can extend them. A user
template that is a symlink to a file outside ``templates_dir`` is refused.
"""

from __future__ import annotations

import functools
import json
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
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pipeline.paths import TEMPLATES_DIR
from pipeline.render.errors import RenderError
from pipeline.render.safe import Safe, Text, text_type

# Filters that produce HTML: meaningless in LaTeX/Markdown/BibTeX and a way around escaping.
_HTML_FILTERS = ("urlize", "xmlattr", "forceescape")


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


class _EscapingCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to the environment's `concat`, which escapes for the format."""

    @optimizeconst
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.concat_escaped((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _ContainedLoader(FileSystemLoader):
    """A user's template folder: a template whose real path is outside the folder is refused."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder.resolve()

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise RenderError(
                f"template {template!r} in {self.folder} is a link to "
                f"{Path(filename).resolve()}, outside the templates folder; refused — copy the "
                "file into the folder instead of linking to it"
            )
        return source, filename, uptodate


def template_loader(templates_dir: Path | None) -> BaseLoader:
    """User templates first, then built-in ones (also as ``builtin/<name>``)."""
    builtin = FileSystemLoader(str(TEMPLATES_DIR))
    loaders: list[BaseLoader] = []
    if templates_dir is not None:
        loaders.append(_ContainedLoader(templates_dir))
    loaders += [PrefixLoader({"builtin": builtin}), builtin]
    return ChoiceLoader(loaders)


class _Undefined(StrictUndefined):
    """`StrictUndefined`, except that a value the sandbox refused (an unsafe attribute) raises
    its `SecurityError` on every further use, dunder attributes included: without this,
    ``x.__init__.__globals__`` surfaces as a bare AttributeError naming ``__globals__``."""

    def __getattr__(self, name: str) -> Any:
        if self._undefined_exception is SecurityError:
            self._fail_with_undefined_error()
        return super().__getattr__(name)


class SurveyEnvironment(SandboxedEnvironment):
    """A sandbox in which every string from the data is `Text` of one output format."""

    code_generator_class = _EscapingCodeGenerator

    def __init__(self, escape: Callable[[str], str], **options: Any) -> None:
        self.text = text_type(escape)
        self.to_safe = _explicit(escape)
        super().__init__(finalize=self.finalize_value, **options)

    def finalize_value(self, value: Any) -> Markup:
        """What ``{{ value }}`` prints: markup as it is, anything else escaped for the format."""
        return Markup(self.to_safe(value))

    def as_text(self, value: Any) -> Any:
        """Plain strings (also inside a list or tuple) become `Text`; anything else as is."""
        if type(value) is str:
            return self.text(value)
        if type(value) in (list, tuple) and any(type(item) is str for item in value):
            return type(value)(self.text(item) if type(item) is str else item for item in value)
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        return self.as_text(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return self.as_text(super().getitem(obj, argument))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        return self.as_text(super().call(context, obj, *args, **kwargs))

    def concat_escaped(self, parts: Iterable[Any]) -> Any:
        """``a ~ b``: plain text stays text to escape later; next to markup it is escaped now."""
        values = list(parts)
        if any(hasattr(value, "__html__") and not isinstance(value, Text) for value in values):
            return Safe("".join(self.to_safe(value) for value in values))
        return self.text("".join("" if value is None else str(value) for value in values))

    def join(self, values: Iterable[Any], separator: str = "", attribute: Any = None) -> Any:
        """Jinja's ``join`` with `concat_escaped`'s rule (it would HTML-escape plain items)."""
        items = list(values)
        if attribute is not None:
            items = list(map(make_attrgetter(self, attribute), items))
        pieces: list[Any] = []
        for index, item in enumerate(items):
            if index:
                pieces.append(separator)
            pieces.append(item)
        return self.concat_escaped(pieces)


def _tainting(env: SurveyEnvironment, name: str, function: Callable[..., Any]) -> Any:
    """A filter whose plain-string result is `Text` (may hold paper text), like its input."""

    @functools.wraps(function)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        return env.as_text(function(*args, **kwargs))

    return filter_


def make_environment(
    templates_dir: Path | None,
    escape: Callable[[str], str],
    filter_name: str,
    filters: dict[str, Callable[..., Any]] | None = None,
) -> Environment:
    """A sandboxed environment escaping output with ``escape`` (also the ``filter_name`` filter)."""
    env = SurveyEnvironment(
        escape,
        loader=template_loader(templates_dir),
        undefined=_Undefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in _HTML_FILTERS:
        env.filters.pop(name, None)
    for name, function in list(env.filters.items()):
        env.filters[name] = _tainting(env, name, function)
    env.filters["join"] = env.join
    env.filters["tojson"] = lambda value, indent=None: env.text(
        json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False)
    )
    env.filters[filter_name] = env.to_safe
    env.filters["join_escaped"] = lambda values, separator=", ": Safe(
        separator.join(env.to_safe(value) for value in values)
    )
    env.filters.update(filters or {})
    return env
