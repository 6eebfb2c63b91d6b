"""Links to papers: http(s) URLs that are safe in Markdown and BibTeX, and arXiv identifiers."""

from __future__ import annotations

import re

from pipeline.render.markdown import safe_url
from pipeline.render.safe import Safe
from schemas.paper import Paper

_ARXIV = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def arxiv_id(eprint: str | None) -> str | None:
    """The arXiv identifier when ``eprint`` is one (``2401.12345v2``, ``cs/0101001``), else None."""
    if not eprint:
        return None
    value = eprint.strip()
    return value if _ARXIV.match(value) else None


def paper_url(paper: Paper) -> Safe | None:
    """The paper's own http(s) URL when safe, else its arXiv page, else None."""
    url = safe_url(paper.url)
    if url is None and (eprint := arxiv_id(paper.eprint)) is not None:
        url = f"https://arxiv.org/abs/{eprint}"
    return Safe(url) if url is not None else None
