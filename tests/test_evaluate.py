"""The scorer of `taxonomist eval`: every metric pinned on a tiny hand-made gold/pred pair."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pipeline.commands.eval import register
from pipeline.errors import InputError
from pipeline.evaluate import NOT_RELEVANT, normalize_title, read_jsonl, score


def _gold(title: str, relevant: bool | None, primary: str | None = None,
          leaves: list[str] | None = None, kind: str | None = None,
          kind_alt: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    leaves = leaves or []
    return {
        "title": title,
        "relevant": relevant,
        "primary": primary,
        "leaves": leaves,
        "kind": kind,
        "kind_alt": kind_alt or [],
        "levels": sorted({leaf.split(".")[0] for leaf in leaves}),
    }


def _pred(title: str, relevant: bool, primary: str | None, leaves: list[str],
          kind: str) -> dict[str, Any]:  # fmt: skip
    return {
        "title": title,
        "relevant": relevant,
        "primary": primary,
        "leaves": leaves,
        "levels": sorted({leaf.split(".")[0] for leaf in leaves}),
        "kind": kind,
    }


GOLD = [
    _gold("Paper A: Quantized Kernels", True, "model.quantization",
          ["model.quantization", "system.compiler"], "method"),
    _gold("Paper B", True, "system.serving", ["system.serving"], "system", ["method"]),
    _gold("Paper C", False),
    _gold("Paper D", None),  # labelers disagreed: matched, not scored
    _gold("Paper E", True, "hardware.fpga", ["hardware.fpga"], "hardware"),  # not predicted
    _gold("Paper F", True, "model.pruning", ["model.pruning"], "method"),
]  # fmt: skip
PRED = [
    # Same title up to case and punctuation: matched.
    _pred("paper a -- quantized KERNELS", True, "system.compiler",
          ["system.compiler", "model.quantization"], "system"),
    _pred("Paper B", True, "system.serving", ["system.serving", "system.memory"], "method"),
    _pred("Paper C", True, "model.pruning", ["model.pruning"], "method"),
    _pred("Paper D", True, "model.pruning", ["model.pruning"], "method"),
    _pred("Paper F", False, None, [], "method"),
    _pred("Paper Z (not in gold)", True, "model.nas", ["model.nas"], "method"),
]  # fmt: skip


def test_normalize_title_keeps_only_lowercase_letters_and_digits() -> None:
    assert normalize_title("Paper A: Quantized-Kernels (v2)!") == "paperaquantizedkernelsv2"


def test_counts_and_unmatched() -> None:
    s = score(GOLD, PRED)
    assert (s.gold_papers, s.matched, s.scored, s.gold_relevant) == (6, 5, 4, 3)
    assert s.unmatched == ["Paper E"]


def test_relevance_f1_and_accuracy() -> None:
    s = score(GOLD, PRED)
    # Scored: A, B, C, F. Gold positives A, B, F; predicted positives A, B, C; TP = 2.
    assert s.relevance_f1 == pytest.approx(2 / 3)
    assert s.relevance_accuracy == pytest.approx(2 / 4)


def test_primary_strict_and_lenient_count_irrelevant_predictions_as_wrong() -> None:
    s = score(GOLD, PRED)
    # A: primary is another gold leaf (lenient only); B: exact; F: predicted irrelevant.
    assert s.primary_strict == pytest.approx(1 / 3)
    assert s.primary_lenient == pytest.approx(2 / 3)


def test_levels_and_leaves_are_micro_averaged_set_overlap() -> None:
    s = score(GOLD, PRED)
    # Levels: TP 2 (A) + 1 (B) = 3, predicted 3, gold 4 -> P 1, R 0.75.
    assert s.levels_f1 == pytest.approx(2 * 0.75 / 1.75)
    # Leaves: TP 2 + 1 = 3, predicted 2 + 2 = 4, gold 2 + 1 + 1 = 4.
    assert s.leaves_f1 == pytest.approx(0.75)


def test_kind_accepts_kind_alt() -> None:
    s = score(GOLD, PRED)
    # A: system != method; B: method is in kind_alt; F: method.
    assert s.kind_accuracy == pytest.approx(2 / 3)


def test_confusions_list_gold_to_predicted_primary() -> None:
    s = score(GOLD, PRED)
    assert s.confusions == [
        ("model.pruning", NOT_RELEVANT, 1),
        ("model.quantization", "system.compiler", 1),
    ]


def test_perfect_predictions_score_one() -> None:
    perfect = [
        _pred(g["title"], bool(g["relevant"]), g["primary"], g["leaves"], g["kind"] or "method")
        for g in GOLD
    ]
    s = score(GOLD, perfect)
    assert s.unmatched == []
    for value in (s.relevance_f1, s.relevance_accuracy, s.primary_strict, s.primary_lenient,
                  s.levels_f1, s.leaves_f1, s.kind_accuracy):  # fmt: skip
        assert value == pytest.approx(1.0)


def test_levels_derived_from_leaves_when_pred_has_none() -> None:
    pred = [dict(p) for p in PRED]
    for p in pred:
        p.pop("levels")
    assert score(GOLD, pred).levels_f1 == score(GOLD, PRED).levels_f1


def test_read_jsonl_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"title": "ok"}\n\n{not json}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.jsonl:3: not valid JSON"):
        read_jsonl(path, "gold")
    path.write_text('{"name": "no title"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.jsonl:1: .*\"title\" string"):
        read_jsonl(path, "gold")
    with pytest.raises(InputError, match="gold file not found"):
        read_jsonl(tmp_path / "missing.jsonl", "gold")


def _app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.callback()
    def _root() -> None:  # keeps `eval` a subcommand, as in the real CLI
        pass

    return application


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_command_prints_scores_as_json(tmp_path: Path) -> None:
    gold, pred = _write(tmp_path / "g.jsonl", GOLD), _write(tmp_path / "p.jsonl", PRED)
    args = ["eval", "--gold", str(gold), "--pred", str(pred), "--json"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["primary_lenient"] == pytest.approx(2 / 3)
    assert data["unmatched"] == ["Paper E"]


def test_eval_command_prints_tables(tmp_path: Path) -> None:
    gold, pred = _write(tmp_path / "g.jsonl", GOLD), _write(tmp_path / "p.jsonl", PRED)
    result = CliRunner().invoke(_app(), ["eval", "--gold", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0, result.output
    for text in ("relevance F1", "primary lenient", "kind accuracy", "0.667", "Paper E",
                 "model.quantization", "system.compiler"):  # fmt: skip
        assert text in result.output
