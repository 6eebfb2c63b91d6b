"""A string already escaped for its output format: templates never escape it again."""

from __future__ import annotations


class Safe(str):
    """Text that is final markup for one format (escaped paper text or markup we generated).

    ``__html__`` is the marker Jinja (markupsafe) uses for "already escaped"; it does not mean
    the text is HTML.
    """

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)
