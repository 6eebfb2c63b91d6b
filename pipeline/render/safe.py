"""Values that carry their escaping with them into templates.

- `Safe`: text already escaped for its output format (escaped paper text, markup we generated);
  templates never escape it again.
- `Text`: text from the data (a paper's title, an author, a key) on its way into a template. It
  is not markup: whatever a template does with it (print it, ``~``-concatenate it, ``join`` it,
  mark it ``|safe``, pass it through ``|e``), the format's escaping runs on it, because
  markupsafe and Jinja call ``__html__`` to turn a value into markup, and ``__html__`` here is the
  format's escape (LaTeX, BibTeX or Markdown), not HTML's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Safe(str):
    """Text that is final markup for one format (escaped paper text or markup we generated).

    ``__html__`` is the marker Jinja (markupsafe) uses for "already escaped"; it does not mean
    the text is HTML.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


class Text(str):
    """Untrusted text inside a template; ``text_type(escape)`` makes the class of one format.

    Concatenation, repetition and slicing keep the type, so text derived from paper text in a
    template is still escaped when it is printed or marked safe.
    """

    __slots__ = ()
    escape: ClassVar[Callable[[str], str]] = staticmethod(str)

    def __html__(self) -> str:
        return type(self).escape(str(self))

    def __add__(self, other: Any) -> Text:
        return type(self)(str(self) + str(other))

    def __radd__(self, other: Any) -> Text:
        return type(self)(str(other) + str(self))

    def __mul__(self, count: Any) -> Text:
        return type(self)(str(self) * count)

    __rmul__ = __mul__

    def __mod__(self, values: Any) -> Text:
        return type(self)(str(self) % values)

    def __rmod__(self, template: Any) -> Text:
        return type(self)(str(template) % str(self))

    def __getitem__(self, index: Any) -> Text:
        return type(self)(str(self)[index])


def text_type(escape: Callable[[str], str]) -> type[Text]:
    """The `Text` class whose values escape themselves with ``escape``."""
    return type("Text", (Text,), {"__slots__": (), "escape": staticmethod(escape)})
