"""Each input layout is detected by content and parsed into entries with their metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import ingest
from pipeline.ingest.detect import detect_layout, parse_text
from pipeline.ingest.entries import Layout

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
DUMPS = Path(__file__).resolve().parent.parent / "dumps"


def parse_fixture(name: str) -> tuple[Layout, list[tuple[int, str]], list[str]]:
    layout, outcome = parse_text((FIXTURES / name).read_text(encoding="utf-8"), name)
    entries = [(entry.line, entry.title) for entry in outcome.entries]
    return layout, entries, [issue.message() for issue in outcome.issues]


def test_hf_blocks_skips_page_chrome_and_pairs_title_with_abstract() -> None:
    layout, entries, issues = parse_fixture("hf_blocks.txt")
    assert layout is Layout.HF_BLOCKS
    assert entries == [
        (13, "Efficient Deployment of Large Language Models on Resource-constrained Devices"),
        (17, "Once-for-All: Train One Network and Specialize it for Efficient Deployment"),
    ]
    assert issues == []


def test_hf_lines_strips_subscribe_glued_to_the_first_title() -> None:
    layout, entries, issues = parse_fixture("hf_lines.txt")
    assert layout is Layout.HF_LINES
    assert [title for _, title in entries] == [
        "MixLLM: LLM Quantization with Global Mixed-precision between Output-features and "
        "Highly-efficient System Design",
        "Contemporary Model Compression on Large Language Models Inference",
        "MobA: A Two-Level Agent System for Efficient Mobile Task Automation",
    ]
    assert [line for line, _ in entries] == [3, 5, 7]
    assert issues == []


def test_hf_meta_turns_metadata_into_fields_never_titles() -> None:
    text = (FIXTURES / "hf_meta.txt").read_text(encoding="utf-8")
    layout, outcome = parse_text(text, "hf_meta.txt")
    assert layout is Layout.HF_META
    fields = {
        e.title.split(":")[0]: (e.authors_count, e.organization, e.date, e.year, e.upvotes)
        for e in outcome.entries
    }
    assert fields == {
        "MobileCLIP": (5, None, "2023-11-28", 2023, 1),
        "Are We There Yet? A Measurement Study of Efficiency for LLM Applications on Mobile "
        "Devices": (2, None, "2025-03-10", 2025, None),
        "Where to Split? A Pareto-Front Analysis of DNN Partitioning for Edge Inference": (
            4,
            None,
            None,
            None,
            None,  # 'Jan 12': no year in the dump, none guessed
        ),
        "Nemotron-Flash": (None, "NVIDIA", "2025-11-24", 2025, 2),
        "Janus": (None, None, None, None, None),  # no metadata block at all
        "CO2": (8, None, "2024-01-29", 2024, None),
    }
    assert all(e.abstract for e in outcome.entries)
    assert outcome.issues == []


def test_metadata_block_without_author_line_keeps_the_abstract() -> None:
    text = "Some Paper Title\n\nIt does things well. It is fast.\n·\nJan 5, 2024 3\n"
    layout, outcome = parse_text(text, "x.txt")
    (entry,) = outcome.entries
    assert layout is Layout.HF_META
    assert (entry.abstract, entry.organization, entry.date, entry.upvotes) == (
        "It does things well. It is fast.",
        None,
        "2024-01-05",
        3,
    )


def test_jsonl_reads_fields_and_reports_unknown_ones() -> None:
    layout, outcome = parse_text((FIXTURES / "papers.jsonl").read_text(), "papers.jsonl")
    assert layout is Layout.JSONL
    smooth, mix, taming = outcome.entries
    assert (smooth.line, smooth.date, smooth.year, smooth.url) == (
        1,
        "2022-11-18",
        2022,
        "https://arxiv.org/abs/2211.10438",
    )
    assert smooth.authors[0] == "Guangxuan Xiao" and len(smooth.authors) == 6
    assert (mix.line, mix.year, mix.date) == (3, 2024, "2024")
    assert taming.date == "2024-03-04"
    assert [i.message() for i in outcome.issues] == [
        "papers.jsonl: fields ignored (not used by taxonomist): tags"
    ]


def test_csv_reads_quoted_multiline_cells_with_the_row_start_line() -> None:
    layout, outcome = parse_text((FIXTURES / "papers.csv").read_text(), "papers.csv")
    assert layout is Layout.CSV
    taming, smooth_plus = outcome.entries
    assert taming.authors == ["Amey Agrawal", "Nitin Kedia", "Ashish Panwar"]
    assert (taming.line, taming.date) == (2, "2024-03-04")
    assert smooth_plus.line == 3
    assert "\n" not in smooth_plus.abstract and smooth_plus.abstract.startswith("Large language")
    assert (smooth_plus.date, smooth_plus.url, smooth_plus.authors) == ("2023-12", None, [])


def test_bibtex_turns_latex_into_text_and_keeps_authors_and_eprint() -> None:
    layout, outcome = parse_text((FIXTURES / "papers.bib").read_text(), "papers.bib")
    assert layout is Layout.BIBTEX
    once, gptq = outcome.entries
    assert once.title.startswith("Once-for-All: Train One Network")  # '{A}' unbraced
    assert (once.line, once.year, once.eprint) == (2, 2020, "1908.09791")
    assert once.flags == ["missing_abstract"]
    assert gptq.title.startswith("GPTQ: Accurate")
    assert gptq.authors[0] == "Frantar, Elias"
    assert [i.message() for i in outcome.issues] == [
        "papers.bib:2: entry 'Once-for-All: Train One Network and Specialize it for Effic…' "
        "has a title but no abstract; kept and flagged missing_abstract — add an 'abstract' field"
    ]


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ('{"title": "A", "abstract": "B."}\n', Layout.JSONL),
        ("title;abstract\nA;B.\n", Layout.CSV),
        ("Title\tAbstract\nA\tB.\n", Layout.CSV),
        ("  @Article{k, title={A}}\n", Layout.BIBTEX),
        ("Some Title\n\nAn abstract sentence that ends here.\n", Layout.HF_BLOCKS),
    ],
)
def test_layout_is_detected_by_content_not_extension(text: str, layout: Layout) -> None:
    assert detect_layout(text) is layout


def test_content_decides_even_with_a_misleading_extension(tmp_path: Path) -> None:
    misnamed = tmp_path / "listing.csv"
    shutil.copy(FIXTURES / "papers.jsonl", misnamed)
    report = ingest([misnamed]).report
    assert [(f.layout, f.entries) for f in report.files] == [("jsonl", 3)]


def test_a_file_in_no_known_layout_names_the_file_and_the_layouts(tmp_path: Path) -> None:
    prose = tmp_path / "notes.txt"
    prose.write_text("# Notes\n\nsee the meeting\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest([prose])
    message = str(caught.value)
    assert "notes.txt: not in any known dump layout — convert it to one of these:" in message
    for layout in Layout:
        assert f"  - {layout.value}: " in message


def test_real_dumps_entries_per_file_and_unique_papers() -> None:
    report = ingest([DUMPS]).report
    assert [(Path(f.file).name[:3], f.layout, f.entries) for f in report.files] == [
        ("000", "hf-blocks", 92),
        ("001", "hf-lines", 227),
        ("002", "hf-blocks", 120),
        ("003", "hf-meta", 63),
        ("004", "hf-blocks", 115),
    ]
    assert (report.entries, report.papers, report.duplicates_merged) == (617, 511, 106)
    assert (report.rejected, report.flagged, report.warnings) == ([], [], [])


def test_real_dumps_never_turn_chrome_or_metadata_into_titles() -> None:
    corpus = ingest([DUMPS]).corpus
    chrome = {"new", "subscribe", "daily papers", "byak and the research community"}
    for paper in corpus.papers:
        title = paper.title.lower()
        assert title not in chrome and not title.startswith(("get trending", "subscribe"))
        assert "authors" not in title.split() and paper.title != "·"
        assert paper.abstract and len(paper.title) < 300
    by_name = {paper.title.split(":")[0]: paper for paper in corpus.papers}
    assert by_name["MixLLM"].abstract.startswith("Quantization has become")
    assert by_name["Nemotron-Flash"].organization == "NVIDIA"


def test_urls_in_abstracts_are_extracted() -> None:
    corpus = ingest([FIXTURES / "hf_blocks.txt"]).corpus
    once = next(p for p in corpus.papers if p.title.startswith("Once-for-All"))
    assert once.urls == ["https://github.com/mit-han-lab/once-for-all"]
