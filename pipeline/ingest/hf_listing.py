"""Hugging Face Daily Papers listings copied from the web page: three text layouts, one parser.

Each content line is boilerplate (page chrome), metadata ('• 5 authors' or an organisation line,
a '·' line, a 'Nov 28, 2023 1' date/upvotes line) or text. Text lines pair up as title then
abstract. A title line is told from an abstract line by its shape (length, a final full stop,
sentence breaks), so a title whose abstract is missing is flagged instead of swallowing the
next entry's title.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.ingest.entries import Layout, ParseOutcome, RawEntry, preview
from pipeline.ingest.normalize import clean_text, parse_date

MAX_TITLE_CHARS = 600  # real titles stay far below; 400-character ones do occur in dumps
MAX_ABSTRACT_CHARS = 20_000
MAX_ORGANIZATION_CHARS = 80
DETECT_LINES = 5_000

_BOILERPLATE = re.compile(
    r"^(?:new|subscribe|daily papers|byak and the research community"
    r"|get trending papers in your email inbox\b.*)$",
    re.IGNORECASE,
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DATE_LINE = re.compile(rf"^({_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?: (\d{{1,7}}))?$")
_AUTHORS = re.compile(r"^[•·*-]?\s*(\d{1,5}) authors?$")
_DOT = "·"
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=\S)")
# A line starting like Markdown/HTML markup, a table row or a list item is never a title.
_MARKUP_START = re.compile(r"^(?:[#|>*`$\\<=~_]|[-+•–—] |\d{1,3}[.)] |\(\d{1,3}\) |\[\d{1,3}\] )")
_SENTENCE_ENDS = (".", "!", "?", ":", ";", ".)", '."', ".”")
_SENTENCE_BREAK = re.compile(r"[a-z0-9)\]%]\. [A-Z]")


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str


def looks_like_abstract(text: str) -> bool:
    """An abstract is long, ends with a full stop, or has several sentences."""
    return text.endswith(".") or surely_abstract(text)


def surely_abstract(text: str) -> bool:
    """Longer than any title, or several sentences: never a title, whatever its position."""
    if len(text) > MAX_TITLE_CHARS:
        return True
    return len(text.split()) >= 12 and _SENTENCE_BREAK.search(text) is not None


def is_header_line(text: str) -> bool:
    """Page chrome of a Daily Papers page ('Subscribe', 'Daily Papers', 'Get trending papers…')."""
    return _BOILERPLATE.match(text) is not None


def content_lines(text: str) -> Iterator[Line]:
    """Non-blank lines, stripped, with 1-based line numbers, one at a time (dumps are large)."""
    start = number = 0
    end_of_text = len(text)
    while start <= end_of_text:
        end = text.find("\n", start)
        if end < 0:
            end = end_of_text
        number += 1
        stripped = clean_text(text[start:end])
        if stripped:
            yield Line(number, stripped)
        start = end + 1


def detect_listing_layout(text: str) -> Layout | None:
    """Which of the three listing layouts `text` is in, or None if it is not a listing.

    Judged on the first DETECT_LINES content lines: a dump keeps one layout throughout.
    """
    lines = list(itertools.islice(content_lines(text), DETECT_LINES))
    if not lines:
        return None
    header = any(is_header_line(line.text) for line in lines[:12])
    outcome = _Assembler("<detect>", Layout.HF_BLOCKS).run(lines)
    paired = sum(1 for entry in outcome.entries if entry.abstract)
    if not header and (paired == 0 or 2 * paired < len(outcome.entries)):
        return None
    if any(line.text == _DOT or _AUTHORS.match(line.text) for line in lines):
        return Layout.HF_META
    numbers = [line.number for line in lines]
    gaps = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b - a > 1)
    return Layout.HF_BLOCKS if 2 * gaps >= len(numbers) - 1 else Layout.HF_LINES


def parse_listing(text: str, file: str, layout: Layout) -> ParseOutcome:
    """Entries of a Daily Papers listing; bad lines become issues, never exceptions."""
    return _Assembler(file, layout).run(content_lines(text))


class _Assembler:
    def __init__(self, file: str, layout: Layout) -> None:
        self.file = file
        self.layout = layout
        self.outcome = ParseOutcome()
        self.title: Line | None = None
        self.last: RawEntry | None = None  # the entry metadata lines attach to
        self.abstract_end: int | None = None  # line number of the last line of last's abstract
        self.texts: dict[str, str] = {}  # one string object per distinct title or abstract

    def run(self, lines: Iterable[Line]) -> ParseOutcome:
        before: str | None = None
        remaining = iter(lines)
        line = next(remaining, None)
        while line is not None:
            following = next(remaining, None)
            self.feed(line, before, None if following is None else following.text)
            before = line.text
            line = following
        self.close_title()
        return self.outcome

    def feed(self, line: Line, before: str | None, after: str | None) -> None:
        text = line.text
        if self.last is None and self.title is None and (before is None or is_header_line(before)):
            text = _GLUED_SUBSCRIBE.sub("", text)
        if is_header_line(text):
            return
        if text == _DOT or _AUTHORS.match(text) or (after == _DOT and _organization_like(text)):
            self.abstract_end = None
            self.metadata(line, text)
            return
        date = _DATE_LINE.match(text)
        if date:
            if before == _DOT:
                self.metadata(line, text)
            return  # otherwise a listing date such as 'Jul 31': page chrome
        self.text_line(Line(line.number, text), after)

    def text_line(self, line: Line, after: str | None) -> None:
        if len(line.text) > MAX_ABSTRACT_CHARS:
            self.outcome.reject(
                self.file,
                line.number,
                f"line is {len(line.text):,} characters long (an abstract has at most "
                f"{MAX_ABSTRACT_CHARS:,}); skipped — is a file pasted into the dump? "
                "Split it into title and abstract lines",
            )
            return
        if self.title is None and self.continues_abstract(line, after):
            self.extend_abstract(line)
            return
        self.abstract_end = None
        if self.title is None:
            # A title may end with a full stop; then only the abstract after it tells.
            followed = after is not None and looks_like_abstract(after)
            if surely_abstract(line.text) or (looks_like_abstract(line.text) and not followed):
                self.orphan_abstract(line)
            else:
                self.title = line
            return
        if looks_like_abstract(line.text):
            self.emit(self.title, line.text)
            self.title = None
            self.abstract_end = line.number
        else:
            self.close_title()
            self.title = line

    def continues_abstract(self, line: Line, after: str | None) -> bool:
        """Does this line go on with the abstract just read (a wrapped or multi-line abstract)?

        Lines that start like markup or a list ('#', '|', '-', '1.') or read like abstract text
        continue it; so, in the blank-line layouts, does any line right below it. A title-like
        line followed by an abstract-like one starts the next paper.
        """
        if self.abstract_end is None or self.last is None:
            return False
        adjacent = line.number == self.abstract_end + 1
        if self.layout is not Layout.HF_LINES and not adjacent:
            return False  # a blank line ends the block
        text = line.text
        if _MARKUP_START.match(text):
            return True
        abstract_like = looks_like_abstract(text)
        if not abstract_like and after is not None and looks_like_abstract(after):
            return False  # a title and its abstract
        if abstract_like or self.layout is not Layout.HF_LINES:
            return True
        # Title and abstract lines alternate: an unfinished sentence runs on, and a line followed
        # by markup (no title is) introduces it.
        if after is not None and _MARKUP_START.match(after):
            return True
        return text[0].islower() or not self.last.abstract.endswith(_SENTENCE_ENDS)

    def extend_abstract(self, line: Line) -> None:
        assert self.last is not None  # checked by continues_abstract
        if len(self.last.abstract) + len(line.text) > MAX_ABSTRACT_CHARS:
            self.outcome.reject(
                self.file,
                line.number,
                f"the abstract of {preview(self.last.title)} goes on past "
                f"{MAX_ABSTRACT_CHARS:,} characters; this line is skipped — is a file pasted "
                "into the dump? Leave a blank line between papers",
            )
        else:
            self.last.abstract = f"{self.last.abstract} {line.text}"
        self.abstract_end = line.number

    def orphan_abstract(self, line: Line) -> None:
        self.outcome.reject(
            self.file,
            line.number,
            f"abstract without a title ({preview(line.text)}); skipped — add the paper's title "
            "on the line before it, or join it to the previous abstract if it continues it",
        )

    def close_title(self) -> None:
        if self.title is None:
            return
        title = self.title
        self.title = None
        self.outcome.flag(
            self.file,
            title.number,
            f"entry {preview(title.text)} has a title but no abstract; kept and flagged "
            "missing_abstract — add the abstract on the line after the title",
        )
        self.emit(title, "", flags=["missing_abstract"])

    def emit(self, title: Line, abstract: str, flags: list[str] | None = None) -> None:
        entry = RawEntry(
            title=self.texts.setdefault(title.text, title.text),
            abstract=self.texts.setdefault(abstract, abstract),
            file=self.file,
            line=title.number,
            layout=self.layout,
            flags=flags or [],
        )
        self.outcome.entries.append(entry)
        self.last = entry

    def metadata(self, line: Line, text: str) -> None:
        self.close_title()
        if self.last is None:
            self.outcome.warn(
                self.file,
                line.number,
                f"metadata line {text!r} before any entry; ignored",
            )
            return
        if text == _DOT:
            return
        authors = _AUTHORS.match(text)
        date = _DATE_LINE.match(text)
        if authors:
            self.last.authors_count = int(authors.group(1))
        elif date:
            self.last.date, self.last.year = parse_date(date.group(1))
            if date.group(2):
                self.last.upvotes = int(date.group(2))
        else:
            self.last.organization = _organization(text)


def _organization_like(text: str) -> bool:
    """A short line before '·' names the organisation; an abstract there lost its author line."""
    return len(text) <= MAX_ORGANIZATION_CHARS and not looks_like_abstract(text)


def _organization(text: str) -> str:
    """'nvidia NVIDIA' (page handle, then display name) -> 'NVIDIA'."""
    handle, _, name = text.partition(" ")
    return name.strip() or handle
