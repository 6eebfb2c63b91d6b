"""Everything the survey templates show, built (and checked) before any template runs.

Strings here are raw text (paper text included); each output format escapes them when it
prints them (see environment.py). Ordering is fixed: taxonomy order for levels and leaves,
(year, key) for papers and references, so a new dump mostly appends.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.render.errors import RenderError
from pipeline.render.latex import latex_label
from pipeline.render.links import arxiv_id, paper_url
from pipeline.render.markdown import github_slug, md_anchor
from pipeline.render.safe import Safe
from schemas.names import (
    clean,
    headline_text,
    join_words,
    lower_name,
    short_name,
    truncate,
)
from schemas.record import PaperRecord, SectionText
from schemas.survey import KEY_PATTERN, cited_keys
from schemas.taxonomy import Level, Taxonomy

_KEY = re.compile(rf"^{KEY_PATTERN}$")
_UNKNOWN_YEAR = 9999
TABLE_TITLE_CHARS = 90
CELL_CHARS = 60
TABLE_ROWS = 40  # rows of a leaf's table; a larger leaf shows its best-supported papers
SPLIT_MARKDOWN_FROM = 1000  # relevant papers from which survey.md is split into survey/*.md
OTHER_LEVEL = "other"


@dataclass(frozen=True)
class Reference:
    """One paper of the reference list (every relevant paper), numbered in (year, key) order."""

    number: int
    key: str
    anchor: Safe
    record: PaperRecord
    title: str
    short_name: str
    authors: str
    year: int | None
    url: Safe | None
    eprint: str | None


@dataclass(frozen=True)
class PaperRow:
    """One row of a comparison table."""

    ref: Reference
    title: str
    year: str
    kind: str
    techniques: str
    hardware: str
    headline: str


@dataclass(frozen=True)
class ProseSection:
    """A section of prose sentences (raw, with ``[@key]`` citations)."""

    id: str
    title: str
    number: Safe
    slug: Safe
    label: Safe
    sentences: tuple[str, ...]
    missing: bool = False
    paragraph_starts: tuple[int, ...] = ()

    @property
    def paragraphs(self) -> list[tuple[str, ...]]:
        """The sentences split into paragraphs (one per family in a leaf section)."""
        bounds = [0, *(i for i in self.paragraph_starts if 0 < i < len(self.sentences))]
        bounds.append(len(self.sentences))
        return [self.sentences[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


@dataclass(frozen=True)
class LeafSection:
    """A taxonomy leaf: its definition, prose and comparison table."""

    id: str
    name: str
    description: str
    number: Safe
    slug: Safe
    label: Safe
    rows: tuple[PaperRow, ...]  # the table: every paper, or the selection of a large leaf
    prose: ProseSection | None
    complete: tuple[PaperRow, ...] = ()  # every paper of the leaf, (year, key) order

    @property
    def total(self) -> int:
        return len(self.complete)

    @property
    def appendix_slug(self) -> Safe:
        return github_slug(f"{self.number}. {self.name} (complete list)")

    @property
    def selected(self) -> bool:
        """The table shows a selection; the complete list is in the appendix."""
        return len(self.complete) > len(self.rows)

    @property
    def dated(self) -> bool:
        """Whether any paper of the table has a year (else the table has no Year column)."""
        return any(row.year for row in self.rows)


@dataclass(frozen=True)
class LevelSection:
    """A taxonomy level and its leaves."""

    id: str
    name: str
    description: str
    number: Safe
    slug: Safe
    label: Safe
    leaves: tuple[LeafSection, ...]
    paper_count: int

    @property
    def title(self) -> str:
        return self.name


@dataclass(frozen=True)
class Chart:
    """A figure written to figures/<name>.png and .pdf."""

    name: str
    caption: str
    label: Safe

    @property
    def png(self) -> Safe:
        return Safe(f"figures/{self.name}.png")

    @property
    def pdf(self) -> Safe:
        return Safe(f"figures/{self.name}.pdf")


@dataclass(frozen=True)
class SurveyData:
    """The whole survey as data."""

    title: str
    abstract: tuple[str, ...]
    introduction: ProseSection
    surveys: ProseSection
    levels: tuple[LevelSection, ...]
    unclassified: tuple[PaperRow, ...]
    unclassified_section: ProseSection | None
    challenges: ProseSection
    references: tuple[Reference, ...]
    charts: tuple[Chart, ...]
    leaf_counts: tuple[tuple[str, str, int], ...]
    year_level_counts: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    level_names: tuple[tuple[str, str], ...]
    paper_count: int
    unscreened_count: int
    # papers with a failed stage (a build published with --allow-failures): the survey says so
    failed_count: int
    year_span: tuple[int, int] | None
    conclusion: ProseSection | None = None
    references_section: ProseSection = field(
        default_factory=lambda: ProseSection(
            "references", "References", Safe(""), Safe("references"), Safe("sec:references"), ()
        )
    )

    @cached_property
    def ref_by_key(self) -> dict[str, Reference]:
        """References by key, indexed once (templates look a key up for every table row)."""
        return {ref.key: ref for ref in self.references}

    @property
    def split(self) -> bool:
        """survey.md is a contents page and each level, the appendix and the references get
        a file of their own under survey/."""
        return self.paper_count >= SPLIT_MARKDOWN_FROM

    @property
    def appendix(self) -> list[LeafSection]:
        """Leaves whose table shows a selection: their complete lists go to the appendix."""
        return [leaf for level in self.levels for leaf in level.leaves if leaf.selected]

    @property
    def toc(self) -> list[ProseSection | LevelSection]:
        items: list[ProseSection | LevelSection] = [self.introduction, self.surveys, *self.levels]
        if self.unclassified_section is not None:
            items.append(self.unclassified_section)
        items.append(self.challenges)
        if self.conclusion is not None:
            items.append(self.conclusion)
        items.append(self.references_section)
        return items


def _year_sort(record: PaperRecord) -> tuple[int, str]:
    return (record.year if record.year is not None else _UNKNOWN_YEAR, record.key)


def relevant_records(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    """The papers the survey shows: screened relevant, in (year, key) order."""
    return sorted((r for r in records if r.relevant is True), key=_year_sort)


def _check_keys(papers: Sequence[PaperRecord]) -> None:
    seen: dict[str, str] = {}
    for record in papers:
        if not _KEY.match(record.key):
            raise RenderError(
                f"paper {record.id!r} has citation key {record.key!r}, which LaTeX and BibTeX "
                f"cannot use: keys are letters, digits and _:.+- (fix the key in the corpus)"
            )
        if record.key in seen:
            raise RenderError(
                f"papers {seen[record.key]!r} and {record.id!r} share the citation key "
                f"{record.key!r}: every paper needs its own key (re-run ingest)"
            )
        seen[record.key] = record.id


def _references(papers: Sequence[PaperRecord]) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    anchors: set[str] = set()
    for number, record in enumerate(papers, start=1):
        anchor = md_anchor("ref", record.key)
        while anchor in anchors:  # keys differing only in punctuation
            anchor = Safe(anchor + "-")
        anchors.add(anchor)
        authors = [clean(a) for a in record.authors if clean(a)]
        author_text = ", ".join(authors)
        if authors and (record.authors_count or 0) > len(authors):
            author_text += " et al."
        refs.append(
            Reference(
                number=number,
                key=record.key,
                anchor=anchor,
                record=record,
                title=clean(record.title),
                short_name=short_name(record),
                authors=author_text,
                year=record.year,
                url=paper_url(record),
                eprint=arxiv_id(record.eprint),
            )
        )
    return tuple(refs)


def _row(ref: Reference) -> PaperRow:
    record = ref.record
    return PaperRow(
        ref=ref,
        title=truncate(record.title, TABLE_TITLE_CHARS),
        year=str(record.year) if record.year is not None else "",
        kind=record.kind or "n/a",
        techniques=truncate(", ".join(clean(t) for t in record.techniques[:3]), CELL_CHARS),
        hardware=truncate(", ".join(clean(h) for h in record.hardware[:3]), CELL_CHARS),
        headline=truncate(headline_text(record), CELL_CHARS),
    )


def _table_selection(members: Sequence[PaperRecord]) -> list[PaperRecord]:
    """The papers a leaf's table shows: all of them up to TABLE_ROWS, else the best supported
    (most reported results, then newest, by key: never upvotes, which most papers lack), in
    (year, key) order."""
    if len(members) <= TABLE_ROWS:
        return list(members)
    ranked = sorted(members, key=lambda r: (-len(r.results), -(r.year or 0), r.key))
    chosen = {r.key for r in ranked[:TABLE_ROWS]}
    return [r for r in members if r.key in chosen]


def _prose(
    section_id: str,
    title: str,
    number: Safe,
    label: Safe,
    sections: Mapping[str, SectionText],
    allowed: set[str],
) -> ProseSection:
    heading = f"{number}. {title}" if number else title
    text = sections.get(section_id)
    if text is None:
        return ProseSection(section_id, title, number, github_slug(heading), label, (), True)
    for sentence in text.sentences:
        unknown = [key for key in cited_keys(sentence) if key not in allowed]
        if unknown:
            raise RenderError(
                f"section {section_id!r} cites {', '.join(unknown)}, which "
                f"{'is' if len(unknown) == 1 else 'are'} not among the papers of that section: "
                f"re-run the synthesize stage (sentence: {sentence[:160]!r})"
            )
    sentences: list[str] = []
    starts: list[int] = []
    for index, sentence in enumerate(text.sentences):
        if index in text.paragraph_starts and sentences:
            starts.append(len(sentences))
        if clean(sentence):
            sentences.append(clean(sentence))
    return ProseSection(
        section_id,
        title,
        number,
        github_slug(heading),
        label,
        tuple(sentences),
        paragraph_starts=tuple(sorted(set(starts))),
    )


def _level_section(
    level: Level,
    level_number: int,
    papers: Sequence[PaperRecord],
    sections: Mapping[str, SectionText],
    ref_of: Mapping[str, Reference],
) -> LevelSection:
    leaves: list[LeafSection] = []
    level_keys: set[str] = set()
    for leaf_number, leaf in enumerate(level.leaves, start=1):
        members = [p for p in papers if leaf.id in p.leaves]
        level_keys.update(p.key for p in members)
        number = Safe(f"{level_number}.{leaf_number}")
        label = Safe("sec:" + latex_label(leaf.id))
        keys = {p.key for p in members}
        leaves.append(
            LeafSection(
                id=leaf.id,
                name=leaf.name,
                description=clean(leaf.description),
                number=number,
                slug=github_slug(f"{number}. {leaf.name}"),
                label=label,
                rows=tuple(_row(ref_of[p.key]) for p in _table_selection(members)),
                complete=tuple(_row(ref_of[p.key]) for p in members),
                prose=_prose(leaf.id, leaf.name, number, label, sections, keys) if keys else None,
            )
        )
    return LevelSection(
        id=level.id,
        name=level.name,
        description=clean(level.description),
        number=Safe(str(level_number)),
        slug=github_slug(f"{level_number}. {level.name}"),
        label=Safe("sec:" + latex_label(level.id)),
        leaves=tuple(leaves),
        paper_count=len(level_keys),
    )


def build_survey_data(
    records: Sequence[PaperRecord],
    sections: Mapping[str, SectionText],
    taxonomy: Taxonomy,
) -> SurveyData:
    """Check the inputs and assemble every section, table, count and reference."""
    papers = relevant_records(records)
    _check_keys(papers)
    # References in key order: a new paper inserts its own lines and moves nothing else.
    refs = _references(sorted(papers, key=lambda r: r.key))
    ref_of = {ref.key: ref for ref in refs}
    all_keys = set(ref_of)
    leaf_ids = set(taxonomy.leaf_ids)

    levels = [
        _level_section(level, number, papers, sections, ref_of)
        for number, level in enumerate(taxonomy.levels, start=3)
    ]
    leaf_counts = tuple(
        (level.id, leaf.name, leaf.total) for level in levels for leaf in level.leaves
    )
    unclassified = [p for p in papers if not any(leaf in leaf_ids for leaf in p.leaves)]
    after_levels = len(taxonomy.levels) + 3
    unclassified_section = None
    if unclassified:
        unclassified_section = ProseSection(
            "unclassified",
            "Other relevant papers",
            Safe(str(after_levels)),
            github_slug(f"{after_levels}. Other relevant papers"),
            Safe("sec:unclassified"),
            (),
        )
        after_levels += 1
    survey_keys = {p.key for p in papers if p.kind in ("survey", "analysis")}
    years = sorted(p.year for p in papers if p.year is not None)
    year_span = (years[0], years[-1]) if years else None

    return SurveyData(
        title=clean(taxonomy.title),
        abstract=_abstract(taxonomy, len(papers), year_span, len(years)),
        introduction=_prose(
            "introduction", "Introduction", Safe("1"), Safe("sec:introduction"), sections, all_keys
        ),
        surveys=_prose(
            "surveys", "Surveys and analyses", Safe("2"), Safe("sec:surveys"), sections, survey_keys
        ),
        levels=tuple(levels),
        unclassified=tuple(_row(ref_of[p.key]) for p in unclassified),
        unclassified_section=unclassified_section,
        challenges=_prose(
            "challenges",
            "Challenges and open problems",
            Safe(str(after_levels)),
            Safe("sec:challenges"),
            sections,
            all_keys,
        ),
        conclusion=_prose(
            "conclusion",
            "Conclusion",
            Safe(str(after_levels + 1)),
            Safe("sec:conclusion"),
            sections,
            all_keys,
        ),
        references=refs,
        charts=_charts(len(years), len(papers)),
        leaf_counts=leaf_counts,
        year_level_counts=_year_level_counts(papers, taxonomy),
        level_names=(
            *((level.id, level.name) for level in taxonomy.levels),
            (OTHER_LEVEL, "Other"),
        ),
        paper_count=len(papers),
        unscreened_count=sum(1 for r in records if r.relevant is None),
        failed_count=sum(1 for r in records if r.failed),
        year_span=year_span,
    )


def _year_level_counts(
    papers: Sequence[PaperRecord], taxonomy: Taxonomy
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Dated papers per year, each counted once under the level of its primary leaf.

    Undated papers are not a bar: the chart's caption says how many papers are dated.
    """
    leaf_ids = set(taxonomy.leaf_ids)
    counts: dict[str, Counter[str]] = {}
    for paper in papers:
        if paper.year is None:
            continue
        valid = [leaf for leaf in paper.leaves if leaf in leaf_ids]
        primary = paper.primary if paper.primary in leaf_ids else (valid[0] if valid else None)
        level = taxonomy.level_of(primary) if primary else OTHER_LEVEL
        counts.setdefault(str(paper.year), Counter())[level] += 1
    level_ids = [level.id for level in taxonomy.levels]
    if any(bucket[OTHER_LEVEL] for bucket in counts.values()):
        level_ids.append(OTHER_LEVEL)
    return tuple(
        (year, tuple((level_id, counts[year][level_id]) for level_id in level_ids))
        for year in sorted(counts)
    )


def _charts(dated: int, count: int) -> tuple[Chart, ...]:
    """The leaf chart, and the year chart only when some papers are dated (it says how many)."""
    charts = [
        Chart("papers_per_leaf", "Number of papers per taxonomy leaf.", Safe("fig:papers-per-leaf"))
    ]
    if dated:
        charts.append(
            Chart(
                "papers_per_year",
                f"Number of papers per year, by the level of their primary leaf "
                f"({dated} of {count} papers are dated).",
                Safe("fig:papers-per-year"),
            )
        )
    return tuple(charts)


def _abstract(
    taxonomy: Taxonomy, count: int, span: tuple[int, int] | None, dated: int
) -> tuple[str, ...]:
    listed = join_words([lower_name(level.name) for level in taxonomy.levels])
    leaves = len(taxonomy.leaf_ids)
    sentences = [
        f"This survey organises {count} paper{'s' if count != 1 else ''} into a taxonomy of "
        f"{len(taxonomy.levels)} levels ({listed}) and {leaves} leaves.",
    ]
    if span is not None:
        which = "The papers" if dated == count else f"The {dated} dated papers (of {count})"
        sentences.append(
            f"{which} were published between {span[0]} and {span[1]}."
            if span[0] != span[1]
            else f"{which} were published in {span[0]}."
        )
    sentences.append(
        "Each paper was screened, classified and summarised by schema-validated model calls; "
        "every statement cites the paper it comes from, and tables, the taxonomy tree and the "
        "charts are generated from structured data."
    )
    return tuple(sentences)
