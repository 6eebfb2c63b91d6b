"""Prose sentences with ``[@key]`` citations -> one format's markup."""

from __future__ import annotations

from collections.abc import Callable, Container

from pipeline.render.errors import RenderError
from pipeline.render.safe import Safe
from schemas.survey import Citation, split_citations


def render_prose(
    sentence: str,
    escape: Callable[[str], str],
    cite: Callable[[tuple[str, ...]], str],
    known_keys: Container[str],
    *,
    tie_before_citation: bool = False,
) -> Safe:
    """Escape the text pieces of ``sentence`` and turn each citation group into ``cite(keys)``.

    A key that is not a paper of the survey is an error, never dropped or guessed.
    """
    pieces = split_citations(sentence)
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        if isinstance(piece, Citation):
            unknown = [key for key in piece.keys if key not in known_keys]
            if unknown:
                raise RenderError(
                    f"a sentence cites {', '.join(unknown)}, which is not a relevant paper of "
                    f"the corpus; fix the section text or its paper's record "
                    f"(sentence: {sentence[:160]!r})"
                )
            parts.append(cite(piece.keys))
            continue
        followed_by_citation = index + 1 < len(pieces) and isinstance(pieces[index + 1], Citation)
        if tie_before_citation and followed_by_citation:
            piece = piece.rstrip()
        parts.append(escape(piece))
    return Safe("".join(parts).strip())
