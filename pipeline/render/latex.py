"""Escaping for LaTeX and BibTeX, and citations in LaTeX prose.

Paper text is data, never markup: every character either prints itself or becomes a
text-mode macro, so ``\\input{/etc/passwd}`` prints literally and cannot run.

- ASCII specials (``\\ { } $ & % # _ ~ ^ < > | " [ ]``) map to fixed macros. Braces become
  ``\\textbraceleft{}`` / ``\\textbraceright{}`` (not ``\\{``) because BibTeX counts escaped braces
  too; every brace we emit is paired, so escaped text is brace-balanced in .tex and .bib alike.
  ``[`` and ``]`` are braced so a cell starting with ``[`` cannot become ``\\\\[dim]``.
- Other characters in the ranges below go through pylatexenc (accents, Greek, dashes, quotes,
  arrows, maths symbols) unless listed in ``_UNSUPPORTED`` (macros pdflatex lacks with our
  packages; measured by compiling every character of those ranges).
- Anything else (CJK, emoji, Cyrillic, Arabic, ...) prints as ``[?]``: pdflatex with T1 fonts
  has no glyphs for them. The Markdown survey keeps them; the PDF shows the placeholder.
- Control and format characters (e.g. the right-to-left mark U+200F) are dropped; whitespace
  (incl. newlines) collapses to one space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from pipeline.render.prose import render_prose
from pipeline.render.safe import Safe

PLACEHOLDER = "[?]"
_PLACEHOLDER_TEX = "{[}?{]}"

_ASCII: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "[": "{[}",
    "]": "{]}",
}

# Unicode blocks whose characters pylatexenc maps to macros that pdflatex (T1, textcomp,
# amsmath, amssymb) can typeset; characters outside them become the placeholder.
_RANGES: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B
    (0x0370, 0x03FF),  # Greek
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols
    (0x2150, 0x218F),  # number forms
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
)

# Characters in those ranges whose pylatexenc macro does not compile or has no glyph with
# our preamble (found by compiling each of them; see tests/test_render_latex.py).
# fmt: off
_UNSUPPORTED: frozenset[str] = frozenset(chr(code) for code in (
    0x0149, 0x0195, 0x019E, 0x0374, 0x0390, 0x03D2, 0x210B, 0x2110, 0x2112, 0x211B, 0x212C,
    0x2130, 0x2131, 0x2133, 0x2153, 0x2154, 0x2155, 0x2156, 0x2157, 0x2158, 0x2159, 0x215A,
    0x215B, 0x215C, 0x215D, 0x215E, 0x219C, 0x219D, 0x21C5, 0x21F5, 0x221F, 0x222F, 0x2230,
    0x2231, 0x223B, 0x223E, 0x2246, 0x224B, 0x224C, 0x2259, 0x225B, 0x2278, 0x2279, 0x22A7,
    0x22A8, 0x22AB, 0x22B6, 0x22B7, 0x22B9, 0x22BE, 0x22D8, 0x22D9, 0x22E8, 0x22F0,
))
# fmt: on

_ENCODER = UnicodeToLatexEncoder(unknown_char_warning=False)
_TRAILING_CONTROL_WORD = re.compile(r"\\[A-Za-z]+$")
_WS = re.compile(r"\s+")
_LONG_WORD = re.compile(r"((?<![A-Za-z0-9])[A-Za-z0-9]{16,}(?![A-Za-z0-9]))")
_BREAK_EVERY = 6


@lru_cache(maxsize=4096)
def _encode_char(char: str) -> str:
    if char in _ASCII:
        return _ASCII[char]
    code = ord(char)
    if code < 0x80:
        return char if char.isprintable() else ""
    category = unicodedata.category(char)
    if category.startswith("C") or category in ("Mn", "Me"):
        return ""  # controls, format marks (RTL, zero-width), stray combining marks
    if category.startswith("Z"):
        return " "
    if char in _UNSUPPORTED or not any(low <= code <= high for low, high in _RANGES):
        return _PLACEHOLDER_TEX
    encoded: str = _ENCODER.unicode_to_latex(char)
    if encoded == char:
        return _PLACEHOLDER_TEX  # pylatexenc has no macro for it
    if _TRAILING_CONTROL_WORD.search(encoded):
        encoded += "{}"  # "\ss" followed by a letter would otherwise read as another macro
    return encoded


def latex_escape(text: object) -> Safe:
    """Escape any text so that LaTeX prints it literally (see the module docstring).

    Letter runs of 16 or more characters (method names like MODULARSTARENCODER,
    which TeX cannot hyphenate) get a discretionary hyphen every ``_BREAK_EVERY`` characters,
    so they break at a line end instead of running into the margin.
    """
    normalized = unicodedata.normalize("NFC", str(text))
    collapsed = _WS.sub(" ", normalized)
    out: list[str] = []
    for index, piece in enumerate(_LONG_WORD.split(collapsed)):
        if index % 2:  # a long letter run: break points every _BREAK_EVERY characters
            chunks = [piece[i : i + _BREAK_EVERY] for i in range(0, len(piece), _BREAK_EVERY)]
            if len(chunks[-1]) < 3:
                chunks[-2:] = [chunks[-2] + chunks[-1]]
            out.append("\\-".join(chunks))
        else:
            out.append("".join(_encode_char(char) for char in piece))
    return Safe("".join(out))


def bib_escape(text: object) -> Safe:
    """Escape a BibTeX field value; the result is brace-balanced (LaTeX escaping suffices)."""
    return latex_escape(text)


def latex_label(identifier: str) -> Safe:
    """A \\label name from a taxonomy id: ``model.low_rank`` -> ``model:low-rank``."""
    return Safe(re.sub(r"[^a-z0-9:-]", "-", identifier.lower().replace(".", ":").replace("_", "-")))


def latex_cite(keys: tuple[str, ...]) -> Safe:
    """``\\citep{a,b}`` after a tie, so a citation never starts a line."""
    return Safe("~\\citep{" + ",".join(keys) + "}")


def latex_prose(sentence: str, known_keys: Container[str]) -> Safe:
    """One prose sentence: text escaped, ``[@a; @b]`` -> ``~\\citep{a,b}``."""
    return render_prose(sentence, latex_escape, latex_cite, known_keys, tie_before_citation=True)
