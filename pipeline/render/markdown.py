"""Escaping for GitHub-flavoured Markdown, citations as reference links, anchors and URLs.

Paper text is data: ``< > &`` become entities (no raw HTML), Markdown punctuation is
backslash-escaped (``\\ ` * _ [ ] # | ~ $``: no link, image, emphasis, code span, table cell,
strikethrough or maths can start; ``( ) ! { }`` only act after an escaped bracket), a leading
``#``, ``-``, ``+``, ``=`` or ``1.`` cannot start a heading, list or setext underline, newlines
collapse to spaces, and ``javascript:``-like schemes are defanged. Unicode (Greek, accents, CJK,
emoji, right-to-left marks) is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container

from pipeline.render.prose import render_prose
from pipeline.render.safe import Safe

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = frozenset("\\`*_[]#|~$")
_WS = re.compile(r"\s+")
# what would start a list item, setext underline or thematic break at the start of a line
_LINE_START = re.compile(r"^([-+=])(?=[\s\-+=]|$)|^(\d{1,9})([.)])(?=\s|$)")
_SCHEME = re.compile(r"\b(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s<>\"'`{}|\\^\[\]]+$", re.IGNORECASE)
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_MERMAID_UNSAFE = re.compile(r"[^\w ,.:/()+-]")


def md_escape(text: object) -> Safe:
    """Escape text for any inline position of a Markdown document (incl. a line start)."""
    collapsed = _WS.sub(" ", unicodedata.normalize("NFC", str(text)))
    core = collapsed.lstrip(" ")
    leading = collapsed[: len(collapsed) - len(core)]
    out: list[str] = []
    for char in core:
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _BACKSLASHED:
            out.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            continue
        else:
            out.append(char)
    escaped = "".join(out)
    escaped = _LINE_START.sub(_escape_line_start, escaped)
    escaped = _SCHEME.sub(lambda m: m.group(1) + "&#58;", escaped)
    return Safe(leading + escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def md_cite_link(key: str, anchor: str, page: str = "") -> Safe:
    """``[[key]](#ref-key)``: labelled by key, so a new paper never renumbers other citations.
    ``page``: the file holding the references when it is not this one."""
    return Safe(f"[[{md_escape(key)}]]({page}#{anchor})")


def md_citer(anchors: dict[str, str], page: str = "") -> Callable[[tuple[str, ...]], str]:
    """A function turning cited keys into reference links, e.g. ``[[a]](#ref-a), [[b]](#ref-b)``."""

    def cite(keys: tuple[str, ...]) -> str:
        return ", ".join(md_cite_link(key, anchors[key], page) for key in keys)

    return cite


def md_prose(
    sentence: str,
    known_keys: Container[str],
    cite: Callable[[tuple[str, ...]], str],
) -> Safe:
    """One prose sentence: text escaped, ``[@a; @b]`` -> reference links."""
    return render_prose(sentence, md_escape, cite, known_keys)


def md_anchor(prefix: str, key: str) -> Safe:
    """An HTML id made only of ``[A-Za-z0-9_-]``, e.g. ``ref-smith2024-x``."""
    return Safe(f"{prefix}-{_ANCHOR_UNSAFE.sub('-', key)}")


def github_slug(heading: str) -> Safe:
    """The anchor GitHub gives a heading with this text (lowercase, punctuation dropped)."""
    lowered = unicodedata.normalize("NFC", heading).strip().lower()
    kept = "".join(ch for ch in lowered if ch in " -_" or ch.isalnum())
    return Safe(kept.replace(" ", "-"))


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with nothing that could end a Markdown link or LaTeX argument, else None."""
    if not url:
        return None
    url = url.strip().replace("(", "%28").replace(")", "%29")
    return url if _URL.match(url) else None


def mermaid_label(text: str) -> str:
    """A Mermaid node label: letters, digits, spaces and ``,.:/()+-`` only."""
    text = unicodedata.normalize("NFC", text).replace("&", "and")
    return _WS.sub(" ", _MERMAID_UNSAFE.sub(" ", text)).strip()
