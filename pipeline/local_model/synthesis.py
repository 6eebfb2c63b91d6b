"""Offline, deterministic prose for the survey from the papers' structured records.

Every function returns a `SectionText`: one sentence per item, papers cited as ``[@key]``,
paragraph starts marked. Sentences are built only from each paper's own record (its abstract's
contribution sentence, evidence quotes, results), so every number in a sentence comes from the
paper it cites.

Leaf sections are written family by family (leaf_prose.py); the introduction and challenges
synthesise across leaves (overview.py). With ``previous``, a leaf's sentences that still hold
are kept verbatim and new papers' sentences are appended, so a section that gains a paper
changes by a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.local_model.leaf_prose import cite, family_paragraphs, paper_sentence, subjects_of
from pipeline.local_model.overview import write_challenges, write_conclusion, write_introduction
from schemas.names import capitalize, count_words, join_words, lower_name
from schemas.record import PaperRecord, SectionText
from schemas.survey import cited_keys
from schemas.taxonomy import Leaf, Taxonomy

__all__ = [
    "leaf_papers",
    "write_challenges",
    "write_conclusion",
    "write_introduction",
    "write_section",
    "write_surveys_section",
]


def _sorted(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    return sorted(records, key=lambda r: (r.year if r.year is not None else 9999, r.key))


def leaf_papers(records: Sequence[PaperRecord], leaf_id: str) -> list[PaperRecord]:
    """Relevant papers classified under ``leaf_id``, in (year, key) order."""
    return _sorted([r for r in records if r.relevant is True and leaf_id in r.leaves])


def _fresh(leaf: Leaf, papers: Sequence[PaperRecord]) -> SectionText:
    sentences: list[str] = []
    starts: list[int] = []
    for paragraph in family_paragraphs(leaf, papers):
        if sentences:
            starts.append(len(sentences))
        sentences += paragraph
    return SectionText(section=leaf.id, sentences=sentences, paragraph_starts=starts)


def write_section(
    leaf: Leaf, records: Sequence[PaperRecord], previous: SectionText | None = None
) -> SectionText:
    """Prose of one leaf; ``records`` may be the whole corpus (the leaf's papers are picked).

    With ``previous``, its sentences that cite only papers still in the leaf are kept (and its
    paragraphs), and each new paper gets one sentence at the end of the section.
    """
    papers = leaf_papers(records, leaf.id)
    if previous is None or not previous.sentences:
        return _fresh(leaf, papers)
    keys = {p.key for p in papers}
    kept: list[str] = []
    starts: list[int] = []
    for index, sentence in enumerate(previous.sentences):
        if sentence.strip() and set(cited_keys(sentence)) <= keys:
            if index in previous.paragraph_starts and kept and len(kept) not in starts:
                starts.append(len(kept))
            kept.append(sentence)
    covered = {key for sentence in kept for key in cited_keys(sentence)}
    if not covered:
        return _fresh(leaf, papers)
    new = [p for p in papers if p.key not in covered]
    subjects = subjects_of(new)
    added = [paper_sentence(paper, leaf.id, subjects[paper.key], leaf.name) for paper in new]
    return SectionText(section=leaf.id, sentences=kept + added, paragraph_starts=starts)


def write_surveys_section(records: Sequence[PaperRecord], taxonomy: Taxonomy) -> SectionText:
    """Papers of kind survey or analysis: what each covers or measures, one paragraph each kind."""
    papers = _sorted(
        [r for r in records if r.relevant is True and r.kind in ("survey", "analysis")]
    )
    if not papers:
        return SectionText(
            section="surveys", sentences=["No survey or analysis paper is part of the corpus yet."]
        )
    surveys = [p for p in papers if p.kind == "survey"]
    analyses = [p for p in papers if p.kind != "survey"]
    sentences = [
        f"{capitalize(count_words(len(surveys), 'survey'))} and "
        f"{count_words(len(analyses), 'analysis', 'analyses')} map or measure the field "
        "rather than propose a single technique."
    ]
    starts: list[int] = []
    names = {leaf.id: lower_name(leaf.name) for leaf in taxonomy.leaves}
    for group in (surveys, analyses):
        if not group:
            continue
        starts.append(len(sentences))
        subjects = subjects_of(group)
        for paper in group:
            subject = subjects[paper.key]
            areas = [names[leaf] for leaf in paper.leaves if leaf in names]
            if paper.kind == "survey" and areas and not subject.startswith(("One ", "Another ")):
                sentences.append(
                    f"{subject} {'cover' if subject.endswith('et al.') else 'covers'} "
                    f"{join_words(areas)} "
                    f"{cite([paper.key])}."
                )
            sentences.append(paper_sentence(paper, paper.primary or "", subject))
    return SectionText(section="surveys", sentences=sentences, paragraph_starts=starts)
