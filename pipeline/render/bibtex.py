"""BibTeX entries (as data) for the survey's papers.

Choices (documented for users of references.bib):
- Every relevant paper gets one ``@misc`` entry keyed by its record's citation key.
- Titles are double-braced so BibTeX styles keep their capitalization.
- ``author`` lists the known authors (``and others`` when the dump counted more). A paper
  without known authors has no ``author`` field (we do not invent "Anonymous") and a ``key``
  field equal to its citation key, which plainnat prints in the author's place. The key
  matters: without it plainnat labels such entries by the first three letters of the citation
  key and year ("eff(2025)"), and 27 or more equal labels make it emit ``{`` and then
  non-ASCII suffixes, which breaks BibTeX and LaTeX. (Papers with authors share labels like
  "Wang et al.(2025)"; plainnat handles up to 26 of those per year.)
- ``url`` only for http(s) URLs without characters that could end the field; ``eprint`` only
  for arXiv identifiers. Provenance (dump file:line) stays in papers.jsonl, not in references.
- Values are escaped like LaTeX text (see latex.py), so they are brace-balanced and inert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.render.latex import bib_escape
from pipeline.render.links import arxiv_id, paper_url
from pipeline.render.safe import Safe
from schemas.names import clean
from schemas.record import PaperRecord

_AND = re.compile(r"\band\b", re.IGNORECASE)


@dataclass(frozen=True)
class BibField:
    """One ``name = {value}`` line; ``value`` is final BibTeX text including its braces."""

    name: str
    value: Safe


@dataclass(frozen=True)
class BibEntry:
    """One BibTeX entry."""

    type: Safe
    key: Safe
    fields: tuple[BibField, ...]


def _braced(text: str) -> Safe:
    return Safe("{" + bib_escape(text) + "}")


def _author_field(record: PaperRecord) -> Safe | None:
    names = [clean(name) for name in record.authors if clean(name)]
    if not names:
        return None
    parts: list[str] = []
    for name in names:
        escaped = bib_escape(name)
        # a name containing the word "and" would split into two authors: brace it as a unit
        parts.append("{" + escaped + "}" if _AND.search(name) else escaped)
    if record.authors_count is not None and record.authors_count > len(names):
        parts.append("others")
    return Safe("{" + " and ".join(parts) + "}")


def bib_entry(record: PaperRecord) -> BibEntry:
    """The ``@misc`` entry of one paper."""
    fields: list[BibField] = []
    author = _author_field(record)
    if author is not None:
        fields.append(BibField("author", author))
    fields.append(BibField("title", Safe("{" + _braced(clean(record.title)) + "}")))
    if record.year is not None:
        fields.append(BibField("year", Safe("{" + str(record.year) + "}")))
    eprint = arxiv_id(record.eprint)
    url = paper_url(record)
    if url is not None:
        fields.append(BibField("url", Safe("{" + url + "}")))
    if eprint is not None:
        fields.append(BibField("eprint", Safe("{" + eprint + "}")))
        fields.append(BibField("archiveprefix", Safe("{arXiv}")))
    if author is None:
        fields.append(BibField("key", Safe("{" + record.key + "}")))
    return BibEntry(type=Safe("misc"), key=Safe(record.key), fields=tuple(fields))
