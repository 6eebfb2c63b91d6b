"""Results a reader can trust: the schema's checks, the local model's attribution, the rendering,
and the scores on the hand-labelled set (floors on both halves)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.evaluate_results import local_predictions, score_results, split_of
from pipeline.local_model.extract import extract_facts
from pipeline.local_model.text import make_document
from schemas.names import result_text
from schemas.result import Result, cue_near, in_reach

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "results" / "results-gold.jsonl"


def _gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def _results(abstract: str) -> list[dict[str, Any]]:
    facts = extract_facts(make_document("A title", abstract), {}, [])
    return list(facts["results"])


# --- the schema -------------------------------------------------------------------------------


def _result(value: str, quote: str, metric: str = "throughput", **more: Any) -> Result:
    return Result.model_validate({"metric": metric, "value": value, "quote": quote, **more})


def test_a_measured_result_passes() -> None:
    result = _result("2.3x", "We achieve 2.3x higher throughput than vLLM.", baseline="vLLM")
    assert result.direction == "better"
    assert result.headline is False


@pytest.mark.parametrize(
    ("value", "quote", "why"),
    [
        ("40GB", "We fine-tune on one A100 40GB and reach 2x throughput.", "hardware"),
        ("100", "We fine-tune on one A100 and reach 2x throughput.", "name"),
        ("8×", "Training on 8×A100 GPUs gives higher throughput.", "configuration"),
        ("8x", "Mixtral-8x7B serves more requests in our throughput test.", "name"),
        ("1024 ×", "We generate 1024 × 1024 images at high throughput.", "configuration"),
        (
            "256 $\\times$",
            "It generates 256 $\\times$ 256 images at a higher throughput.",
            "configuration in LaTeX",
        ),
        ("7B", "Llama-2-7B throughput improves.", "name"),
        ("8.3B", "GPT 8.3B gets higher throughput with our system.", "parameter count"),
        ("32", "With batch size 32 the throughput is higher.", "setting"),
        ("50%", "At 50% sparsity, the throughput is 2x higher.", "sparsity setting"),
        ("20%", "With a KV cache budget of 20%, throughput doubles.", "budget"),
        ("10%", "It uses a 10% threshold and raises throughput.", "threshold"),
        (
            "2x, 4x and 8x",
            "It is run with 2x, 4x and 8x compression ratios for throughput.",
            "compression setting",
        ),
        ("80%", "When the load exceeds 80% of capacity, throughput stays high.", "condition"),
        ("95", "We cut the 95%ile latency and raise throughput.", "percentile"),
        ("2.4GFLOPs", "SMT with 11.5M / 2.4GFLOPs has a high throughput.", "model variant"),
    ],
)
def test_numbers_of_names_and_settings_are_never_values(value: str, quote: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _result(value, quote)
    message = str(caught.value)
    assert "is not a result" in message and "drop this result" in message, message


def test_a_latex_multiple_after_a_resolution_is_still_a_result() -> None:
    quote = "At 512 $\\times$ 512 it samples 2.1$\\times$ faster than the autoregressive baseline."
    assert _result("2.1$\\times$", quote, metric="speedup").value == "2.1$\\times$"


def test_a_bracketed_maximum_is_no_configuration() -> None:
    quote = "Our runtime speeds up the sublayers by 30% geomean (max 47%) over the baseline."
    assert _result("30% geomean (max 47%)", quote, metric="speedup").value.endswith("47%)")


def test_value_must_be_a_span_of_its_quote() -> None:
    with pytest.raises(ValidationError, match="is not a span of its quote"):
        _result("2.5x", "We achieve 2.3x higher throughput than vLLM.")


def test_metric_word_must_stand_next_to_the_number() -> None:
    quote = (
        "Our kernels use 20% fewer registers in every configuration that we have evaluated on "
        "the four benchmark suites of this study, and the end-to-end serving throughput of the "
        "whole system improves."
    )
    with pytest.raises(ValidationError, match="is not named next to '20%'"):
        _result("20%", quote, metric="throughput")
    _result("20%", "Serving throughput improves by 20% over vLLM.", metric="throughput")


def test_a_score_only_its_acronym_names_passes_as_quality() -> None:
    _result("25.4%", "Our switching improves SWAS by 25.4% over the policies.", metric="quality")
    # an acronym that is another metric's word, or a chip, is no score
    with pytest.raises(ValidationError, match="is not named next to '30%'"):
        _result("30%", "Our scheduler reduces TTFT by 30%.", metric="quality")
    with pytest.raises(ValidationError, match="is not named next to '30%'"):
        _result("30%", "Our kernel improves the H100 by 30%.", metric="quality")


def test_a_signed_gain_in_brackets_after_a_task_passes_as_quality() -> None:
    _result("+7.82%", "Our method achieves improvements across visual understanding (+7.82%) "
            "and generation (+8.46%).", metric="quality")  # fmt: skip
    _result("8.25", "Outperforming FAST in multimodal grounding (+13.5%) and long-horizon tasks "
            "(+8.25), it shows that tokenizers matter.", metric="quality")  # fmt: skip
    # a word of another metric right before the bracket names the gain; no sign, no gain
    with pytest.raises(ValidationError, match="is not named next to '35%'"):
        _result("35%", "Our kernel improves decoding speed (+35%) over vLLM.", metric="quality")
    with pytest.raises(ValidationError, match="is not named next to '7.82%'"):
        _result("7.82%", "Our method improves visual understanding (7.82%).", metric="quality")
    # no gain stated: a signed figure in brackets may be anything
    with pytest.raises(ValidationError, match="is not named next to '\\+5%'"):
        _result("+5%", "The dataset grows each year (+5%).", metric="quality")


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Our method consistently achieves improvements across visual understanding (+7.82%) "
         "and generation (+8.46%).", [("7.82%", "quality"), ("8.46%", "quality")]),
        ("Outperforming FAST in multimodal grounding (+13.5%) and long-horizon tasks (+8.25), "
         "our tokenizer serves as an interface.", [("13.5%", "quality"), ("8.25", "quality")]),
        ("Gains are dataset dependent: they are small on UCF101 (+0.62) and largest on "
         "EuroSAT (+5.78).", [("0.62", "quality"), ("5.78", "quality")]),
        # the metric word right before the bracket names it
        ("Our engine improves decoding speed (+35%) over vLLM.", [("35%", "speedup")]),
        # an unsigned figure in brackets is no gain; a multiple is no quality
        ("Our model improves visual understanding (7.82%).", []),
        ("The dataset grows each year (+5%).", []),
        ("Our model improves visual understanding (+2x).", []),
        # a share of what the hardware or an ideal allows is a utilisation; a share of a
        # teacher's performance or of a peak accuracy stays a quality
        ("Our kernels reach 70% of the theoretical peak performance of the GPU.",
         [("70%", "other")]),
        ("Our library achieves 96.5% of optimal performance without manual tuning.",
         [("96.5%", "other")]),
        ("Our student reaches 96.8% of its teacher's performance.", [("96.8%", "quality")]),
        ("Our server achieves 59% to 72% of optimal throughput.", [("59% to 72%", "throughput")]),
        # "human" before another noun is what is measured on, not a human reference
        ("Our network achieved reconstruction of a simulated human forearm with a PSNR of 29.23 "
         "dB.", [("29.23 dB", "quality")]),
        ("Our agent solves 41% of the tasks, while humans accomplish over 72.36% of them.",
         [("41%", "quality")]),
        # "over a" before the size of a change is no scale the figure is read against
        ("Our detector achieves over a 6% improvement in detection accuracy, and saves 30 ms "
         "over a 455 ms run.", [("6%", "quality"), ("30 ms", "speedup")]),
    ],
)  # fmt: skip
def test_eighteenth_pass_signed_gains_in_brackets_and_shares_of_an_ideal(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # LaTeX's "$\\sim$" inside the figure's mathematics keeps the figure whole
        ("Our judge outperforms the baselines by $\\sim10\\%$ in average accuracy.",
         [("$\\sim10\\%$", "quality")]),
        # how often outputs are right, how often people prefer them
        ("Our best model reaches 23.64% mean correctness, compared with a 57.2% human "
         "acceptance baseline.", [("23.64%", "quality")]),
        ("Our reward yields a 41.3% net human-preference improvement over the SFT baseline.",
         [("41.3%", "quality")]),
        # a size the method is configured with is a setting
        ("Our recognizer reaches 6.71% WER, and streaming with 960ms chunk size stays close.",
         [("6.71%", "quality")]),
        # absolute gains of a score; a gain in a task named by its noun, not in its latency
        ("Our model achieves absolute gains of up to 15% on reasoning.",
         [("up to 15%", "quality")]),
        ("Our agent achieves over 10% absolute improvement in vulnerability detection.",
         [("over 10%", "quality")]),
        ("Our agent achieves a 30% improvement in detection latency.", [("30%", "speedup")]),
        # a score after its name and "about"; a pair in brackets, the method's score first
        ("Our circuit keeps a near-perfect reconstruction (MSE of about 0.27).",
         [("0.27", "quality")]),
        ("Our pruning preserves full-token quality on VILA (54.5 vs. 54.6).",
         [("54.5", "quality")]),
        ("Our features predict outcomes with accuracy close to annotations (0.79 vs. 0.75; "
         "overlapping CI).", [("0.79", "quality")]),
        # a placing in a contest; an ordinal of anything else is no result
        ("On the test set, our system ranks first in Track 2.", [("ranks first", "other")]),
        ("Our team won second place in the shared task.", [("second place", "other")]),
        ("The first author ranks second in seniority.", []),
        # "min" is no unit the local model reads: "15-20min of data collection" is a setting
        ("Our model needs 15-20min of data collection per session.", []),
    ],
)  # fmt: skip
def test_nineteenth_pass_correctness_configured_sizes_and_bracketed_pairs(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a score's name right before its decimal, a margin in a score, a coefficient
        ("Our model reaches cross entropy 1.359 (perplexity 3.89) on WikiText.",
         [("1.359", "quality"), ("3.89", "quality")]),
        ("Our student outperforms single-teacher models by a median margin of 7.0 in accuracy.",
         [("7.0", "quality")]),
        ("Our benchmark keeps an average rank correlation coefficient of 0.97 with LongBench.",
         [("0.97", "quality")]),
        ("Our module achieves an F1 score of ~0.56 on medium-sized instances.",
         [("0.56", "quality")]),
        # a margin of something no score names stays out
        ("Our schedule wins by a margin of 7.0 in seconds.", []),
        # a correlation written "R=" or "r ≈"; a rank "R = 8" is a setting
        ("Our score tracks sleep time (R=0.69).", [("0.69", "quality")]),
        ("Our score tracks human ratings (r ≈ 0.91).", [("0.91", "quality")]),
        ("We tune with LoRA of rank R = 8 and reach a 2x speedup.", [("2x", "speedup")]),
        # a signed decimal is a gain in what the words next to it name; a signed version or
        # count is none
        ("Our filter beats LogME (3x faster, +0.15 Kendall-tau).",
         [("3x", "speedup"), ("0.15", "quality")]),
        ("Our method improves the CIDEr score (+6.1) over the baseline.", [("6.1", "quality")]),
        ("Our method supports Python 3.10+ and adds +2 layers.", []),
        # a benchmark's score names a signed figure before the signed decimals do
        ("Under a similar computational cost, our method outperforms the state-of-the-art "
         "methods in long video understanding (e.g., +4.6 on MLVU).", [("4.6", "quality")]),
    ],
)  # fmt: skip
def test_nineteenth_pass_named_bare_scores(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # "improves over <system> by": the system is no metric; the figure's own words name it
        ("Our attention improves over the vanilla Transformer by up to 2.3 accuracy points.",
         [("up to 2.3 accuracy points", "quality")]),
        ("Our scheduler improves over LoRA by 2.3%.", []),
        # "pp" after a figure is a gain in points of a score
        ("Across eight reasoning benchmarks, our agent outperforms both baselines (avg. +7.3 pp, "
         "max +22.4 pp on HMMT).", [("7.3 pp", "quality"), ("22.4 pp", "quality")]),
        # a band of a signal is no rate; a method's kind is no memory
        ("Pruning improves robustness to low-frequency corruptions, by up to 40%.",
         [("up to 40%", "quality")]),
        ("Our checks reach 93% with memory-based reasoning.", [("93%", "quality")]),
        # a gain over models on benchmarks that experiments demonstrate, in a paper measuring speed
        ("Extensive experiments on 16 benchmarks demonstrate that our model outperforms "
         "state-of-the-art methods by an average of 6% across scenarios, while achieving a 4x "
         "speedup in video inference.", [("6%", "quality"), ("4x", "speedup")]),
        ("Experiments on three robotic control and the Meta-World benchmarks demonstrate that "
         "our approach outperforms state-of-the-art baselines by $16\\%$ on average.",
         [("16\\%$", "quality")]),
        # a performance of benchmarks, a drop in performance
        ("Our cache improves reasoning benchmark performance by up to 8% over SOTA baselines.",
         [("up to 8%", "quality")]),
        ("Our evaluation finds that pass^k results show a 20% drop in performance.",
         [("20%", "quality")]),
    ],
)  # fmt: skip
def test_nineteenth_pass_compared_systems_points_and_signal_bands(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a compression the experiment runs at, a sweep of sparsity levels: settings
        ("On Llama-3-8B at 30% compression, our method keeps 95.1% of the accuracy.",
         [("95.1%", "quality")]),
        ("Across sparsity levels from 10% to 40%, our method reaches a 1.5x speedup.",
         [("1.5x", "speedup")]),
        # ... but a compression reached is a result
        ("Our method prunes the model to 50% sparsity with a 1.8x speedup.",
         [("50%", "size"), ("1.8x", "speedup")]),
        ("Our codec achieves compression ratios of 26% to 79% of the original file size.",
         [("26% to 79%", "size")]),
        # the level and the bounds of a confidence interval
        ("Our model achieved 71% accuracy (95% CI: 60-80%), reported with bootstrap 95% "
         "confidence intervals.", [("71%", "quality")]),
        # a share of the hardware's peak, or of its LUTs, is a utilisation (not a share of the
        # system's own best: "preserves 80% of the peak finetuning throughput")
        ("Our kernel reaches over 85% of peak memory bandwidth and runs 12x faster.",
         [("over 85%", "other"), ("12x", "speedup")]),
        ("Our design runs 3x faster and fits in ~12% of a U280's LUTs.",
         [("3x", "speedup"), ("~12%", "other")]),
        ("Our system can still preserve more than 80% of the peak finetuning throughput.",
         [("more than 80%", "throughput")]),
        ("Our design achieves a 1.3x speedup with less than 25% extra resources.",
         [("1.3x", "speedup"), ("less than 25%", "other")]),
        # a cache's hit rate is no memory
        ("Our design keeps KV-cache hit rates approaching 100% in agent workloads.", []),
        # "$0.95 n$" is mathematics, not money
        ("Our search finds sets of size roughly $0.95 n$ for large grids.", []),
    ],
)  # fmt: skip
def test_twentieth_pass_settings_intervals_and_utilisation(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # "TFLOPs" counts operations, "TFLOPS" is a rate
        ("Our encoder reduces inference TFLOPs by up to 40% and runtime by up to 30%.",
         [("up to 40%", "compute"), ("up to 30%", "speedup")]),
        # bytes of storage are a model's size
        ("With 1.5-bit weights, our 2B model requires only 500 MB of storage and improves "
         "inference speed by 1.4x.", [("only 500 MB", "size"), ("1.4x", "speedup")]),
        # a share of the performance kept; a share of the original size
        ("Our pruner removes 70.1% of visual tokens while preserving 99.0% and 99.5% "
         "performance on the 7B and 13B models.",
         [("70.1%", "compute"), ("99.0% and 99.5%", "quality")]),
        ("Our embeddings can be reduced to as little as 0.2% of their original size.",
         [("as little as 0.2%", "size")]),
        # a list does not pass its metric on over a word that names another
        ("Our kernels reduce latency by 30% on A100 and 25% on H100 GPUs.",
         [("30%", "speedup"), ("25%", "speedup")]),
        # a share scored on a named benchmark, whatever budget the sentence names before it
        ("Our model, trained with a $1,500 budget, achieves 60.7% on MMLU and 81.9% on ARC-C.",
         [("$1,500", "cost"), ("60.7%", "quality"), ("81.9%", "quality")]),
        # a metric held fixed names no figure ("comparable accuracy (10.94%)" still does)
        ("Our network shows a +7.58% gain over Spikformer with comparable model size.", []),
        ("Our method reduces latency by 28% at the same accuracy.", [("28%", "speedup")]),
        ("Our search keeps baseline-comparable accuracy (10.94%) at 2x lower cost.",
         [("10.94%", "quality"), ("2x", "cost")]),
    ],
)  # fmt: skip
def test_twentieth_pass_units_shares_and_held_metrics(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a rival's figures in its brackets, and the baselines' figures named after them
        ("Our model scores 0.70 accuracy, remaining competitive with GPT-4o (0.71 accuracy, "
         "0.68 F1).", [("0.70", "quality")]),
        ("Our model retains 80.1% of dense accuracy, against 70.3% and 4.1x for the strongest "
         "baselines.", [("80.1%", "quality")]),
        ("Our system reaches a BLEU of 0.41, compared with 0.07, 65%, and 3.3/10 for the "
         "zero-shot baseline.", [("0.41", "quality")]),
        ("Our captioner adds only $5.2\\%$ to the captioning time, compared with $65.4\\%$ for "
         "CSTA.", [("5.2\\%$", "speedup")]),
        # ... but a pair in brackets, ours first, is ours
        ("Our model is comparable to the baseline (80.1% vs. 80.3%) at half the latency.",
         [("half", "speedup")]),
        # a score named right before its decimal
        ("On the test set, our tokenizer reaches LPIPS 0.250 and rFID 1.50.",
         [("0.250", "quality"), ("1.50", "quality")]),
        ("Our translation model yields BLEU 23.15 and COMET 0.758.",
         [("23.15", "quality"), ("0.758", "quality")]),
        ("Our detector attains an AP of $64.33$ on Human-Art.", [("64.33", "quality")]),
        ("Our labels use a recall 0.5 threshold.", []),
        # a decimal score achieved, its name a few words after it
        ("Our model achieves 57.84 overall score. Our judge reaches 0.9667 strict accuracy.",
         [("57.84", "quality"), ("0.9667", "quality")]),
        ("Our model achieves 3.5 on average in six tasks.", []),
        # a share gained over another method with no metric named, in a paper whose title names
        # none: task quality; a model's score raised
        ("Our method outperforms GRPO by 6.2%.", [("6.2%", "quality")]),
        ("Our planning improves Qwen3-32B from 65.0% to 87.2%.",
         [("65.0% to 87.2%", "quality")]),
        ("Our planning improves Qwen3-32B from 12 ms to 8 ms.", [("12 ms to 8 ms", "speedup")]),
    ],
)  # fmt: skip
def test_twentieth_pass_rivals_named_scores_and_unnamed_gains(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a score raised from a lower figure by an evaluative verb: quality, whatever the score
        ("Our rollouts improve subject consistency from 84.9 to 88.5 and background consistency "
         "from 90.2 to 91.9.", [("88.5", "quality"), ("91.9", "quality")]),
        ("Our augmentation improved Random Forest performance from 60% to 95%.",
         [("60% to 95%", "quality")]),
        ("Our sampler raises CLIP R-Precision from 74.8% to 83.8%.",
         [("74.8% to 83.8%", "quality")]),
        ("Our tuning improves the score from 0.21 to 0.50 on both queries and from 0.70 to 0.92 "
         "on others.", [("0.50", "quality"), ("0.92", "quality")]),
        # not a fall, a swept setting, a setting raised, or another metric named by the verb
        ("Our accuracy drops from 87.9% to 43.9%.", [("87.9% to 43.9%", "quality")]),
        ("We vary the pruning ratio from 10% to 50%.", [("10% to 50%", "size")]),
        ("Our method increases the batch size from 8 to 32.", []),
        ("Our method increases the learning rate from 2% to 5%.", []),
        ("Our method improves Llama2 throughput from 10 to 20 on A100.", []),
    ],
)  # fmt: skip
def test_twenty_first_pass_a_score_raised_from_a_lower_figure_is_quality(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a count of the settings a method wins, after a word of winning: task quality
        ("Our method achieves the best results on 39 of 40 metrics, improving accuracy.",
         [("39 of 40 metrics", "quality")]),
        ("Our captioner is strong, winning 14 out of 16 configurations.",
         [("14 out of 16 configurations", "quality")]),
        ("Our attention outperforms on 4 out of 5 commonsense reasoning benchmarks.",
         [("4 out of 5 commonsense reasoning benchmarks", "quality")]),
        # not a count without a win, nor one that is someone else's
        ("We evaluate our method on 3 of the 7 datasets.", []),
        ("Our method improves over direct generation across five of the six models.", []),
        ("Prior systems exceed this bound on 3 of the 7 datasets.", []),
    ],
)  # fmt: skip
def test_twenty_first_pass_a_count_of_settings_won_is_quality(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a decimal score with its measure's name right after it, a benchmark's name between
        ("Our tokenizer achieves 3.94 gFID with only 64 tokens.", [("3.94", "quality")]),
        ("Our restorer reaches 72.32 MUSIQ and 0.7669 CLIPIQA on DIV2K.",
         [("72.32", "quality"), ("0.7669", "quality")]),
        ("On LLaMA-3-8B, our quantizer achieves 6.74 WikiText2 perplexity.",
         [("6.74", "quality")]),
        ("Our detector is 1.8x faster at a cost of only 2.0 AP.",
         [("1.8x", "speedup"), ("2.0", "quality")]),
        # a named score's values, and a score written with "~"
        ("Our sampler achieves FID values of 1.475 for unconditional and 1.380 for "
         "conditional generation.", [("1.475", "quality"), ("1.380", "quality")]),
        ("Our segmenter reaches sensitivity values of 0.8189 on DRIVE.", [("0.8189", "quality")]),
        ("Our segmenter reaches mIoU ~ 70.33 on Cityscapes.",
         [("70.33", "quality")]),
        # a speculative drafter's acceptance length, with or without a unit
        ("Our drafter attains up to 4.09 mean acceptance length and 3.26x speedup.",
         [("4.09", "other"), ("3.26x", "speedup")]),
        ("Our drafter achieves average acceptance lengths of 6.29-6.52 on all models.",
         [("6.29-6.52", "other")]),
        ("Our verifier improves acceptance length by 4.2% to 8.5% over rejection sampling.",
         [("4.2% to 8.5%", "other")]),
        # the decoding steps a diffusion LLM runs are compute
        ("Our sampler reduces decoding steps by 80% on BBH.", [("80%", "compute")]),
        # not another system's score, nor a figure of the systems compared with
        ("Our method nearly halves the 43.47 FID of the vanilla DiT-B/2 baseline.", []),
        ("Our tokenizer needs 64 tokens; by comparison, a diffusion-based alternative attains "
         "5.87 gFID.", []),
        # no decimal, no score: "64 tokens", "8 AP" settings are not matched
        ("Our tokenizer uses 64 tokens at 256 resolution.", []),
        # a figure continuing a list right after the previous figure's metric word has that
        # metric, unless words of its own follow it
        ("Our cache reaches up to 7 times speedup on HunyuanVideo, and 18 times when combined "
         "with distillation.", [("up to 7 times", "speedup"), ("18 times", "speedup")]),
        ("Our kernels achieve 50x speed-ups over PyTorch and allow 40x larger hidden sizes.",
         [("50x", "speedup")]),
        ("Our kernel gives 2.1x speedup, and 1.7x with respect to energy.",
         [("2.1x", "speedup"), ("1.7x", "energy")]),
        # a "×" that text extraction made a "*", only before a comparison or a speedup
        ("Our pruner gives a 4.97* speedup in prefilling.", [("4.97*", "speedup")]),
        ("We mark significant results with *, e.g. 82.3* accuracy on MMLU.", []),
        # a named score's decimal values, not counts of what is scored
        ("Our sampler reaches VBench scores of 84.46 on Wan.", [("84.46", "quality")]),
        ("Our router assigns scores to 64 experts.", []),
        ("We prune importance scores of 12 heads.", []),
        # a score followed by "of" or "to" is someone else's or a starting point
        ("Our method lowers the 5.21 FID of DiT-XL/2 to 3.10.", []),
        ("Our method improves the baseline's 3.94 gFID to 2.10 gFID.", [("2.10", "quality")]),
        # "in comparison" and a comparison that names the paper's work keep their figures
        ("In comparison, the quantized model achieves 2.1x lower latency.",
         [("2.1x", "speedup")]),
        ("Prior tokenizers need 256 tokens; by comparison, our tokenizer attains an FID of 2.1.",
         [("2.1", "quality")]),
    ],
)  # fmt: skip
def test_twenty_second_pass_scores_named_after_their_figure_and_acceptance_lengths(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a number LaTeX closed before its unit is read with the unit after the "$"
        ("Our adapter improves the average perception score by $3.3$ points over LoRA.",
         [("3.3$ points", "quality")]),
        ("Our decoder reaches $45.2$ BLEU on WMT.", [("45.2$ BLEU", "quality")]),
        # and is skipped where the same figure without LaTeX is: a duration of the setting
        ("We train on $8$ GPUs for $3$ days and reach $45.2$ BLEU.",
         [("45.2$ BLEU", "quality")]),
        # an achieved parameter count, added or as a range, after "only"
        ("Our adapter gains 9.5 points with only 0.14M additional parameters.",
         [("9.5 points", "quality"), ("only 0.14M additional parameters", "size")]),
        ("Our adapter requires only 3.4-3.7M trainable parameters across backbones.",
         [("only 3.4-3.7M trainable parameters", "size")]),
        # a model's size as a setting stays no result, and so does a count per part of a model
        ("We adapt a 3.4B-parameter model with 12M parameters of adapters.", []),
        ("Our adapter adds only 2 extra parameters per attention head.", []),
        ("Our adapter needs only 2.27M parameters per task.",
         [("only 2.27M parameters", "size")]),
        # a repetition is no multiple, a spread is no result, LaTeX's thousands are one number
        ("Each experiment is repeated $3$ times and our method reaches 45.2 BLEU.",
         [("45.2 BLEU", "quality")]),
        ("Our model reaches an mIoU of $76.3$$\\pm$$0.4$ points.", [("76.3", "quality")]),
        ("Our server reaches $1{,}200$ tokens/s on one GPU.",
         [("1{,}200$ tokens/s", "throughput")]),
        ("Our pruner cuts FLOPs by a $14$-fold margin.", [("14$-fold", "compute")]),
    ],
)  # fmt: skip
def test_latex_closed_numbers_and_added_parameter_counts(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_the_schema_accepts_a_score_named_by_its_variant_acronym() -> None:
    assert _result("1.81", "Our tokenizer reaches 1.81 gFID on ImageNet.", metric="quality")
    assert _result("5.084", "Our model reaches 5.084 bits-per-byte.", metric="quality")


def test_the_schema_accepts_a_count_of_settings_won_only_after_a_win() -> None:
    assert _result("39 of 40 metrics", "Our method achieves the best results on 39 of 40 metrics.",
                   metric="quality")  # fmt: skip
    with pytest.raises(ValidationError, match="is not named next to"):
        _result("3 of the 7 datasets", "We evaluate our method on 3 of the 7 datasets.",
                metric="quality")  # fmt: skip


def test_the_schema_accepts_a_score_raised_from_a_lower_figure() -> None:
    quote = "Our rollouts improve subject consistency from 84.9 to 88.5."
    assert _result("88.5", quote, metric="quality")
    with pytest.raises(ValidationError, match="is not named next to"):
        _result("88.5", "Our rollouts reduce subject consistency from 84.9 to 88.5.",
                metric="quality")  # fmt: skip


def test_an_unnamed_share_over_another_method_takes_the_titles_metric_first() -> None:
    abstract = "We study it. Our server outperforms vLLM by 35%."
    assert _titled("Throughput-oriented serving", abstract) == [("35%", "throughput")]
    assert _titled("A title", abstract) == [("35%", "quality")]


def test_the_schema_accepts_an_unnamed_quality_gain_and_rejects_it_where_a_title_names_a_metric(
) -> None:
    quote = "Our method outperforms GRPO by 6.2%."
    assert _result("6.2%", quote, metric="quality")
    assert _result("65.0% to 87.2%", "Our planning improves Qwen3-32B from 65.0% to 87.2%.",
                   metric="quality")  # fmt: skip
    answer = {"metric": "quality", "value": "6.2%", "quote": quote}
    papers = {"p": {"title": "Throughput-oriented serving", "abstract": quote}}
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate(answer, context={"papers": papers})


def test_a_gain_over_baselines_on_benchmarks_is_quality_in_a_paper_measuring_speed() -> None:
    abstract = (
        "We propose a tiny judge ensemble. Evaluations across five benchmarks demonstrate that it "
        "outperforms the baselines by 10% in average performance. It also achieves a 3x speedup "
        "in total training time."
    )
    assert _titled("A title", abstract) == [("10%", "quality"), ("3x", "speedup")]


def test_a_placing_is_a_value_only_with_its_verb_or_noun() -> None:
    assert _result("ranks first", "Our system ranks first in Track 2.", metric="other")
    assert _result("second place", "Our team won second place in the task.", metric="other")
    with pytest.raises(ValidationError, match="has no number"):
        _result("first", "Our system ranks first in Track 2.", metric="other")


def test_a_rate_the_experiment_sets_is_a_setting() -> None:
    with pytest.raises(ValidationError, match="budget or constraint"):
        _result("only 0.5%", "Our attack succeeds 73% of the time with a poisoning rate of only "
                "0.5%.", metric="quality")  # fmt: skip
    assert [r["value"] for r in _results(
        "We attack detectors. Our attack reaches a 73% success rate with a poisoning rate of only "
        "0.5%, and a masking ratio of 75% in training."
    )] == ["73%"]  # fmt: skip


def test_a_figure_of_an_opening_condition_is_a_setting() -> None:
    with pytest.raises(ValidationError, match="condition of the experiment"):
        _result("10-20%", "At moderate sparsity (10-20%), our pruner beats Wanda by 3% accuracy.",
                metric="size")  # fmt: skip
    _result("98%", "At 4-bit precision our method retains 98% of the accuracy.", metric="quality")


def test_metric_outside_the_vocabulary_is_rejected() -> None:
    with pytest.raises(ValidationError, match="speedup"):
        _result("2x", "A 2x improvement.", metric="improvement")


def test_a_figure_is_not_a_baseline() -> None:
    with pytest.raises(ValidationError, match="not the name of a compared system"):
        _result("18x", "up to 18x speedup vs. 90", metric="speedup", baseline="90")


def test_nearly_every_labelled_result_passes_the_schema() -> None:
    """The checks must not reject real results: the labellers' results pass (a few of theirs
    name no metric word, e.g. 'a 3.88x better baseline')."""
    results = [r for paper in _gold() for r in paper["results"]]
    passed = 0
    for item in results:
        try:
            Result.model_validate(item)
            passed += 1
        except ValidationError:
            pass
    assert passed / len(results) >= 0.90, f"{passed}/{len(results)}"


# --- the local model --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "value", "metric"),
    [
        ("Our scheduler achieves 20% lower cost than on-demand serving.", "20%", "cost"),
        ("Our accelerator reduces power by 48.9% compared with the GPU.", "48.9%", "energy"),
        ("Our design gives a 5.6x gain in energy efficiency over the CPU.", "5.6x", "energy"),
        ("Our method needs 2.2x less computation than dense attention.", "2.2x", "compute"),
        ("We reduce activation memory by 47% with recomputation.", "47%", "memory"),
        ("We achieve 2.3x higher throughput than vLLM.", "2.3x", "throughput"),
        ("Our engine runs 1.25~1.56x faster than TensorRT-LLM.", "1.25~1.56x", "speedup"),
        ("Our kernels speed up decoding by 1.4–5.9× on long prompts.", "1.4–5.9×", "speedup"),
        ("We improve accuracy by 8.7%, 12.2% and 11.0% on three tasks.",
         "8.7%, 12.2% and 11.0%", "quality"),
    ],
)  # fmt: skip
def test_a_figure_gets_the_metric_its_words_name(abstract: str, value: str, metric: str) -> None:
    results = _results("We study serving. " + abstract)
    assert [(r["value"], r["metric"]) for r in results] == [(value, metric)]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the noun phrase between the verb and "by" names the figure; a list does not run on
        # past a new phrase or another figure (a larger batch enabled is memory by its own words,
        # as the labelled sets count it)
        ("We reduce the memory footprint by 2.4x, enabling 4x larger batch sizes and 1.8x "
         "higher throughput.", [("2.4x", "memory"), ("4x", "memory"), ("1.8x", "throughput")]),
        ("We reduce memory consumption by up to 70%, while maintaining 99% of the original "
         "accuracy.", [("up to 70%", "memory"), ("99%", "quality")]),
        ("We improve energy efficiency by 3.4x and throughput per watt by 2.2x.",
         [("3.4x", "energy"), ("2.2x", "energy")]),
        ("We reduce communication volume by 4x, yielding 1.3x end-to-end speedup.",
         [("1.3x", "speedup")]),
        ("We speed up fine-tuning by 1.4x.", [("1.4x", "speedup")]),
        ("We save 2.5x GPU memory and 1.6x training time.",
         [("2.5x", "memory"), ("1.6x", "speedup")]),
        ("We outperform vLLM by 1.5x in TTFT and 2x in TPOT.",
         [("1.5x", "speedup"), ("2x", "speedup")]),
        # "respectively" pairs a list of figures with a list of metrics
        ("We improve throughput and latency by 2x and 30%, respectively.",
         [("2x", "throughput"), ("30%", "speedup")]),
        ("We reduce memory and energy by 40% and 25% respectively.",
         [("40%", "memory"), ("25%", "energy")]),
        ("Compared to vLLM, we improve the serving throughput of popular LLMs such as LLaMA-2 "
         "and Mistral by 2-4x with the same level of latency.", [("2-4x", "throughput")]),
        ("We reduce the energy of DNN training on edge devices by 40% at comparable accuracy.",
         [("40%", "energy")]),
        ("Our student reaches 95% of the accuracy of the teacher while being 4x smaller.",
         [("95%", "quality"), ("4x", "size")]),
        # "speedup in throughput": the metric after "in" is what changed
        ("Our system achieves up to 2.5x speedup in throughput over vLLM.",
         [("up to 2.5x", "throughput")]),
        ("Our engine generates 1.5x more tokens per second.", [("1.5x", "throughput")]),
        ("We show accuracy improvements in the range of 15%-50% across latency budgets.",
         [("15%-50%", "quality")]),
        ("Our server sustains 3,000 requests per second.",
         [("3,000 requests per second", "throughput")]),
        ("We prune 90% of the parameters and reach 80% sparsity.",
         [("90%", "size"), ("80%", "size")]),
        ("Our scheduler saves $1.2M in annual cost.", [("$1.2M", "cost")]),
        ("Our method is two times faster, a speedup by a factor of 3 on long prompts.",
         [("two times", "speedup"), ("a factor of 3", "speedup")]),
        # a budget or a limit the experiment is held to is a setting
        ("Under a 1% accuracy budget, our pruner removes 70% of the weights.", [("70%", "size")]),
        ("We train under strict constraints, within 24 hours, and reach 46.7% accuracy.",
         [("46.7%", "quality")]),
        ("Our server sustains 538 tokens/s under stringent 15 ms latency constraints.",
         [("538 tokens/s", "throughput")]),
        ("Our design improves area efficiency by 8.7% at computational scales of 256 GOPS, "
         "1 TOPS, and 4 TOPS.", [("8.7%", "other")]),
        # the noun before a passive or intransitive change names the figure
        ("Our agent runs on edge devices, with execution time reduced by up to 70% and power "
         "consumption by up to 40%.", [("up to 70%", "speedup"), ("up to 40%", "energy")]),
        # "improves X within Y of Z by": X is what changed; a digit inside a name (A100) does
        # not end a list
        ("Our system improves serving throughput within desired latency SLOs of Mistral-7B by "
         "up to 2.6x on a single A100 GPU and up to 6.9x on eight GPUs.",
         [("up to 2.6x", "throughput"), ("up to 6.9x", "throughput")]),
        # a parenthesised average restates the figure before it
        ("Our router reduces latency by up to 1.67x (average: 1.41x) and improves throughput by "
         "up to 1.75x.", [("up to 1.67x", "speedup"), ("1.41x", "speedup"),
                          ("up to 1.75x", "throughput")]),
        # a bare "by N" counts only when the change phrase names a metric
        ("Our pruning increases token generation throughput by 4.7 and reduces the number of "
         "layers by 2.", [("4.7", "throughput")]),
        ("Our kernels run 1.25sim1.56times faster.", [("1.25sim1.56times", "speedup")]),
        ("Our trainer reaches 15 Petaflops on 400 GPUs.", [("15 Petaflops", "throughput")]),
        ("Our simulator runs at one million frames per second on Atari.",
         [("one million frames per second", "throughput")]),
        ("Our agent reaches 58% success on paper review.", [("58%", "quality")]),
        ("Scaling our method achieves up to 58.9% gains on benchmark datasets.",
         [("up to 58.9%", "quality")]),
        ("Our method reduces the test-time compute needed by 5x.", [("5x", "compute")]),
        ("Our kernel achieves a 7.7x reduction in model storage.", [("7.7x", "size")]),
        ("Our pipeline has an operating expense that is only 10.6% of the old one.",
         [("only 10.6%", "cost")]),
        ("Our chip reaches an acceleration rate of 21 over software, using the GPU's extra "
         "speedup of 2:4 sparsity.", [("21", "speedup")]),
        # a share of the hardware's capacity is "other", with or without a unit
        ("Our runtime reaches a scaling efficiency of 0.94 and 90% weak scaling efficiency.",
         [("0.94", "other"), ("90%", "other")]),
        ("Our trainer reaches GPU throughputs of 38.38% and 31.96% on the two models, and "
         "improves throughput by 12%.", [("38.38% and 31.96%", "other"), ("12%", "throughput")]),
    ],
)  # fmt: skip
def test_each_figure_gets_the_metric_of_its_own_phrase(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    results = _results("We study serving. " + abstract)
    assert [(r["value"], r["metric"]) for r in results] == expected


def test_sentences_naming_the_method_are_its_own_results() -> None:
    facts = extract_facts(
        make_document(
            "FooNet: Fast Serving",
            "We study serving. FooNet typically reduces memory by 60%, which motivates its use.",
        ),
        {},
        [],
    )
    assert [(r["value"], r["metric"]) for r in facts["results"]] == [("60%", "memory")]


def test_a_score_that_grows_worse_is_worse() -> None:
    results = _results("We study it. Our quantizer gives a perplexity increase of only 0.3.")
    assert [(r["value"], r["metric"], r["direction"]) for r in results] == [
        ("0.3", "quality", "worse")
    ]


def test_negligible_loss_is_no_cost() -> None:
    results = _results(
        "We study caching. We reduce KV cache size by 4x with negligible accuracy loss."
    )
    assert [(r["value"], r["direction"]) for r in results] == [("4x", "better")]


def test_the_validator_and_the_local_model_share_one_attribution_window() -> None:
    spans = [(0, 6, "memory"), (40, 50, "speedup"), (200, 210, "cost")]
    assert in_reach(spans, 20, 24, reach=60) == [(14, 0, 6, "memory"), (16, 40, 50, "speedup")]
    quote = "Our kernels cut memory by 47%."
    at = quote.index("47%")
    assert cue_near("memory", quote, at, at + 3)
    assert not cue_near("memory", quote, at, at + 3, reach=3)  # "memory" is 4 characters off
    with pytest.raises(ValidationError, match="budget or constraint"):
        _result("1%", "Under a 1% accuracy budget, we prune 70% of the weights.", "quality")
    _result("$1.2M", "Our scheduler saves $1.2M in annual cost.", "cost")
    with pytest.raises(ValidationError, match="budget or constraint"):
        _result("15 ms", "It sustains 538 tokens/s under stringent 15 ms latency constraints.",
                "speedup")  # fmt: skip
    with pytest.raises(ValidationError, match="percentile"):
        _result("99%", "Our index achieves 3.5x lower 99% latency than skiplists.", "speedup")
    _result("30%", "Our index gives a 30% latency reduction.", "speedup")


def test_a_slowdown_the_method_causes_is_worse() -> None:
    results = _results(
        "We study quantized serving. On older GPUs, our 3-bit kernels slowed decoding by 27%, "
        "while they cut weight memory by 70%."
    )
    assert [(r["value"], r["metric"], r["direction"]) for r in results] == [
        ("27%", "speedup", "worse"),
        ("70%", "memory", "better"),
    ]
    # the slowdown after a gain is not the gain's
    results = _results(
        "We study quantized serving. Our kernels cut weight memory by 41%, but they slow down "
        "the whole decoding loop by roughly 6% on older GPUs."
    )
    assert [(r["value"], r["metric"], r["direction"]) for r in results] == [
        ("41%", "memory", "better"),
        ("6%", "speedup", "worse"),
    ]


def test_a_cost_of_the_method_is_worse() -> None:
    results = _results("We study pruning. Our pruning keeps under 1% accuracy loss at 2x speedup.")
    loss = next(r for r in results if r["value"].endswith(" 1%"))
    assert (loss["metric"], loss["direction"]) == ("quality", "worse")


@pytest.mark.parametrize(
    "abstract",
    [
        "We study serving. We run Mixtral-8x7B and Llama-2-7B on 8×A100 40GB GPUs.",
        "We study diffusion. We generate 1024 × 1024 images with batch size 32.",
        "We study training. Our runs use one GPU with 80GB of memory.",
        "Spot instances cost up to 70% less. We build a scheduler for them.",
        "We study costs. Existing methods incur 3x overhead on memory.",
        "We study serving. We release 10.31 million traces of our service over 213 days.",
        "We study quantization. Our model has 12% higher throughput, while prior work reported a "
        "4x speedup, as reported by Smith et al.",
        "We study agents. Our agent improves the rate, compared to 74.5% accuracy of a human.",
        "We study indices. Our index gives lower 99% latency on inserts.",
    ],
)
def test_names_settings_and_background_give_no_results(abstract: str) -> None:
    values = [r["value"] for r in _results(abstract)]
    assert all(v not in {"8x", "7B", "8×", "40GB", "1024 ×", "32", "80GB", "up to 70%", "3x",
                         "over 213 days", "74.5%", "99%"}
               for v in values), values  # fmt: skip
    assert "4x" not in values


def test_a_figure_with_no_metric_word_is_dropped() -> None:
    assert _results("We study it. Our method is 3.88x better on the suite.") == []


def test_fewer_failed_outputs_is_a_gain_in_quality() -> None:
    abstract = (
        "We study guard models. On SafeBench, our guard cuts false alarms by 31.4% and raises "
        "recall by 2.5%. Our checker reduces rule violations by 47% while preserving fluency."
    )
    found = [(r["value"], r["metric"]) for r in _results(abstract)]
    assert ("31.4%", "quality") in found and ("47%", "quality") in found, found


def test_fewer_failed_outputs_with_no_quality_word_is_dropped() -> None:
    # the schema accepts quality only with a quality word near the figure: drop it
    abstract = "We study planners. Our planner reduces constraint violations by 64% over A."
    assert [r["value"] for r in _results(abstract)] == []


def test_a_figure_named_by_another_noun_is_dropped() -> None:
    abstract = "We study RNNs. Our kernels reach 50x speed-ups and allow 40x larger hidden sizes."
    assert [r["value"] for r in _results(abstract)] == ["50x"]


def test_the_compared_systems_figures_are_not_the_papers() -> None:
    abstract = (
        "We study offloading. Fuyou achieves 156 TFLOPS on an RTX 4090 GPU while ZeRO-Infinity "
        "only achieves 45 TFLOPS. Our agent reaches 96% vs. 61% accuracy on GSM8K."
    )
    assert [r["value"] for r in _results(abstract)] == ["156 TFLOPS", "96%"]


def test_figures_written_in_words_are_results_too() -> None:
    results = _results("We study training. Our two methods cut the training time by half.")
    assert [(r["value"], r["metric"]) for r in results] == [("half", "speedup")]


# --- rendering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "text"),
    [
        ({"metric": "throughput", "value": "2.3x", "baseline": "vLLM",
          "quote": "We achieve 2.3x higher throughput than vLLM."}, "2.3× throughput vs vLLM"),
        ({"metric": "memory", "value": "47%",
          "quote": "We reduce activation memory by 47%."}, "−47% activation memory"),
        ({"metric": "speedup", "value": "1.4times-6.9times",
          "quote": "FedSpine can speed up fine-tuning by 1.4times-6.9times."}, "1.4×–6.9× speedup"),
        ({"metric": "speedup", "value": "6.0times",
          "quote": "It runs 6.0times faster."}, "6.0× speedup"),
        ({"metric": "speedup", "value": "4.97*",
          "quote": "It gives a 4.97* speedup in prefilling."}, "4.97× speedup"),
        ({"metric": "quality", "value": "3.3$ points",
          "quote": "It improves the score by $3.3$ points."}, "3.3 points"),
        ({"metric": "speedup", "value": "120$ ms to $45$ ms",
          "quote": "Latency drops from $120$ ms to $45$ ms per token."}, "120 ms to 45 ms"),
        ({"metric": "throughput", "value": "1{,}200$ tokens/s",
          "quote": "It reaches $1{,}200$ tokens/s."}, "1,200 tokens/s"),
        ({"metric": "quality", "value": "3.8%",
          "quote": "It is smaller with 3.8% higher accuracy."}, "+3.8% accuracy"),
        ({"metric": "speedup", "value": "up to 45%",
          "quote": "We cut latency by up to 45%."}, "up to 45% lower latency"),
        ({"metric": "speedup", "value": "a factor of 3",
          "quote": "It gives a speedup by a factor of 3."}, "3× speedup"),
        ({"metric": "speedup", "value": "two times",
          "quote": "It is two times faster."}, "2× speedup"),
        ({"metric": "speedup", "value": "tenfold",
          "quote": "It gives a tenfold reduction in latency."}, "10× speedup"),
        ({"metric": "energy", "value": "a factor of two",
          "quote": "It lowers energy use by a factor of two."}, "2× energy reduction"),
        ({"metric": "speedup", "value": "a factor of about 3",
          "quote": "It cuts latency by a factor of about 3."}, "about 3× speedup"),
        ({"metric": "throughput", "value": "2.5-fold",
          "quote": "It gives a 2.5-fold increase in throughput."}, "2.5× throughput"),
        ({"metric": "size", "value": "90%",
          "quote": "We prune 90% of the parameters."}, "−90% parameters"),
        ({"metric": "other", "value": "45%",
          "quote": "It reaches 45% GPU utilization."}, "45% GPU utilization"),
        # a listing's rendering of TeX's \sim: about, or a range
        ({"metric": "speedup", "value": "sim3x",
          "quote": "Using it speeds up pre-training by sim3x."}, "~3× speedup"),
        ({"metric": "speedup", "value": "4.7 sim 71.3times",
          "quote": "It achieves 4.7 sim 71.3times speedup in latency."}, "4.7–71.3× speedup"),
        # LaTeX's residue is not what a reader sees
        ({"metric": "speedup", "value": "2\\times$",
          "quote": "Our kernel gives a $2\\times$ speedup."}, "2× speedup"),
        ({"metric": "speedup", "value": "2.1$\\times$",
          "quote": "Our kernel gives a 2.1$\\times$ speedup."}, "2.1× speedup"),
        ({"metric": "speedup", "value": "1.4\\texttimes{}",
          "quote": "Our kernel gives a 1.4\\texttimes{} speedup."}, "1.4× speedup"),
        ({"metric": "memory", "value": "31\\%$",
          "quote": "Our kernel cuts memory by $31\\%$."}, "−31% memory"),
        # "10+%" is at least 10% (it showed as a bare "10+%")
        ({"metric": "throughput", "value": "10+%",
          "quote": "Our schedule can improve throughput by 10+% at equal memory."},
         "at least 10% higher throughput"),
    ],
)  # fmt: skip
def test_results_read_as_a_reader_writes_them(result: dict[str, Any], text: str) -> None:
    assert result_text(Result.model_validate(result)) == text


# --- scores on the labelled set ---------------------------------------------------------------


def test_the_scorer_counts_metric_errors_non_results_and_headlines() -> None:
    abstract = "We reach 2.3x higher throughput on an A100 40GB and cut memory by 47%."
    gold = [
        {
            "title": "T",
            "results": [
                {"value": "2.3x", "metric": "throughput", "headline": True, "quote": abstract},
                {"value": "47%", "metric": "memory", "headline": True, "quote": abstract},
            ],
            "non_results": [{"number": "A100 40GB", "why": "hardware"}],
        }
    ]
    pred = [
        {
            "title": "T",
            "abstract": abstract,
            "results": [
                {"value": "2.3x", "metric": "speedup", "quote": abstract},
                {"value": "40GB", "metric": "memory", "quote": abstract},
                {"value": "47%", "metric": "memory", "quote": abstract},
            ],
        }
    ]
    scores = score_results(gold, pred)
    assert (scores.extracted, scores.right_number, scores.right_metric) == (3, 2, 1)
    assert (scores.non_results, scores.headline, scores.headline_found) == (1, 2, 1)
    assert scores.errors["throughput read as speedup"] == 1
    assert scores.errors["non-result (hardware)"] == 1


def test_the_scorer_tells_a_repeated_value_apart_by_its_order() -> None:
    # the same figure twice in a sentence: each prediction and each gold result takes the first
    # occurrence that an earlier one did not take
    abstract = "It delivers 1.5x memory reduction and 1.5x faster inference."
    gold = [
        {
            "title": "T",
            "results": [
                {"value": "1.5x", "metric": "memory", "headline": True, "quote": abstract},
                {"value": "1.5x", "metric": "speedup", "headline": True, "quote": abstract},
            ],
        }
    ]
    pred = [
        {
            "title": "T",
            "abstract": abstract,
            "results": [
                {"value": "1.5x", "metric": "memory", "quote": abstract},
                {"value": "1.5x", "metric": "speedup", "quote": "1.5x faster inference."},
            ],
        }
    ]
    scores = score_results(gold, pred)
    assert (scores.right_number, scores.right_metric, scores.headline_found) == (2, 2, 2)
    # one prediction of the two finds one of them, not both
    pred[0]["results"] = pred[0]["results"][:1]
    assert score_results(gold, pred).headline_found == 1


def test_the_halves_are_fixed_and_both_used() -> None:
    halves = [split_of(paper["title"]) for paper in _gold()]
    assert 30 <= halves.count("dev") <= 53 and 30 <= halves.count("held-out") <= 53
    assert split_of("Some Title") == split_of("some  title!")


@pytest.fixture(scope="module")
def predictions() -> list[dict[str, Any]]:
    return local_predictions(_gold(), ROOT)


# Floors a little under the measured scores (dev 0.966 / 0.017 / 0.955 and held-out
# 0.959 / 0.014 / 0.943, measured 2026-12-03 after issue 12's fourth pass): a change that loses
# ground fails here.
@pytest.mark.parametrize(
    ("split", "precision", "non_results", "headline"),
    [("dev", 0.95, 0.03, 0.93), ("held-out", 0.94, 0.03, 0.92)],
)
def test_local_model_scores_on_the_labelled_results(
    predictions: list[dict[str, Any]], split: str, precision: float, non_results: float,
    headline: float,
) -> None:  # fmt: skip
    scores = score_results(_gold(), predictions, split)
    assert scores.unmatched == []
    assert scores.precision_with_metric >= precision, scores.as_dict()
    assert scores.non_result_share <= non_results, scores.as_dict()
    assert scores.headline_recall >= headline, scores.as_dict()


# The other labelled sets (tests/fixtures/results/README.md): floors a little under the
# scores measured 2026-12-03 after issue 12's fourth pass (fresh 1.000 / 0.000 / 0.972, fresh2
# 1.000 / 0.000 / 0.906, fresh3 0.957 / 0.014 / 0.905, fresh4 1.000 / 0.000 / 0.907; all of them
# tuned on by then), so that a change losing ground on any of them fails too.
@pytest.mark.parametrize(
    ("name", "precision", "non_results", "headline"),
    [
        ("results-fresh.jsonl", 0.97, 0.02, 0.95),
        # fresh2 0.943 headline after issue 12's tenth pass
        ("results-fresh2.jsonl", 0.97, 0.02, 0.92),
        # fresh3 0.971 / 0.000 / 0.905 after issue 12's eleventh pass
        ("results-fresh3.jsonl", 0.95, 0.02, 0.88),
        # fresh4 0.964 / 0.000 / 0.889 after the twenty-fourth pass (its labels call a token
        # reduction a cost; the pass reads tokens as compute, as the later sets label them)
        ("results-fresh4.jsonl", 0.96, 0.02, 0.88),
        # never tuned on until issue 12's sixth pass: 0.898 / 0.041 / 0.731 after the fourth
        # pass, 0.906 / 0.038 / 0.788 after the sixth (tuned on it); 0.966 / 0.017 / 0.865 after
        # the eleventh; 0.966 / 0.017 / 0.885 after the thirteenth
        ("results-fresh5.jsonl", 0.94, 0.03, 0.86),
        # never seen until the sixth pass: 0.842 / 0.070 / 0.651 before it, 0.938 / 0.031 /
        # 0.841 after it (tuned on it); 0.942 / 0.029 / 0.905 after the eleventh
        ("results-fresh6.jsonl", 0.91, 0.04, 0.88),
        # scored honestly before and after the sixth pass (0.814 / 0.071 / 0.706), then tuned
        # on by the seventh: 0.892 / 0.041 / 0.824 after it; 0.938 / 0.012 / 0.882 after the
        # eleventh
        ("results-fresh7.jsonl", 0.90, 0.03, 0.86),
        # papers from outside the dumps (daily arXiv listings), scored before any tuning
        # (extern 0.836 / 0.109 / 0.650, extern2 0.811 / 0.075 / 0.528); issue 12's ninth pass
        # was tuned on these two: 0.964 / 0.000 / 0.750 and 0.966 / 0.000 / 0.722 after it; the
        # tenth pass (tuned on all three): 0.968 / 0.000 / 0.817 and 0.971 / 0.000 / 0.806; the
        # eleventh: 0.969 / 0.000 / 0.833 and 0.972 / 0.000 / 0.819
        # the thirteenth: 0.970 / 0.000 / 0.867 and 0.972 / 0.000 / 0.833
        ("results-extern.jsonl", 0.94, 0.02, 0.84),
        # extern2 0.932 / 0.000 / 0.792 and extern11 0.897 / 0.029 / 0.763 after the twenty-fourth
        # pass (tokens read as compute; these two label them a cost)
        ("results-extern2.jsonl", 0.93, 0.02, 0.79),
        # never opened while tuning (the judge of the ninth pass): 0.817 / 0.100 / 0.536 before
        # it, 0.891 / 0.055 / 0.536 after it, measured once; tuned on by the tenth pass: 0.914 /
        # 0.041 / 0.768; the eleventh: 0.947 / 0.027 / 0.783; the thirteenth: 0.947 / 0.026 /
        # 0.797; the fourteenth: 0.960 / 0.013 / 0.797
        ("results-extern3.jsonl", 0.94, 0.03, 0.77),
        # the judge of the tenth pass, labelled after the ninth: 0.846 / 0.058 / 0.574 before it,
        # 0.818 / 0.091 / 0.588 after it (measured once); then a LaTeX resolution it exposed
        # ("256 $\times$ 256" read as a result) fixed: 0.849 / 0.057 / 0.588; the eleventh pass
        # (tuned on it): 0.915 / 0.017 / 0.706; the thirteenth: 0.917 / 0.017 / 0.721
        ("results-extern4.jsonl", 0.89, 0.03, 0.70),
        # never-seen judges of the eleventh pass and its review mend (labelled during it, kept
        # from its developers; tests/fixtures/extern/README.md): extern5 0.867 / 0.067 / 0.705,
        # extern6 0.918 / 0.020 / 0.646, extern7 0.864 / 0.085 / 0.691, extern8 0.952 / 0.016 /
        # 0.727, extern9 0.868 / 0.038 / 0.597 (floors, not targets: regressions fail here);
        # tuned on by the thirteenth pass: extern5 0.963 / 0.019 / 0.721, extern6 0.960 / 0.000 /
        # 0.692, extern7 0.917 / 0.033 / 0.750, extern8 0.968 / 0.000 / 0.758, extern9 0.912 /
        # 0.018 / 0.687 after it; the fourteenth: extern7 0.918 / 0.033 / 0.765; the fifteenth:
        # extern9 0.906 / 0.031 / 0.776 (six correlations and gains in points found, one
        # correlation of a contrast "model size does not (r=0.07)" taken); the sixteenth: extern6
        # 0.980 / 0.000 / 0.723, extern7 0.919 / 0.032 / 0.779, extern9 0.892 / 0.031 / 0.776
        # (a LaTeX bound "$\geq40\%$" now found, read as size from "sparsity")
        ("results-extern5.jsonl", 0.94, 0.03, 0.70),
        ("results-extern6.jsonl", 0.94, 0.02, 0.70),
        ("results-extern7.jsonl", 0.89, 0.05, 0.75),
        ("results-extern8.jsonl", 0.94, 0.02, 0.74),
        ("results-extern9.jsonl", 0.89, 0.04, 0.75),
        # the judge of the twelfth pass, never tuned on: 0.865 / 0.081 / 0.574 before and after;
        # tuned on by the thirteenth: 0.917 / 0.028 / 0.593 after it
        ("results-extern10.jsonl", 0.89, 0.04, 0.57),
        # judges of the thirteenth pass (labelled during it, from four further listings, kept from
        # its developer): extern11 0.828 / 0.121 / 0.592 before it, 0.845 / 0.103 / 0.605 after;
        # extern12 0.829 / 0.057 / 0.615 before, 0.824 / 0.068 / 0.654 after (measured once);
        # tuned on by the fourteenth: extern11 0.944 / 0.037 / 0.632, extern12 0.853 / 0.053 /
        # 0.692 after it; the sixteenth: extern11 0.949 / 0.034 / 0.684, extern12 0.855 / 0.053 /
        # 0.705
        ("results-extern11.jsonl", 0.89, 0.05, 0.66),
        ("results-extern12.jsonl", 0.83, 0.06, 0.67),
        # judges of the fourteenth pass (labelled during it, kept from its developer; also never
        # seen by the thirteenth): extern13 0.866 / 0.045 / 0.690 before the thirteenth, 0.899 /
        # 0.043 / 0.746 after it, 0.900 / 0.043 / 0.761 after the fourteenth; extern14 0.797 /
        # 0.051 / 0.650, 0.831 / 0.026 / 0.662, 0.831 / 0.026 / 0.662 (measured once each);
        # never tuned on, after the sixteenth pass: extern13 unchanged, extern14 0.844 / 0.026 /
        # 0.675; after the nineteenth (stop 30): extern13 0.890 / 0.055 / 0.775 (one more
        # non-result than 0.903 / 0.042 before its later parts; not read)
        ("results-extern13.jsonl", 0.87, 0.06, 0.74),
        ("results-extern14.jsonl", 0.81, 0.03, 0.65),
        # judges of the fifteenth pass (two labellers, before the model ran on them; never tuned
        # on): the same scores with the code before and after it, extern15 0.739 / 0.174 / 0.519,
        # extern16 0.861 / 0.076 / 0.632; after the sixteenth (still never tuned on): extern15
        # unchanged, extern16 0.872 / 0.077 / 0.632
        ("results-extern15.jsonl", 0.70, 0.20, 0.46),
        ("results-extern16.jsonl", 0.83, 0.10, 0.57),
        # judge of the sixteenth pass (labelled after it by two labellers; never tuned on):
        # 0.849 / 0.082 / 0.623 with the code before it, 0.840 / 0.080 / 0.636 after it
        ("results-extern17.jsonl", 0.81, 0.10, 0.60),
        # a development set of stop 27 (labelled by two labellers before the model ran): 0.851 /
        # 0.090 / 0.584 scored once before any tuning, 0.910 / 0.064 / 0.740 after the fifth part
        # of the sixteenth pass, which was written from its errors
        ("results-extern18.jsonl", 0.88, 0.08, 0.69),
        # a development set of stop 28 (two labellers, before the model ran): 0.902 / 0.033 /
        # 0.662 scored once before any tuning, 0.941 / 0.000 / 0.765 after the seventeenth pass,
        # which was written from its errors
        ("results-extern19.jsonl", 0.92, 0.02, 0.74),
        # judge of stop 29 (two labellers, before the model ran; never tuned on): 0.869 / 0.082 /
        # 0.568 with the code of the seventeenth pass and the same after the eighteenth
        ("results-extern20.jsonl", 0.84, 0.10, 0.54),
        # a development set of stop 30 (two labellers, before the model ran): 0.868 / 0.074 /
        # 0.654 scored once before any tuning
        ("results-extern21.jsonl", 0.84, 0.09, 0.62),
        # judge of stop 30 (two labellers, before the model ran; never tuned on): 0.894 / 0.030 /
        # 0.589 with the code of stop 29 (dfabe9d)
        ("results-extern22.jsonl", 0.86, 0.05, 0.56),
        # a second development set of stop 30: 0.724 / 0.069 / 0.536 scored once before any
        # tuning on it
        ("results-extern23.jsonl", 0.69, 0.09, 0.50),
        # second judge of stop 30 (never tuned on): 0.846 / 0.092 / 0.650 with the code before
        # the nineteenth pass, 0.833 / 0.106 / 0.650 after its first parts
        ("results-extern24.jsonl", 0.80, 0.13, 0.61),
        # judges labelled after the nineteenth pass (never tuned on): extern25 0.905 / 0.054 /
        # 0.778 with the code before and after it; extern26 0.773 / 0.133 / 0.694 before, 0.779 /
        # 0.130 / 0.722 after
        ("results-extern25.jsonl", 0.87, 0.08, 0.74),
        ("results-extern26.jsonl", 0.74, 0.16, 0.68),
        # (the twentieth pass, stop 31, was written from the errors of all ten sets above, from
        # extern13 on: they are development sets since; README "Issue 12's twentieth pass")
        # judges labelled during the twentieth pass, scored once before and after it (never tuned
        # on): extern27 0.892 / 0.077 / 0.769 -> 0.881 / 0.090 / 0.785; extern28 0.857 / 0.043 /
        # 0.671 -> 0.845 / 0.056 / 0.671
        ("results-extern27.jsonl", 0.85, 0.11, 0.75),
        ("results-extern28.jsonl", 0.81, 0.08, 0.64),
        # two more judges of the twentieth pass (labelled after it; never tuned on): extern29
        # 0.725 / 0.130 / 0.597 -> 0.754 / 0.116 / 0.611; extern30 0.919 / 0.065 / 0.691 both
        ("results-extern29.jsonl", 0.72, 0.14, 0.58),
        ("results-extern30.jsonl", 0.88, 0.09, 0.66),
        # judges of stop 32 (the 155 papers of extern31-34, listings of 2026-04-27..05-11; two
        # labellers, before the model ran on them; never tuned on), scored once with the code of
        # the twentieth pass: 0.826 / 0.087 / 0.638, 0.833 / 0.045 / 0.622, 0.864 / 0.045 / 0.618,
        # 0.886 / 0.070 / 0.811
        ("results-extern31.jsonl", 0.79, 0.12, 0.60),
        ("results-extern32.jsonl", 0.79, 0.08, 0.58),
        ("results-extern33.jsonl", 0.82, 0.08, 0.58),
        ("results-extern34.jsonl", 0.85, 0.10, 0.77),
        # judges of stop 33 (the 155 papers of extern35-38, listings of 2026-04-15..04-24; two
        # labellers, before the model ran on them; never tuned on), scored once with the code of
        # stop 32: 0.750 / 0.066 / 0.583, 0.762 / 0.125 / 0.681, 0.886 / 0.089 / 0.639, 0.941 /
        # 0.059 / 0.792
        ("results-extern35.jsonl", 0.71, 0.10, 0.55),
        ("results-extern36.jsonl", 0.72, 0.16, 0.64),
        ("results-extern37.jsonl", 0.85, 0.12, 0.60),
        ("results-extern38.jsonl", 0.90, 0.09, 0.75),
        # judges of stop 34 (the 160 papers of extern39-42, listings of 2026-04-03..04-14; two
        # labellers, before the model ran on them; never tuned on), scored once with the code of
        # stop 33 (0.839 / 0.097 / 0.651, 0.868 / 0.059 / 0.629, 0.888 / 0.045 / 0.805, 0.826 /
        # 0.140 / 0.792) and once after the twenty-first pass (the same, but extern42 0.830 /
        # 0.136 / 0.792)
        ("results-extern39.jsonl", 0.80, 0.13, 0.61),
        ("results-extern40.jsonl", 0.83, 0.09, 0.59),
        ("results-extern41.jsonl", 0.85, 0.08, 0.77),
        ("results-extern42.jsonl", 0.79, 0.17, 0.75),
        # judges of stop 35 (the 151 papers of extern43-46, listings of 2026-03-24..04-02; two
        # labellers, before the model ran on them; never tuned on), scored once with the code of
        # stop 34: 0.885 / 0.058 / 0.594, 0.885 / 0.034 / 0.701, 0.846 / 0.135 / 0.655, 0.901 /
        # 0.066 / 0.811
        ("results-extern43.jsonl", 0.84, 0.09, 0.55),
        ("results-extern44.jsonl", 0.85, 0.07, 0.66),
        ("results-extern45.jsonl", 0.80, 0.17, 0.60),
        ("results-extern46.jsonl", 0.86, 0.10, 0.77),
        # judges of stop 38 (the 151 papers of extern47-50, listings of 2026-03-12..03-23; two
        # labellers, before the model ran on them; never tuned on), scored once with the code of
        # stop 37: 0.937 / 0.048 / 0.840, 0.903 / 0.000 / 0.566, 0.785 / 0.062 / 0.721, 0.924 /
        # 0.030 / 0.769
        ("results-extern47.jsonl", 0.89, 0.08, 0.80),
        ("results-extern48.jsonl", 0.86, 0.03, 0.52),
        ("results-extern49.jsonl", 0.74, 0.10, 0.68),
        ("results-extern50.jsonl", 0.88, 0.06, 0.72),
        # judges of stop 38's second round (the 154 papers of extern51-54, listings of
        # 2026-02-27..03-11; two labellers, before the model ran on them; never tuned on), scored
        # once with the code of the twenty-third pass: 0.915 / 0.037 / 0.758, 0.861 / 0.069 /
        # 0.730, 0.940 / 0.015 / 0.889, 0.853 / 0.074 / 0.767
        ("results-extern51.jsonl", 0.87, 0.07, 0.71),
        ("results-extern52.jsonl", 0.82, 0.10, 0.68),
        ("results-extern53.jsonl", 0.90, 0.05, 0.84),
        ("results-extern54.jsonl", 0.81, 0.11, 0.72),
        # judges of stop 38's third round (the 139 papers of extern55-58, listings of
        # 2026-02-17..02-26), scored once with the same code: 0.922 / 0.016 / 0.767, 0.819 /
        # 0.014 / 0.655, 0.891 / 0.047 / 0.706, 0.833 / 0.061 / 0.683
        ("results-extern55.jsonl", 0.88, 0.05, 0.72),
        ("results-extern56.jsonl", 0.78, 0.05, 0.61),
        ("results-extern57.jsonl", 0.85, 0.08, 0.66),
        ("results-extern58.jsonl", 0.79, 0.09, 0.64),
        # judges labelled at the end of stop 38 (the 117 papers of extern59-62, listings of
        # 2026-02-05..02-16), scored once with the same code: 0.960 / 0.000 / 0.745, 0.882 /
        # 0.059 / 0.846, 0.867 / 0.067 / 0.567, 0.914 / 0.043 / 0.696
        ("results-extern59.jsonl", 0.92, 0.03, 0.70),
        ("results-extern60.jsonl", 0.84, 0.09, 0.80),
        ("results-extern61.jsonl", 0.82, 0.10, 0.52),
        ("results-extern62.jsonl", 0.87, 0.07, 0.65),
        # judges of stop 39 (the 189 papers of extern63-70, listings of 2026-01-14..02-04; two
        # labellers, before the model ran on them), scored once with the code of stop 38: extern63
        # 0.924 / 0.045 / 0.853, extern64 0.844 / 0.000 / 0.618, extern65 0.929 / 0.018 / 0.812,
        # extern66 0.889 / 0.000 / 0.727, extern67-70 pooled 0.906 / 0.044 / 0.679; and once
        # after issue 12's twenty-fourth pass: 0.924 / 0.045 / 0.853, 0.906 / 0.000 / 0.676,
        # 0.929 / 0.018 / 0.812, 0.889 / 0.000 / 0.727, 0.886 / 0.000 / 0.667, 0.957 / 0.000 /
        # 0.783, 0.931 / 0.069 / 0.727, 0.889 / 0.069 / 0.627
        ("results-extern63.jsonl", 0.89, 0.07, 0.82),
        ("results-extern64.jsonl", 0.87, 0.03, 0.64),
        ("results-extern65.jsonl", 0.89, 0.05, 0.78),
        ("results-extern66.jsonl", 0.85, 0.03, 0.69),
        ("results-extern67.jsonl", 0.85, 0.03, 0.63),
        ("results-extern68.jsonl", 0.92, 0.03, 0.74),
        ("results-extern69.jsonl", 0.89, 0.10, 0.69),
        ("results-extern70.jsonl", 0.85, 0.10, 0.59),
        # judges of stop 39's later rounds (the 196 papers of extern71-78, listings of
        # 2025-12-18..2026-01-13), scored once with the code of the twenty-fourth pass: 1.000 /
        # 0.000 / 0.824, 0.877 / 0.077 / 0.789, 0.957 / 0.022 / 0.780, 0.875 / 0.083 / 0.800,
        # 0.939 / 0.041 / 0.805, 0.932 / 0.041 / 0.754, 0.774 / 0.129 / 0.629, 0.904 / 0.038 /
        # 0.761; after its review mend extern73 0.935 / 0.022 / 0.756, the others the same
        ("results-extern71.jsonl", 0.96, 0.03, 0.78),
        ("results-extern72.jsonl", 0.84, 0.10, 0.75),
        ("results-extern73.jsonl", 0.90, 0.05, 0.72),
        ("results-extern74.jsonl", 0.84, 0.11, 0.77),
        ("results-extern75.jsonl", 0.90, 0.07, 0.77),
        ("results-extern76.jsonl", 0.90, 0.07, 0.72),
        ("results-extern77.jsonl", 0.74, 0.16, 0.59),
        ("results-extern78.jsonl", 0.87, 0.07, 0.72),
        # judges labelled at the end of stop 39 (the 101 papers of extern79-82, listings of
        # 2025-12-05..12-17), scored once with the code of the twenty-fourth pass and its mend:
        # 0.909 / 0.030 / 0.778, 0.917 / 0.000 / 0.625, 0.950 / 0.025 / 0.811, 0.905 / 0.071 /
        # 0.733
        ("results-extern79.jsonl", 0.87, 0.05, 0.74),
        ("results-extern80.jsonl", 0.85, 0.03, 0.56),
        ("results-extern81.jsonl", 0.91, 0.05, 0.77),
        ("results-extern82.jsonl", 0.87, 0.10, 0.69),
        # judges of stop 40 (the 198 papers of extern83-90, listings of 2025-11-10..12-04),
        # scored once with the code of stop 39: 0.892 / 0.046 / 0.826, 0.881 / 0.048 / 0.794,
        # 0.891 / 0.065 / 0.776, 0.887 / 0.042 / 0.821, 0.875 / 0.125 / 1.000, 0.923 / 0.000 /
        # 0.786, 0.795 / 0.026 / 0.587, 0.970 / 0.015 / 0.828
        ("results-extern83.jsonl", 0.86, 0.08, 0.78),
        ("results-extern84.jsonl", 0.85, 0.08, 0.74),
        ("results-extern85.jsonl", 0.86, 0.10, 0.73),
        ("results-extern86.jsonl", 0.85, 0.08, 0.77),
        ("results-extern87.jsonl", 0.80, 0.16, 0.90),
        ("results-extern88.jsonl", 0.88, 0.04, 0.74),
        ("results-extern89.jsonl", 0.76, 0.06, 0.54),
        ("results-extern90.jsonl", 0.93, 0.05, 0.78),
        # judges of stop 41 (the 149 papers of extern91-96, listings of 2025-10-20..11-07),
        # scored once with the code of stop 40: 0.900 / 0.000 / 0.786, 0.893 / 0.071 / 0.792,
        # 0.882 / 0.078 / 0.833, 0.818 / 0.136 / 0.737, 0.898 / 0.085 / 0.778, 0.924 / 0.030 /
        # 0.742
        ("results-extern91.jsonl", 0.87, 0.03, 0.74),
        ("results-extern92.jsonl", 0.86, 0.10, 0.75),
        ("results-extern93.jsonl", 0.85, 0.11, 0.79),
        ("results-extern94.jsonl", 0.78, 0.17, 0.69),
        ("results-extern95.jsonl", 0.86, 0.12, 0.73),
        ("results-extern96.jsonl", 0.89, 0.06, 0.70),
        # and the 122 papers of extern97-100 (listings of 2025-10-08..10-17), labelled at the end
        # of stop 41, scored once with the same code: 0.861 / 0.083 / 0.810, 0.900 / 0.000 /
        # 0.750, 0.800 / 0.129 / 0.800, 0.879 / 0.034 / 0.704
        ("results-extern97.jsonl", 0.83, 0.12, 0.77),
        ("results-extern98.jsonl", 0.87, 0.03, 0.70),
        ("results-extern99.jsonl", 0.77, 0.16, 0.76),
        ("results-extern100.jsonl", 0.85, 0.07, 0.66),
        # judges of stop 43 (the 129 papers of extern101-104, listings of 2025-09-25..10-07),
        # scored once with the code of stop 42: 1.000 / 0.000 / 0.849, 0.936 / 0.021 / 0.696,
        # 0.902 / 0.033 / 0.681, 0.939 / 0.030 / 0.757
        ("results-extern101.jsonl", 0.97, 0.03, 0.81),
        ("results-extern102.jsonl", 0.90, 0.05, 0.66),
        ("results-extern103.jsonl", 0.87, 0.06, 0.64),
        ("results-extern104.jsonl", 0.90, 0.06, 0.72),
        # judges of stop 44 (the 98 papers of extern105-108, listings of 2025-09-12..09-24),
        # labelled in stop 43 and scored once with its code: 0.914 / 0.037 / 0.833, 0.892 /
        # 0.054 / 0.650, 0.905 / 0.024 / 0.667, 0.920 / 0.040 / 0.607
        ("results-extern105.jsonl", 0.88, 0.06, 0.79),
        ("results-extern106.jsonl", 0.86, 0.08, 0.61),
        ("results-extern107.jsonl", 0.87, 0.05, 0.63),
        ("results-extern108.jsonl", 0.88, 0.07, 0.57),
        # judges of stop 45 (the 122 papers of extern109-113, listings of 2025-08-28..09-11),
        # scored once with the code of stop 44: 0.917 / 0.083 / 0.760, 0.911 / 0.089 / 0.870,
        # 0.900 / 0.050 / 0.765, 0.908 / 0.077 / 0.804, 0.914 / 0.034 / 0.822
        ("results-extern109.jsonl", 0.88, 0.11, 0.72),
        ("results-extern110.jsonl", 0.88, 0.11, 0.83),
        ("results-extern111.jsonl", 0.85, 0.10, 0.70),
        ("results-extern112.jsonl", 0.88, 0.10, 0.77),
        ("results-extern113.jsonl", 0.88, 0.06, 0.78),
    ],
)
def test_local_model_scores_on_the_never_tuned_papers(
    name: str, precision: float, non_results: float, headline: float
) -> None:
    path = GOLD.parent / name
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    scores = score_results(gold, local_predictions(gold, ROOT))
    assert scores.unmatched == [] and scores.papers == len(gold)
    assert scores.precision_with_metric >= precision, scores.as_dict()
    assert scores.non_result_share <= non_results, scores.as_dict()
    assert scores.headline_recall >= headline, scores.as_dict()


# --- techniques, models, hardware -------------------------------------------------------------


def _facts(title: str, abstract: str) -> dict[str, Any]:
    return extract_facts(make_document(title, abstract), {}, [])


def test_models_keep_their_full_names() -> None:
    facts = _facts(
        "A study",
        "We evaluate Code Llama-34B, GPT 8.3B, Mixtral-8x7B, DeepSeek-R1-Distill-Qwen-1.5B and "
        "GPT-4; GPT models are popular.",
    )
    assert facts["models"] == [
        "Code Llama-34B", "GPT 8.3B", "Mixtral-8x7B", "DeepSeek-R1-Distill-Qwen-1.5B", "GPT-4"
    ]  # fmt: skip


def test_hardware_is_what_the_paper_runs_on_not_only_its_baseline() -> None:
    facts = _facts(
        "FlightLLM",
        "Implemented on the Alveo U280 FPGA, FlightLLM beats NVIDIA A100 GPU with 1.2x higher "
        "throughput. We also run on Tesla P40 and compare against V100.",
    )
    assert facts["hardware"] == ["Alveo U280", "FPGA", "Tesla P40"]


def test_techniques_are_the_method_name_and_vocabulary_terms_only() -> None:
    facts = _facts(
        "SmoothServe: Quantized Serving on SSDs",
        "We propose SmoothServe, which quantizes weights and offloads the KV cache to SSDs on "
        "CPUs, with an operator library and model size, architectures as inputs.",
    )
    assert facts["techniques"] == ["SmoothServe", "quantization", "offloading"]


# --- issue 12, third pass: structural attribution rules ----------------------------------------


def _titled(title: str, abstract: str) -> list[tuple[str, str]]:
    facts = extract_facts(make_document(title, abstract), {}, [])
    return [(r["value"], r["metric"]) for r in facts["results"]]


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # an '-ing' noun inside a list item does not end the list
        ("Our PRM yields consistent performance improvements, achieving average gains of 12.1% "
         "in supervised fine-tuning, 4.5% in reinforcement learning, and 6.3% in test-time "
         "scaling.", [("12.1%", "quality"), ("4.5%", "quality"), ("6.3%", "quality")]),
        # as many metrics right after a list of figures pair with them in order
        ("Our model gives reductions of 6.0x and 8.1x in power consumption and model size.",
         [("6.0x", "energy"), ("8.1x", "size")]),
        ("Our method boosts deployment performance by 1.4-1.8 times and 3.2-3.4 times of latency "
         "and throughput on one GPU.",
         [("1.4-1.8 times", "speedup"), ("3.2-3.4 times", "throughput")]),
        ("Our method gives 1.5-1.6 times and 2.1-2.5 times improvement of latency and throughput.",
         [("1.5-1.6 times", "speedup"), ("2.1-2.5 times", "throughput")]),
        # standard metric words
        ("Our simulator achieves 18.24% lower mean absolute percentage error than others, with "
         "an average of 13.98% MAPE on real hardware.",
         [("18.24%", "quality"), ("13.98%", "quality")]),
        ("We processed billion-parameter models at 13W beyond human readable throughput.",
         [("13W", "energy")]),
        # "improve <metric phrase> from A to B"; a share of the training budget is compute
        ("Our strategies improve the average medical task performance of the model from 36.2% to "
         "40.7% with only 40% of the original training budget.",
         [("36.2% to 40.7%", "quality"), ("only 40%", "compute")]),
        ("The best approach manages to successfully configure 6.69% of repositories.",
         [("6.69%", "quality")]),
        # a bare score named after its figure or by SSIM; an error shrinking by a multiple
        ("Our encoder achieves a near perfect 0.99 (0.9 average) rank correlation across the "
         "fleet, and 100x lower MSE than tabular approaches.",
         [("0.99", "quality"), ("100x", "quality")]),
        ("Our model reconstructs missing scans, with SSIM of 0.969 for a 6-month gap.",
         [("0.969", "quality")]),
        ("Our trigger raises the data kept from 0.065 to 0.31 samples/kJ.",
         [("0.065 to 0.31 samples/kJ", "energy")]),
        ("Our system outperforms all baselines, achieving a +261.8% relative improvement over ADAS "
         "on the TravelPlanner benchmark.", [("261.8%", "quality")]),
    ],
)  # fmt: skip
def test_third_pass_attribution(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_a_long_sentences_quote_keeps_the_words_before_the_figure() -> None:
    abstract = (
        "We study it. Experimental results support both hypotheses: (i) linear-probe evaluations "
        "demonstrate promising diagnostic performance for AD (ROC-AUC: 90%, ACC: 84%) and age "
        "prediction (MAE: 4.1 years, RMSE: 5.2 years); (ii) the learned semantic representations "
        "enable attribute manipulation, yielding anatomically plausible modifications; (iii) "
        "semantic interpolation experiments show strong reconstruction of missing scans."
    )
    results = extract_facts(make_document("A title", abstract), {}, [])["results"]
    first = results[0]
    assert (first["value"], first["metric"]) == ("90%", "quality")
    assert "ROC-AUC" in first["quote"]


@pytest.mark.parametrize(
    "abstract",
    [
        "For MNIST, the teacher model achieves 98% accuracy.",
        "We observe that for 10% performance improvements, models need more memory.",
        "We show that PIE allows CODEGEN, an open-sourced and 10x smaller model than CODEX, to "
        "match the performance of CODEX.",
        "However, measuring agent speed remains a challenge since most suites are an order of "
        "magnitude slower.",
        # a model's capacity is no rate
        "Our tuning augments the model's capacity to generate up to 3x its original frames.",
        # what the baseline reaches is not the paper's result
        "However, to match the GPT-2 baseline validation accuracy of 41.2%, our bound grows.",
    ],
)
def test_conditions_other_models_and_challenges_give_no_results(abstract: str) -> None:
    assert _titled("A title", "We study it. " + abstract) == []


def test_an_unnamed_comparison_takes_the_metric_the_title_names() -> None:
    abstract = "We study batching. FooLLM outperforms vLLM by 1.1x to 2x on two workloads."
    assert _titled("FooLLM: Throughput-oriented Token Batching", abstract) == [
        ("1.1x to 2x", "throughput")
    ]
    assert _titled("FooLLM: Accelerating Inference", abstract) == [("1.1x to 2x", "speedup")]
    assert _titled("FooLLM: Token Batching", abstract) == []  # the title names no metric
    assert _titled("FooLLM: Fast and Memory-Efficient Batching", abstract) == []  # two metrics
    assert _titled("FooLLM: Accelerating Inference", "We study it. FooLLM is 3.88x better.") == [
        ("3.88x", "speedup")
    ]


def test_the_schema_takes_an_unnamed_comparison_only_with_the_titles_metric() -> None:
    quote = "FooLLM outperforms vLLM by 1.1x to 2x on two workloads."
    papers = {"p": {"title": "FooLLM: Throughput-oriented Batching", "abstract": quote}}
    answer = {"metric": "throughput", "value": "1.1x to 2x", "quote": quote}
    assert Result.model_validate(answer, context={"papers": papers}).metric == "throughput"
    with pytest.raises(ValidationError, match="title names"):
        Result.model_validate({**answer, "metric": "speedup"}, context={"papers": papers})
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate(answer)  # no paper to read the title from
    named = "FooLLM outperforms vLLM by 2x in accuracy."
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate(
            {"metric": "throughput", "value": "2x", "quote": named},
            context={"papers": {"p": {"title": papers["p"]["title"], "abstract": named}}},
        )  # a metric word stands next to it: that one, not the title's


def test_a_title_metric_result_survives_the_trip_to_the_section_writer() -> None:
    # Sections are written from compact records (schemas/survey.py): a result whose metric the
    # title names must validate there too, also when the request leaves the abstract out.
    from schemas.survey import compact, record_from_compact

    quote = "FooLLM outperforms vLLM by 1.1x to 2x on two workloads."
    title = "FooLLM: Throughput-oriented Batching"
    result = Result.model_validate(
        {"metric": "throughput", "value": "1.1x to 2x", "quote": quote},
        context={"papers": {"p": {"title": title, "abstract": quote}}},
    )
    record = record_from_compact(
        {"key": "foollm", "title": title, "abstract": "", "results": [result.model_dump()]}
    )
    assert [(r.value, r.metric) for r in record.results] == [("1.1x to 2x", "throughput")]
    assert record_from_compact(compact(record)).results == record.results
    with pytest.raises(ValidationError, match="is not named next to"):
        record_from_compact(
            {"key": "x", "title": "FooLLM: Batching", "results": [result.model_dump()]}
        )  # the title names no metric: the result is still refused


# --- issue 12, fourth pass: metrics named by general nouns, structures, figures in words -------


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # any noun's time is a time; a moment, a multiple or a user's time is not
        ("Our solver gives a 300-fold reduction in query time.", [("300-fold", "speedup")]),
        ("Our store cuts restore times by 4.1x on large clusters.", [("4.1x", "speedup")]),
        ("Our prefetcher removes 62% of pipeline stalls.", [("62%", "speedup")]),
        ("Our ranker raises daily watch time by 0.8% at the same time.", []),
        # tokens spent are a cost, the length generated is compute, passes are compute
        ("Our router cuts token usage by 35% on two suites.", [("35%", "compute")]),
        ("Our search needs 2.5x fewer tokens than beam search.", [("2.5x", "compute")]),
        ("Our policy shortens the average reasoning length by 41%.", [("41%", "compute")]),
        ("Our verifier needs 20% fewer forward passes.", [("20%", "compute")]),
        # a capacity or a frequency is a rate; a network's capacity is not
        ("Our scheduler raises serving capacity by 1.7x.", [("1.7x", "throughput")]),
        ("Our policy allows a 2.1x higher update frequency on the robot.",
         [("2.1x", "throughput")]),
        ("Our model gains 12% network capacity.", []),
        ("Our method increases the capacity of the model by 2x.", []),
        ("Our router reduces the frequency of expert switches by 40%.", []),
        ("Our trainer lowers the synchronization frequency by 4x.", []),
        # more words of the vocabulary
        ("Our retriever improves recall@10 by 12%.", [("12%", "quality")]),
        ("Our ranker improves NDCG by 4%.", [("4%", "quality")]),
        ("Our decoder lowers the hallucination rate by 18%.", [("18%", "quality")]),
        ("Our scheduler extends battery life by 35%.", [("35%", "energy")]),
        ("Our optimizer reduces time-to-accuracy by 2.1x.", [("2.1x", "speedup")]),
        ("Our plan lowers the data center electricity use by 18%.", [("18%", "energy")]),
        ("Our detector gives 22% fewer false negatives than the baseline.", [("22%", "quality")]),
        ("Our engine reduces data movement by 31% geomean (max 44%).",
         [("31%", "memory"), ("44%", "memory")]),
    ],
)  # fmt: skip
def test_general_nouns_name_the_metric(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a percentage achieved with no noun after it is a score; with a noun it is that noun's
        ("Our best model achieves 41.5% and 63.2% in the zero-shot and few-shot settings, "
         "respectively.", [("41.5% and 63.2%", "quality")]),
        ("Our network reaches 78.4% on ImageNet with fewer layers.", [("78.4%", "quality")]),
        ("Our trainer achieved 31.2% and 35.0% Model FLOPs Utilization.",
         [("31.2% and 35.0%", "other")]),
        ("Our kernel achieves 30% lower latency.", [("30%", "speedup")]),
        ("Our runtime keeps utilization high: GPU utilization reaches 85%, and more.",
         [("85%", "other")]),
        ("Our trainer reaches MFU: 45% on 1,024 GPUs.", [("45%", "other")]),
        ("Our kernel achieves 2.5x on long prompts.", []),
        ("Our kernel achieves 45% on A100 GPUs.", []),
        # a gain on a named benchmark or in a setting, with no metric named, is a quality gain
        ("Our policy gives a 9.4% gain on LIBERO and 15% improvement in simulated settings.",
         [("9.4%", "quality"), ("15%", "quality")]),
        ("Our policy gives a 3x gain on LIBERO.", []),
        ("Our kernel gives a 15% improvement on A100 GPUs.", []),
        # a count is named by what it counts
        ("Our filter gives 18% lower number of false positives.", [("18%", "quality")]),
        ("Our filter gives 18% lower number of hops.", []),
        # a change in a metric known only by its acronym is "other"
        ("Our planner yields a 46.2% improvement in AES over the baseline.",
         [("46.2%", "other")]),
        ("Our planner yields a 2x improvement in TTFT over the baseline.", [("2x", "speedup")]),
        ("Our planner yields a 2x improvement in LLM serving.", []),
        # a score is quality; a compressed cache is the cache's memory
        ("Our method improves the average score by 4.8%.", [("4.8%", "quality")]),
        ("The KV cache is compressed by 5x with our method.", [("5x", "memory")]),
        # a score after its metric's name, a bound or a bracket
        ("Our model keeps high fidelity (PSNR > 31.2, MSE < 0.002) on held-out scans.",
         [("31.2", "quality"), ("0.002", "quality")]),
        ("Our regressor predicts age well (MAE: 3.7 years).", [("3.7", "quality")]),
        ("Our policy reaches a mean reward score (0.712) on the testbed.", [("0.712", "quality")]),
        # a percentage after a benchmark's name and a colon is its score, not the baseline's
        ("Our agent beats GPT-4o (MATH500: 71% vs. 64%; AIME24: 23% vs. 13%).",
         [("71%", "quality"), ("23%", "quality")]),
        # a time taken, in words; plural efficiencies
        ("Our recipe only takes three hours to train a 1B model.",
         [("three hours", "speedup")]),
        ("Our runtime reaches strong scaling efficiencies of 91% and 85%.",
         [("91% and 85%", "other")]),
        # an achieved pruning ratio is a size; a risk or confidence level is a setting
        ("Our pruner reaches a 45% pruning ratio with minimal impact on task performance.",
         [("45%", "size")]),
        ("Our cascade gives the same coverage at 10% risk with 40% fewer MACs.",
         [("40%", "compute")]),
        # a long changed noun phrase, the time it takes, time to first token in words
        ("Our method reduces memory usage during training of large models with long sequences "
         "on consumer GPUs by 60%.", [("60%", "memory")]),
        ("Our system reduces the time it takes to fine-tune a model on one node by 3.1x.",
         [("3.1x", "speedup")]),
        ("The time to first token decreases by 45% for long prompts.", [("45%", "speedup")]),
        # a system's performance is its speed; a second "and by" keeps the change's metric
        ("Our prefetcher improves end-to-end application performance by 9.1% over a radix "
         "page table and by 4.3% over a software-managed TLB.",
         [("9.1%", "speedup"), ("4.3%", "speedup")]),
        ("Our model improves task performance by 3.1% over the baseline.", [("3.1%", "quality")]),
        # a share of a metric named within two words after "of the"
        ("Our co-serving keeps more than 85% of the peak inference throughput.",
         [("more than 85%", "throughput")]),
        ("Our model retains 97% of its original zero-shot accuracy.", [("97%", "quality")]),
        # more figures in words: -fold words, a factor in words, a count of orders, a fraction
        ("Our method achieves a tenfold reduction in latency.", [("tenfold", "speedup")]),
        ("The challenge is twofold: memory is scarce and latency matters.", []),
        ("Our system lowers energy use by a factor of two.", [("a factor of two", "energy")]),
        ("Our method achieves 3 orders of magnitude lower latency.",
         [("3 orders of magnitude", "speedup")]),
        ("Our method needs about 1/8 of the FLOPs of the dense model.", [("1/8", "compute")]),
        # what a smaller model keeps of the original is its quality
        ("Our student has 40% fewer parameters, retains 96% of the teacher's reasoning "
         "capabilities and is 55% faster.",
         [("40%", "size"), ("96%", "quality"), ("55%", "speedup")]),
        # a change of a score written without a unit
        ("Our quantizer gives a perplexity increase of only 0.3 at 3 bits.", [("0.3", "quality")]),
        ("Our recipe gives 0.8 better perplexity than the dense baseline.", [("0.8", "quality")]),
        # training tokens are data, not a cost of use
        ("Our model matches the teacher with 5.3x fewer training tokens.", []),
        ("We train with half-precision numbers without losing accuracy.", []),
        # the size of a model is its size (of a KV cache its memory); a batch size is neither
        ("We reduce the size of a BERT model by 40% with distillation.", [("40%", "size")]),
        ("Our method reduces the size of the KV cache by 4x.", [("4x", "memory")]),
        ("Our method reduces the batch size by 4x.", []),
        ("Our pipeline reduces the storage of networks by 35x to 49x.", [("35x to 49x", "size")]),
        # a share of a model's performance, of tasks solved; what humans reach is a reference
        ("Our student reaches more than 95.1% of its teacher's performance on GLUE.",
         [("more than 95.1%", "quality")]),
        ("Our best agent completes only 11.2% of tasks, far below human performance of 80.1%.",
         [("only 11.2%", "quality")]),
        ("While humans can accomplish over 70.5% of the tasks, our agent solves 12.9% of tasks.",
         [("12.9%", "quality")]),
        ("Our agent reaches a success rate of 18.5%, compared to 72.5% performance of a human.",
         [("18.5%", "quality")]),
        # figures each with its own change word, then as many metrics and "respectively"
        ("Our approach achieves a 35% reduction, a 2x improvement, and a 10% gain in latency, "
         "throughput and accuracy, respectively.",
         [("35%", "speedup"), ("2x", "throughput"), ("10%", "quality")]),
        ("Our model reaches human-level accuracy of 91.2% on the exam.", [("91.2%", "quality")]),
        # a share of SLOs met is no metric of the figure before; data transfer is memory;
        # concurrent users served are a rate
        ("Our system achieves up to 3.2x higher goodput while meeting 99% of SLOs.",
         [("up to 3.2x", "throughput")]),
        ("Our method reduces CPU-GPU data transfer by 4x.", [("4x", "memory")]),
        ("Our method enables serving 2.3x more concurrent users.", [("2.3x", "throughput")]),
        # "passes" the verb is no count of passes
        ("Our generated code passes 90% of the unit tests.", [("90%", "quality")]),
        # a drop of nothing named is one of quality; a drop in latency is latency's
        ("Our video model prunes visual tokens with less than 1% drop.",
         [("less than 1%", "quality")]),
        ("We observe a 30% drop in latency.", [("30%", "speedup")]),
        ("Our compression cuts the checkpoint size by 60%.", [("60%", "size")]),
        # a rate in hertz, only next to a rate word
        ("Our policy runs with an inference throughput of 163 Hz on the robot.",
         [("163 Hz", "throughput")]),
        ("Audio is sampled at 16 kHz and our model cuts latency by 30%.", [("30%", "speedup")]),
        # a fraction in words
        ("Our method uses one-third of the memory of the baseline.",
         [("one-third", "memory")]),
        # resources saved are a cost
        ("Our scheduler gives 35%-60% resource savings over static plans.",
         [("35%-60%", "cost")]),
    ],
)  # fmt: skip
def test_fourth_pass_structures(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's sixth pass: figures that no metric word names, read from how the sentence states
# them (each pattern seen in two or more labelled papers or a general way of writing).
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a percentage gain on a named benchmark, dataset or task is a gain in task quality
        ("Our model outperforms the baseline models by at least 4.2% on the SQuAD benchmark.",
         [("at least 4.2%", "quality")]),
        ("Reasoning skills improve markedly (+12% to +30% in MathBench for both models).",
         [("12% to +30%", "quality")]),
        ("Small models show a 9.1% improvement overall and up to a 21.5% improvement in "
         "creative, open ended tasks on the Foo benchmark.",
         [("9.1%", "quality"), ("21.5%", "quality")]),
        ("Our planner outperforms plain elicitation from GPT-o3-mini (by 41% on MiniGrid).",
         [("41%", "quality")]),
        # ... but not a multiple, nor a gain of another metric named on the way
        ("Our system outperforms the baseline by 3x on the ShareGPT dataset.", []),
        ("Our system improves throughput by 20% on the ShareGPT dataset.",
         [("20%", "throughput")]),
        # a larger batch that fits is memory; a bound of the method's performance is quality
        ("Our cache lets the server support up to 5x larger batch sizes.",
         [("up to 5x", "memory")]),
        ("Our scheme keeps performance within 3% of full-precision baselines.",
         [("within 3%", "quality")]),
        # a signed gain written without a unit, before its change noun
        ("Our detector achieves a +4.5 improvement in mAP50 over the baseline.",
         [("+4.5", "quality")]),
        # a training or validation loss is a quality
        ("Our tuning gives a reduction in training loss by 38.5%.", [("38.5%", "quality")]),
        # what a model retains, more of it, is quality
        ("Our tuning also retains up to 15% more source-domain knowledge than LoRA.",
         [("up to 15%", "quality")]),
        # a list of metrics changed "by" a list of figures pairs in order, "respectively" or not
        ("Our unit reduces area and power consumption by 11% and 9% on average.",
         [("11%", "other"), ("9%", "energy")]),
        ("Our network has 20% and 35% fewer parameters and FLOPs, respectively.",
         [("20%", "size"), ("35%", "compute")]),
    ],
)  # fmt: skip
def test_sixth_pass_figures_without_a_metric_word(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_an_unnamed_comparison_reads_metric_words_in_its_own_clause_only() -> None:
    abstract = (
        "We study serving. FooServe outperforms the state-of-the-art solution by 3.2x on "
        "average, with our analytical model predicting performance with 91% accuracy."
    )
    assert _titled("FooServe: High-Throughput Serving", abstract) == [
        ("3.2x", "throughput"),
        ("91%", "quality"),
    ]
    named = "We study serving. FooServe outperforms the best system by 3.2x in accuracy."
    assert _titled("FooServe: High-Throughput Serving", named) == []
    # a bracketed "up to" restates the figure before it
    bracketed = "We study serving. FooServe outperforms vLLM by 2.1x on average (up to 5.3x)."
    assert _titled("FooServe: High-Throughput Serving", bracketed) == [
        ("2.1x", "throughput"),
        ("up to 5.3x", "throughput"),
    ]


def test_the_schema_takes_a_benchmark_gain_as_quality() -> None:
    quote = "Our model outperforms the baseline models by at least 4.2% on the SQuAD benchmark."
    answer = {"metric": "quality", "value": "at least 4.2%", "quote": quote}
    assert Result.model_validate(answer).metric == "quality"
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate({**answer, "metric": "speedup"})
    latency = "Our model improves latency by 4.2% on the SQuAD benchmark."
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate({"metric": "quality", "value": "4.2%", "quote": latency})


def test_a_change_from_a_figure_keeps_only_where_it_ends() -> None:
    abstract = (
        "We study it. Our method reduces the relative performance drop from 8%-30% to within 4%."
    )
    assert _titled("A title", abstract) == [("within 4%", "quality")]
    versus = "We study it. Our kernel gives latency reductions compared to a 16-bit baseline of 8%."
    assert _titled("A title", versus) == [("8%", "speedup")]


# Issue 12's seventh pass: general patterns the errors of results-fresh7 showed.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # "sim" is "~" that lost its backslash (LaTeX \sim), before a figure, glued or not
        ("Our method speeds up pre-training by sim3x.", [("sim3x", "speedup")]),
        ("Our method speeds up pre-training by \\sim 3x.", [("\\sim 3x", "speedup")]),
        # "per sec" and "/sec" are rates as "per second" and "/s" are
        ("Our engine gives an 18-22x improvement in the generated token per sec.",
         [("18-22x", "throughput")]),
        ("Our engine reaches 2x more tokens/sec than vLLM.", [("2x", "throughput")]),
        ("Our server handles 3x more requests per sec.", [("3x", "throughput")]),
        ("Our engine generates 120 tokens/sec on one GPU.", [("120 tokens/sec", "throughput")]),
        # the size of a model by any word for the model names the metric the change is in
        ("Our lossless framework reduces LLM size by 30% while preserving outputs.",
         [("30%", "size")]),
        ("Our pruning reduces network size by 40% with no accuracy loss.", [("40%", "size")]),
        ("Our method cuts the model's size by 3x.", [("3x", "size")]),
        # compressing a cache (by its name in the figure's clause) saves memory, not model size
        ("With 4-bit MiniCache, LLaMA-2-7B achieves a compression ratio of up to 5.02x.",
         [("up to 5.02x", "memory")]),
        ("SnapKV achieves a compression ratio of 8x on LongBench.", [("8x", "memory")]),
        ("Our method compresses the KV cache by 4x.", [("4x", "memory")]),
        ("Our quantizer achieves a compression ratio of 8x on LLaMA-2-7B.", [("8x", "size")]),
        ("Our model achieves 3x compression, and the cache hit rate grows.", [("3x", "size")]),
        # "a <change> of N in <metric>": the metric after "in" is what changed
        ("On a CPU it achieved a speedup of up to 18x in inference throughput and a reduction "
         "of over 90% in RAM consumption.",
         [("up to 18x", "throughput"), ("over 90%", "memory")]),
        ("Our method gives a speedup of 3x in most settings.", [("3x", "speedup")]),
        # prior work listed among the systems a method outperforms is a baseline, no background
        ("Our method outperforms imitation learning baselines and prior RL approaches, with an "
         "average 2x improvement in success rate and 1.8x faster execution.",
         [("2x", "quality"), ("1.8x", "speedup")]),
        ("Our method is faster than vLLM and existing methods take 3x longer.", []),
        # "parameter count" names a size for the schema's check as for attribution
        ("The model reduces parameter counts to merely 0.9% (5.7M).", [("0.9%", "size")]),
        # "11.5M / 2.4GFLOPs": a parameter count and its FLOPs name a model variant, no result
        ("Specifically, SMT with 11.5M / 2.4GFLOPs and 32M / 7.7GFLOPs can achieve 82.2% and "
         "84.3% top-1 accuracy on ImageNet-1K, respectively.",
         [("82.2% and 84.3%", "quality")]),
    ],
)  # fmt: skip
def test_seventh_pass_patterns(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12 (brief 12g): figures of performance in general, whose metric the paper fixes.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a kernel paper that measures speed elsewhere: its "performance" is speed
        ("Our kernels run 2.1x faster than cuBLAS. Against hand-written libraries, our compiler "
         "delivers performance improvements of 1.4x.", [("2.1x", "speedup"), ("1.4x", "speedup")]),
        # the figure after the one it compares with: a second system outperformed
        ("Our design has 4x lower latency than a CPU server and outperforms a data-center GPU "
         "by 2.5x.", [("4x", "speedup"), ("2.5x", "speedup")]),
        # a serving paper that measures throughput: its "achievable performance" is throughput
        ("Our engine sustains 3x higher throughput than vLLM. This is a 5x increase in "
         "achievable performance over prior engines.",
         [("3x", "throughput"), ("5x", "throughput")]),
        # a model paper that measures accuracy: its "baseline performance" is quality
        ("Our tuned models gain 4.1% accuracy on the reading task. On average, the models "
         "improve 6.3% from their baseline performance.",
         [("4.1%", "quality"), ("6.3%", "quality")]),
        # quality only in a paper whose results are all gains in quality: a paper that also
        # saves memory may mean its speed
        ("Our cache cuts memory use by 40% and keeps 99% of the accuracy. It also improves "
         "performance by 20%.", [("40%", "memory"), ("99%", "quality")]),
        # speed and throughput both measured: which one "performance" is stays open
        ("Our server has 2x lower latency and 3x higher throughput. It also improves "
         "performance by 1.5x.", [("2x", "speedup"), ("3x", "throughput")]),
        # nothing measured elsewhere, no metric in the title: dropped
        ("Our method improves performance by 2.5x.", []),
        # a multiple is no quality, whatever the paper measures
        ("Our model gains 3.2% accuracy on the reading task. It improves performance by 2x.",
         [("3.2%", "quality")]),
        # a metric word between "performance" and the figure names it: no guess
        ("Our kernels run 2.1x faster than cuBLAS. Our performance model cuts the search "
         "cost by 40%.", [("2.1x", "speedup"), ("40%", "cost")]),
    ],
)  # fmt: skip
def test_performance_in_general_takes_the_metric_the_paper_measures(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_the_schema_takes_performance_in_general_as_a_metric_the_paper_names() -> None:
    quote = "Against prior methods, our approach delivers performance improvements of 1.4x."
    abstract = f"Our kernels run 2.1x faster than cuBLAS. {quote}"
    papers = {"p": {"title": "A compiler", "abstract": abstract}}
    answer = {"metric": "speedup", "value": "1.4x", "quote": quote}
    assert Result.model_validate(answer, context={"papers": papers}).metric == "speedup"
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate(answer)  # no paper to read what it measures from
    with pytest.raises(ValidationError, match="is not named next to"):
        # the paper names no throughput
        Result.model_validate({**answer, "metric": "throughput"}, context={"papers": papers})


def test_a_performance_result_survives_the_trip_to_the_section_writer() -> None:
    # Without the abstract, the schema reads what the paper measures from its results' quotes.
    from schemas.survey import record_from_compact

    title = "A kernel compiler"
    abstract = (
        "We study it. Our kernels run 2.1x faster than cuBLAS. Against prior methods, "
        "our approach delivers performance improvements of 1.4x."
    )
    results = extract_facts(make_document(title, abstract), {}, [])["results"]
    assert [(r["value"], r["metric"]) for r in results] == [
        ("2.1x", "speedup"),
        ("1.4x", "speedup"),
    ]
    record = record_from_compact({"key": "k", "title": title, "abstract": "", "results": results})
    assert [(r.value, r.metric) for r in record.results] == [
        ("2.1x", "speedup"),
        ("1.4x", "speedup"),
    ]
    with pytest.raises(ValidationError, match="is not named next to"):
        record_from_compact({"key": "k", "title": title, "results": results[1:]})


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a multiple of performance against programs or machines is a speedup
        ("Compared with vendor libraries, our code generator gives performance improvements "
         "of 1.6x.", [("1.6x", "speedup")]),
        ("On the same board, our runtime outperforms the reference CPU implementation by 3x.",
         [("3x", "speedup")]),
        # what the paper measures comes first: a serving paper's performance is throughput
        ("Our engine sustains 3x higher throughput than vLLM on one GPU. It gives a 5x increase "
         "in achievable performance over prior GPU engines.",
         [("3x", "throughput"), ("5x", "throughput")]),
        # no program or machine compared: no guess
        ("Compared with prompting, our agent gives performance improvements of 1.6x.", []),
    ],
)  # fmt: skip
def test_a_multiple_of_performance_against_programs_or_machines_is_a_speedup(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_the_schema_takes_a_multiple_of_performance_against_programs_as_a_speedup() -> None:
    quote = (
        "Compared with vendor libraries, our code generator gives performance improvements of 1.6x."
    )
    answer = {"metric": "speedup", "value": "1.6x", "quote": quote}
    assert Result.model_validate(answer).metric == "speedup"
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate({**answer, "metric": "throughput"})
    agent = "Compared with prompting, our agent gives performance improvements of 1.6x."
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate({**answer, "quote": agent})


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        # expense in general is money ...
        ("Distilling classifiers", "Our distilled models are 40x faster and 12x less expensive "
         "than GPT-4 at inference.", [("40x", "speedup"), ("12x", "cost")]),
        # ... unless the paper is about the energy it takes
        ("The Energy Footprint of Serving", "We find that generic models are 30x more "
         "expensive than task-specific ones.", [("30x", "energy")]),
        ("Distilling classifiers", "Our models cut inference energy by 4x. We find that "
         "generic models are 30x more expensive than task-specific ones.",
         [("4x", "energy"), ("30x", "energy")]),
        # a title naming both energy and cost leaves it open
        ("The Energy Cost of Serving", "We find that generic models are 30x more expensive "
         "than task-specific ones.", []),
    ],
)  # fmt: skip
def test_expense_in_general_is_a_cost_unless_the_paper_measures_another(
    title: str, abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled(title, "We study it. " + abstract) == expected


def test_the_schema_takes_expense_as_energy_only_in_a_paper_naming_energy() -> None:
    quote = "We find that generic models are 30x more expensive than task-specific ones."
    answer = {"metric": "energy", "value": "30x", "quote": quote}
    papers = {"p": {"title": "The Energy Footprint of Serving", "abstract": quote}}
    assert Result.model_validate(answer, context={"papers": papers}).metric == "energy"
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate(answer)
    assert Result.model_validate({**answer, "metric": "cost"}).metric == "cost"


# Issue 12 (brief 12h): papers from outside the dumps (results-extern, results-extern2).
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a "$" opening LaTeX mathematics is no dollar: its figure is no cost
        ("Our adaptor raises the rate from $2.5\\,\\mathrm{m/s}$ to $7.5\\,\\mathrm{m/s}$ "
         "(reaching $70\\%$ of the target).", []),
        ("We show that a small set of units (less than $0.2\\%$ of all units) predicts "
         "which answers are wrong.",
         []),
        # money still is
        ("Our system serves a query at $0.12, a 4x lower cost than before.",
         [("$0.12", "cost"), ("4x", "cost")]),
        ("Training our model costs $1.2M less than the baseline.", [("$1.2M", "cost")]),
        # where a change starts is the baseline's figure, the end written as a range or after
        # the system the start is for
        ("Our cache cuts the step time from 310 seconds to between 40 and 55 seconds.",
         [("55 seconds", "speedup")]),
        ("The latency drops from 80 ms for vLLM to 20 ms with our scheduler.",
         [("20 ms", "speedup")]),
        # a figure in brackets describing a system the paper beats is that system's ...
        ("Our runtime outperforms multiprocessing (limited by ~6x memory overhead on small "
         "boards) in latency.", []),
        # ... not the margin in brackets
        ("Our method outperforms LoRA (by 3.1% accuracy on average) on GLUE.",
         [("3.1%", "quality")]),
        # settings the experiment describes: the inputs used, the scale a figure is read
        # against, a pruning ratio, the half of a compound noun
        ("Our model gains 20.5% in accuracy on videos exceeding 40 minutes.",
         [("20.5%", "quality")]),
        ("Our forecaster reaches 92% accuracy over a 500 ms horizon.", [("92%", "quality")]),
        ("It raises accuracy by 2.1 points under 30% pruning and 3.4 points under 60% pruning.",
         [("2.1 points", "quality"), ("3.4 points", "quality")]),
        ("Our classifier reaches an accuracy of 41.2% from the first moves (12 half-moves).",
         [("41.2%", "quality")]),
        ("Our method cuts the memory by half.", [("half", "memory")]),
        # the noun names the metric: an error in milliseconds is one of quality, a
        # "computational speedup" a speedup
        ("Our surrogate reaches a mean prediction error of 3.2 ms and runs inference in 0.2 ms "
         "per sample.", [("3.2 ms", "quality"), ("0.2 ms", "speedup")]),
        ("Our agent matches the baseline with up to 1.9x computational speedup and 40 percent "
         "FLOPs reduction.", [("up to 1.9x", "speedup"), ("40 percent", "compute")]),
        ("Our method cuts the computational cost by 35%.", [("35%", "compute")]),
        # a score named by its metric: the Dice coefficient, intersection over union, a
        # variant of BLEU or ROUGE, an f1-score, mIoU as a unit
        ("Our best model achieved a Dice Similarity Coefficient of 0.41 and "
         "Intersection-over-Union of 0.29 on the test scans.",
         [("0.41", "quality"), ("0.29", "quality")]),
        ("Our decoder reaches BLEU-1 23.4 and ROUGE-1 F 18.6 on the word-level split.",
         [("23.4", "quality"), ("18.6", "quality")]),
        ("We achieve f1-score up to 0.81.", [("0.81", "quality")]),
        ("Notably, our detector surpasses the strongest counterpart by 4.2 mIoU on ScanRefer.",
         [("4.2 mIoU", "quality")]),
        # a gain on benchmarks named at the head of its clause, or further after it, is quality
        ("On datasets such as SQuAD, DROP, and BoolQ, our mixer achieves improvements of 6.2%, "
         "3.9%, and 2.5% over the base models, respectively.",
         [("6.2%, 3.9%, and 2.5%", "quality")]),
        ("Notably, on the hard subset of WebQSP, our agent achieves up to a 9.4% relative "
         "improvement.", [("9.4%", "quality")]),
        ("Our model shows gains of +2.8% and +1.9% over the base model on subsets of the MMMU "
         "and MathVista benchmarks, respectively.", [("2.8%", "quality"), ("1.9%", "quality")]),
        # the share of people or votes preferring the method in a human evaluation
        ("We ran human evaluations with 12 clinicians and found that over 85% of users "
         "supported using our assistant.", [("over 85%", "quality")]),
        ("In a 40-participant study, 71.2% of preferences favor our method across all axes.",
         [("71.2%", "quality")]),
        ("We find that 40% of users are new each month.", []),
        # a change written as the score it ends at: the end, named by the words before it
        ("Our agent raises F1 from 0.61 for the HTML agent to between 0.72 and 0.74.",
         [("between 0.72 and 0.74", "quality")]),
        ("Our retriever improves AUC@10 from 0.171 to 0.205 on the test split.",
         [("0.205", "quality")]),
        ("With our cache, token usage falls from about 230k to 52k per task.",
         [("52k", "compute")]),
        ("We vary the depth from 7 to 13 layers and improve accuracy by 2.1%.",
         [("2.1%", "quality")]),
        # the share of the training data a method does without saves compute
        ("Our selector reaches near-original model performance while pruning 25% of data.",
         [("25%", "compute")]),
        ("Experiments demonstrate that removing 15%-35% of the data preserves the classifier "
         "performance.", [("15%-35%", "compute")]),
        # hardware named at the head is no benchmark
        ("On the A100 GPU, our kernel achieves improvements of 12% over cuBLAS.", []),
    ],
)  # fmt: skip
def test_ninth_pass_outside_the_dumps(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a structured abstract's "Background:" part is background up to the next label
        ("Background: Older screening tools often miss early cases. When the standard test is "
         "scored pass/fail, most patients score 2 points, which biases it. Methods: We train a "
         "classifier on drawings. Results: Our classifier reaches an accuracy of 88.2%.",
         [("88.2%", "quality")]),
        # what prior work overlooks, with an example figure, is background
        ("Prior detectors trade speed for accuracy. Furthermore, they overlook planning, for "
         "example, 52.0 mAP leading to safe plans. We propose a metric that improves accuracy "
         "by 3.1%.", [("3.1%", "quality")]),
    ],
)  # fmt: skip
def test_ninth_pass_background(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", abstract) == expected


def test_a_latex_dollar_names_no_cost_for_the_schema() -> None:
    quote = "Our method reaches $65\\%$ of the target on the benchmark."
    with pytest.raises(ValidationError, match="is not named next to"):
        Result.model_validate({"metric": "cost", "value": "65\\%", "quote": quote})


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        ("30 minutes", "Our gains are largest on videos exceeding 30 minutes of speed tests."),
        ("455 ms", "The error is 5.1 ms over a 455 ms maximum simulation time."),
        ("50%", "Accuracy improves by 3.6 points under 50% pruning, a lower latency."),
    ],
)
def test_the_schema_rejects_the_settings_of_outside_papers(value: str, quote: str) -> None:
    with pytest.raises(ValidationError):
        _result(value, quote, metric="speedup")


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # an error with its acronym in brackets, in any unit ("mmHg", "~N", "years")
        ("Our regressor achieves mean absolute errors (MAE) of 2.75 mmHg on the test split.",
         [("2.75", "quality")]),
        ("The gripper reaches a root mean square error (RMSE) of 0.312~N in calibration.",
         [("0.312", "quality")]),
        ("Our estimator keeps mean absolute deviations of 4.1 years on held-out records.",
         [("4.1", "quality")]),
        # a fit, however R squared is written
        ("Our forecaster reaches an $R^2$ of 0.71 on the held-out farms.", [("0.71", "quality")]),
        ("The proposed regressor is the best (R2 = 0.66) among the models we tried.",
         [("0.66", "quality")]),
        ("Our network achieved the highest $R^2$ score of $0.98120$ on unseen samples.",
         [("0.98120", "quality")]),
        # a fraction before the measure it is
        ("On the river scenes our model achieves 0.8811 overall accuracy and 0.8702 macro "
         "F1-score.", [("0.8811", "quality"), ("0.8702", "quality")]),
        # the scores in brackets after the baseline improved over are the baseline's
        ("Our model reaches 0.912 overall accuracy, improving over a plain CNN baseline "
         "(0.884 overall accuracy, 0.861 macro F1).", [("0.912", "quality")]),
    ],
)  # fmt: skip
def test_tenth_pass_scores_without_a_unit(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a percentage gain naming no metric, set against others or on benchmarks, is quality
        ("It outperforms earlier samplers at every depth, achieving relative improvements of "
         "12%, 15%, and 9%, respectively.", [("12%, 15%, and 9%", "quality")]),
        ("On the ROUTE benchmark, our planner sets a new best (31% gain over the prior best).",
         [("31%", "quality")]),
        ("We show the superiority of our agent on planning tasks (14.2% improvement).",
         [("14.2%", "quality")]),
        ("Across three benchmarks our recipe enhances multilingual reasoning by an average gain "
         "of 4.4%.", [("4.4%", "quality")]),
        # what changed, named after the figure
        ("Our module improves strong baseline models by up to 9.5% in overall accuracy.",
         [("up to 9.5%", "quality")]),
        # a gain with no comparison and no benchmark names nothing
        ("Our new scheduler brings a 20% improvement to the cluster.", []),
        # a multiple is no gain in quality
        ("Our kernel achieves improvements of 3x over the baseline.", []),
    ],
)  # fmt: skip
def test_tenth_pass_gains_naming_no_metric(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the areas under the ROC and precision-recall curves, written as one word
        ("Our detector reaches AUROC up to 91.2% and AUPRC up to 77.5% on the clinic data.",
         [("up to 91.2%", "quality"), ("up to 77.5%", "quality")]),
        # a rate of tasks done, without a unit
        ("Our agent achieves an average success rate of 48.5 in the kitchen simulator.",
         [("48.5", "quality")]),
        ("Our retriever reaches a completion rate of 0.83 on the forms.", [("0.83", "quality")]),
    ],
)  # fmt: skip
def test_tenth_pass_named_scores(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a bare score continued for another setting measures the same
        ("Our regressor reaches an R2 score of 0.91 for memory use and 0.74 for energy use.",
         [("0.91", "quality"), ("0.74", "quality")]),
        ("Our pruning raises the mean accuracy by up to 1.9 under 30% sparsity and 2.6 under "
         "60% sparsity.", [("up to 1.9", "quality"), ("2.6", "quality")]),
        ("Our cuff-free method reaches mean absolute errors (MAE) of 4.10 mmHg for one arm and "
         "3.35 mmHg for the other.", [("4.10", "quality"), ("3.35", "quality")]),
        # a count after "and" is no second score
        ("Our regressor reaches an R2 score of 0.91 for memory use and 12 other targets.",
         [("0.91", "quality")]),
    ],
)  # fmt: skip
def test_tenth_pass_a_bare_score_continued(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a bare score on a benchmark named by its capitals
        ("In generation we set a new best among autoregressive models, 0.71 on GenBench and "
         "81.20 on TextVQA-Hard.", [("0.71", "quality"), ("81.20", "quality")]),
        ("With our codebook, MMLU-Pro improves by 1.27 over the strongest rival.",
         [("1.27", "quality")]),
        # hardware is no benchmark
        ("Our kernel runs one step in 1.25 on H100 per batch.", []),
        # nor is a model
        ("Our kernel runs one step in 1.25 on LLaMA-7B and 2.50 on GPT-2 per batch.", []),
    ],
)  # fmt: skip
def test_tenth_pass_a_score_of_a_named_benchmark(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_the_schema_reads_a_named_benchmark_as_quality_but_not_hardware() -> None:
    quote = "In generation we reach 0.71 on GenBench, as fast as 1.25 on H100."
    assert Result.model_validate({"metric": "quality", "value": "0.71", "quote": quote})
    with pytest.raises(ValidationError):
        Result.model_validate(
            {"metric": "quality", "value": "1.25", "quote": "It runs in 1.25 on H100."}
        )


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the share of the training data a method needs is its data efficiency
        ("Our tagger matches the full model while using only 3% of the training data.",
         [("only 3%", "other")]),
        ("Our detector needs only 0.5% (2k) of the original training data to converge.",
         [("only 0.5%", "other")]),
        ("Our parser reaches parity while using only one-tenth of the labelled data.",
         [("one-tenth", "other")]),
        # a share of something else stays unnamed
        ("Our tagger runs while using only 3% of the hospital budget.", []),
    ],
)  # fmt: skip
def test_tenth_pass_the_share_of_training_data_used(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a budget in GPU hours, in thousands or on named hardware
        ("We finish the whole training run in just 120K A100 GPU hours.",
         [("120K A100 GPU hours", "cost")]),
        ("Our recipe extends the context, requiring only 2.5k GPU hours of training.",
         [("2.5k GPU hours", "cost")]),
        # GPU hours on offer, not spent by the method, are no result
        ("The cluster offers 300K GPU hours a year to all projects.", []),
    ],
)  # fmt: skip
def test_tenth_pass_gpu_hours(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the tokens a request sends or generates are compute (issue 12's twenty-fourth pass; they
        # were a cost before)
        ("Our soft prompt achieves a 400x reduction in prompt length on the three suites.",
         [("400x", "compute")]),
        ("Our cleaner reduces input token count to 35% of the raw page.", [("35%", "compute")]),
        ("Our prompting style reduces generated tokens by 3x at equal accuracy.",
         [("3x", "compute")]),
        # the length of a response stays compute
        ("Our method reduces the average response length by 41%.", [("41%", "compute")]),
    ],
)  # fmt: skip
def test_tenth_pass_tokens_sent_are_compute(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a percentage in brackets after how a model performed is its score; "with fewer
        # parameters" after it describes the model
        ("Deep ResNets reach the highest accuracy, while our small CNN performed comparably "
         "(81.45%) with fewer parameters.", [("81.45%", "quality")]),
        ("Our tiny network's performance on the hard split was lower (61% with less than 9,000 "
         "parameters).", [("61%", "quality")]),
        # "with fewer" and no performance: nothing names it
        ("Our tiny network reaches (61%) with fewer parameters.", []),
    ],
)  # fmt: skip
def test_tenth_pass_a_score_in_brackets_after_performed(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # LaTeX in arXiv text: "$\times$" is a multiple read whole, "$\sim$" no dollar
        ("Our kernel achieves a 2.5$\\times$ speedup over FlashAttention.",
         [("2.5$\\times$", "speedup")]),
        ("Our kernel is $\\sim$3x faster than FlashAttention.", [("$\\sim$3x", "speedup")]),
        # a dollar amount stays a cost
        ("Our service costs $3 per hour less than the baseline.", [("$3", "cost")]),
    ],
)  # fmt: skip
def test_tenth_pass_latex_multiples(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's eleventh pass (README "Issue 12's eleventh pass"), one group per rule.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # --- figures written in latex or below a millisecond
        # a multiple inside LaTeX's dollars, with or without a space, or its backslash doubled
        ("Our scheduler delivers a $2.7\\times$ speedup over the default policy.",
         [("2.7\\times$", "speedup")]),
        ("Our scheduler delivers a $2.7 \\times$ speedup over the default policy.",
         [("2.7 \\times$", "speedup")]),
        ("Our codec cuts traffic costs by 3 \\\\times relative to the plain exchange.",
         [("3 \\\\times", "cost")]),
        ("Our codec gives more than 15\\\\% lower latency than the plain exchange.",
         [("more than 15\\\\%", "speedup")]),
        # a range whose ends sit in dollars of their own
        ("Our pruning shrinks memory by $1.6$--$2.4\\times$ on every model.",
         [("1.6$--$2.4\\times$", "memory")]),
        # the closing "$" is the figure's, so that the words after it still name it
        ("Our server gives up to $2.5\\times$ lower latency and $1.8\\times$ higher "
         "throughput than the default engine.",
         [("2.5\\times$", "speedup"), ("1.8\\times$", "throughput")]),
        ("Our kernel is $1.3{\\times}$ faster than cuDNN and 1.2{\\texttimes} faster than TVM.",
         [("1.3{\\times}$", "speedup"), ("1.2{\\texttimes}", "speedup")]),
        # "~" or "\," between a figure and its unit
        ("Our decoder brings its latency down to 14~ms per request.", [("14~ms", "speedup")]),
        ("Our decoder brings its latency down to 14\\,ms.", [("14\\,ms", "speedup")]),
        # times below a millisecond
        ("Our lookup table reaches 620ns latency and 2.5us tail latency on the server.",
         [("620ns", "speedup"), ("2.5us", "speedup")]),
        ("Our lookup table reaches a latency of 80 μs on the server.", [("80 μs", "speedup")]),
        ("Our lookup table reaches a latency of 80$\\mu$s on the server.",
         [("80$\\mu$s", "speedup")]),
        # "us" the pronoun after a figure is no unit
        ("Profiling 3 us-east regions lets us plan.", []),
        # --- a list with its unit after the last item
        # a list whose unit comes only after its last item, followed by "respectively": one
        # figure each, all measuring what the unit names
        ("Our detector beats the baseline by 1.7, 2.9 and 0.6 mAP on the three splits, "
         "respectively.", [("1.7", "quality"), ("2.9", "quality"), ("0.6 mAP", "quality")]),
        ("Our kernels cut latency to 3.25, 6.5 and 8.75 ms on the three boards, respectively.",
         [("3.25", "speedup"), ("6.5", "speedup"), ("8.75 ms", "speedup")]),
        # a whole number before "and" is no list item ("Llama 3 and 2.5x")
        ("Our method is compared with Llama 3 and 2.5x larger models.", []),
        # --- scores listed after a named score
        # scores without a unit listed after a named score, each after its own name
        ("Our classifier reaches an F1 score of 0.91, a recall (night) of 0.88, and a "
         "specificity of 0.79 on the ward data.",
         [("0.91", "quality"), ("0.88", "quality"), ("0.79", "quality")]),
        ("Our segmenter reaches an IoU of 0.64 and a boundary distance of 0.31 on the scans.",
         [("0.64", "quality"), ("0.31", "quality")]),
        # a setting after a score is no score: a whole number, or a multiple
        ("Our classifier reaches an F1 score of 0.91 and a batch size of 32 on the ward data.",
         [("0.91", "quality")]),
        # --- sampler steps and ranges
        # the steps a sampler runs are compute, as its function evaluations are
        ("Our sampler needs 8x fewer denoising steps than the teacher.", [("8x", "compute")]),
        ("Our solver cuts sampling iterations by 60% on every dataset.", [("60%", "compute")]),
        # a range with a unit at both ends is one figure, whatever metrics follow it
        ("Our sampler uses 4x to 20x fewer denoising steps, giving 3x to 12x faster generation.",
         [("4x to 20x", "compute"), ("3x to 12x", "speedup")]),
        # --- how often a model gets it right
        # how often a model gets it right is a score
        ("Our reader reaches word recognition rates of 91.5% and 88.2% on the two archives, "
         "respectively.", [("91.5% and 88.2%", "quality")]),
        ("Our intervals reach a coverage ratio of 94.1% on held-out wells.",
         [("94.1%", "quality")]),
        # a cache's hit rate is no score
        ("Our cache reaches a hit rate of 93% on the trace.", []),
        # --- communication is memory
        # what a distributed or federated system sends is memory (bandwidth), not money
        ("Our protocol incurs 41% less communication cost than federated averaging.",
         [("41%", "memory")]),
        ("Our protocol cuts communication costs by 6x across the clients.", [("6x", "memory")]),
        # a share of computing resources beside it stays compute
        ("Our split tuning uses a mere 0.8% of local computing resources and 40% less "
         "communication cost.", [("0.8%", "compute"), ("40%", "memory")]),
        # a cost on its own stays a cost
        ("Our protocol cuts the serving cost by 35% across the clients.", [("35%", "cost")]),
        # --- a metric named after in and a stage
        # "in" and a stage before the metric word names the figure, nearer words before it
        # notwithstanding
        ("Our router removes 35% of active parameters and saves 15% in inference costs.",
         [("35%", "size"), ("15%", "cost")]),
        ("Our router needs 2x less memory and gives up to 3x in serving throughput.",
         [("2x", "memory"), ("up to 3x", "throughput")]),
        # --- a compared systems level in brackets
        # a level in brackets after a compared system is that system's figure
        ("Our tagger reaches an accuracy of 91.2%, just below RoBERTa (92.0%) but well above "
         "the rule-based tagger (71.5%).", [("91.2%", "quality")]),
        ("Our planner reaches a pass@10 of 64.0%, beating both greedy decoding (pass@1 = 38.2%) "
         "and beam search (pass@10 = 51.7%).", [("64.0%", "quality")]),
        # a multiple or a signed gain in brackets after the compared system is the paper's own
        ("Our kernel is faster than cuBLAS (2.1x) on every shape.", [("2.1x", "speedup")]),
        ("Our tagger is more accurate than RoBERTa (+1.4%) on every domain.",
         [("1.4%", "quality")]),
        # --- a small part in brackets is a setting
        # the size of a part the experiment sets, in brackets, is a setting
        ("Tuning only a small fraction (about 0.5%) of the weights lifts accuracy by 3.1%.",
         [("3.1%", "quality")]),
        ("Giving a small share (<5%) of the budget to distillation cuts latency by 22%.",
         [("22%", "speedup")]),
        # --- the state of the field is background
        # the state of the field, opened by "Currently," with no word of the paper's own
        ("Currently, 8-bit training has achieved wide use, cutting memory by about 40% against "
         "FP32. Our method cuts memory by 65%.", [("65%", "memory")]),
        # "Currently," with the paper's own work in the sentence stays the paper's
        ("Currently, our kernel runs in production, cutting latency by 3x.",
         [("3x", "speedup")]),
        # --- a gain a part accounts for is the figure, not a condition
        ("In ablations, the router accounts for 4.2 mAP improvement on the aerial split.",
         [("4.2 mAP", "quality")]),
        # "for" a figure is still a condition
        ("For 10% accuracy gains, models need far more data.", []),
        # --- a share of a named chip's peak is a share of peak
        ("Our kernels sustain 310 TFLOPS of throughput (about 62% of H100 peak).",
         [("310 TFLOPS", "throughput"), ("about 62%", "other")]),
        # --- a time under a bound
        ("Our pipeline offers sub-second inference latency on a laptop GPU.",
         [("sub-second", "speedup")]),
        ("Our index gives sub-3us lookup latencies under contention.", [("sub-3us", "speedup")]),
    ],
)  # fmt: skip
def test_eleventh_pass(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("value", "metric", "quote"),
    [
        # the schema reads what the eleventh pass's rules read
        ("82%", "speedup", "On the old board, 8-bit weights slowed inference by 82%."),
        ("640ns", "speedup", "Each lookup completes in 640ns on the server."),
        ("92.5%", "quality", "Our reader reaches a character recognition rate of 92.5%."),
        ("45%", "memory", "Our protocol needs 45% less communication cost."),
        ("6x", "compute", "Our sampler needs 6x fewer denoising steps."),
        ("sub-millisecond", "speedup", "Our index answers with sub-millisecond latency."),
    ],
)
def test_the_schema_reads_the_eleventh_pass_metric_words(
    value: str, metric: str, quote: str
) -> None:
    answer = {"metric": metric, "value": value, "quote": quote}
    assert Result.model_validate(answer).metric == metric


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # --- a share a part accounts for is a profile or a motivation, not an outcome
        ("Profiling reveals that the attention kernel accounts for 62% of total inference "
         "latency. We fuse it and reduce latency by 1.8x.", [("1.8x", "speedup")]),
        ("In our analysis, data loading accounts for 40% of training time, motivating our "
         "prefetcher. It reduces training time by 25%.", [("25%", "speedup")]),
        ("The KV cache accounts for over 80% of GPU memory. We compress it, reducing memory by "
         "3.1x.", [("3.1x", "memory")]),
        ("Our compressor, which accounts for only 2% of the model's parameters, reduces memory "
         "by 4x.", [("4x", "memory")]),
        ("Our profiling shows that tokenization accounts for 31-45% of end-to-end latency.", []),
        # a gain the paper's own part accounts for stays its result
        ("Our distillation accounts for 9.7 mAP improvement on COCO.", [("9.7 mAP", "quality")]),
        # --- LaTeX's times in a configuration or a setting
        ("We train at $1024{\\times}1024$ resolution and reduce latency by 2x.",
         [("2x", "speedup")]),
        ("We use $8{\\times}$A100 GPUs and reduce latency by 2x.", [("2x", "speedup")]),
        ("We use 8\\texttimes{}A100 GPUs and reduce latency by 2x.", [("2x", "speedup")]),
        ("Our method keeps accuracy under $2\\times$ width expansion and reduces latency by 30%.",
         [("30%", "speedup")]),
        ("Our method keeps accuracy under 2x width expansion and reduces latency by 30%.",
         [("30%", "speedup")]),
        # ... but a multiple reached "with" is an outcome
        ("Our quantizer keeps accuracy with 4x compression and 41 percent energy savings.",
         [("4x", "size"), ("41 percent", "energy")]),
        # --- only a score's name lists a further score, and not the baseline's
        ("Our model achieves an F1 of 0.88 and a dropout of 0.1.", [("0.88", "quality")]),
        ("Our model achieves an F1 of 0.88, a temperature of 0.7, and a p-value of 0.01.",
         [("0.88", "quality")]),
        ("Our model achieves an AUC of 0.93 and a threshold of 0.5.", [("0.93", "quality")]),
        ("Our model achieves an AUC of 0.93, while the baseline has an AUC of 0.81.",
         [("0.93", "quality")]),
        ("Our model achieves an AUC of 0.93, compared to an AUC of 0.81 for the baseline.",
         [("0.93", "quality")]),
        # a score named by its acronym is still listed
        ("Our encoder reaches a map correlation of 0.83 and RSA of 0.98 on the scans.",
         [("0.83", "quality"), ("0.98", "quality")]),
        # --- a bracket after the paper's margin, metric or verb is its own figure
        ("Our model outperforms the strongest baseline by a large margin (12.3%) on every task.",
         [("12.3%", "quality")]),
        ("Our model outperforms all baselines in accuracy (91.3%) and F1 (0.89).",
         [("91.3%", "quality"), ("0.89", "quality")]),
        ("Our model is compared with BERT and reaches higher accuracy (93.4%).",
         [("93.4%", "quality")]),
        # a level right after the compared system is still that system's
        ("Our tagger reaches an accuracy of 91.2%, just below RoBERTa (92.0%).",
         [("91.2%", "quality")]),
        # --- "Currently," with the paper's own method named is the paper's
        ("Currently, the proposed method reduces latency by 40%.", [("40%", "speedup")]),
        ("Currently, ours reduces latency by 40%.", [("40%", "speedup")]),
        ("Currently, the presented kernel reduces latency by 40%.", [("40%", "speedup")]),
        # --- a small part reached is a result, not a setting
        ("Our method compresses the model to a small fraction (3%) of its original size.",
         [("3%", "size")]),
        ("Our method reduces memory to a small portion (18%) of the baseline's footprint.",
         [("18%", "memory")]),
    ],
)  # fmt: skip
def test_review_of_the_eleventh_pass(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # an increase of a cost and a reduction of a quality are worse
        ("Our method increases latency by 9%.", [("9%", "speedup", "worse")]),
        ("Our method raises inference latency by 2.1x.", [("2.1x", "speedup", "worse")]),
        ("Our method increases memory usage by 30%.", [("30%", "memory", "worse")]),
        ("Our method reduces accuracy by 1.2%.", [("1.2%", "quality", "worse")]),
        # a cost that falls is better, whichever verb says so
        ("With our method, memory usage decreases by 40%.", [("40%", "memory", "better")]),
        ("With our method, latency drops by 38%.", [("38%", "speedup", "better")]),
        ("With our method, energy declines by 25%.", [("25%", "energy", "better")]),
        ("Our method reduces the slowdown by 35%.", [("35%", "speedup", "better")]),
        # errors and rates of them fall for the better
        ("Our tagger reduces the error rate by 54% on the test set.",
         [("54%", "quality", "better")]),
        ("Our sampler reduces FID by 10.5% on the faces.", [("10.5%", "quality", "better")]),
        # the change is read in its own clause: "and boosts" is not the reduction's
        ("Our cache gives a 1.3x memory reduction and boosts decode throughput by 5.5x.",
         [("1.3x", "memory", "better"), ("5.5x", "throughput", "better")]),
    ],
)  # fmt: skip
def test_a_change_is_better_or_worse_by_what_changes(
    abstract: str, expected: list[tuple[str, str, str]]
) -> None:
    facts = extract_facts(make_document("A title", "We study it. " + abstract), {}, [])
    assert [(r["value"], r["metric"], r["direction"]) for r in facts["results"]] == expected


# Issue 12's thirteenth pass, non-results of the papers from outside the dumps (invented
# sentences of each shape).
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a figure with its uncertainty is one figure; the one a change starts from is dropped
        ("Our tagger reaches an F1 score of 91.2% $\\pm$ 0.31% on the test set.",
         [("91.2% $\\pm$ 0.31%", "quality")]),
        ("Our tagger raises accuracy from 40.2% +/- 1.1% to 88.5% +/- 0.7%.",
         [("88.5% +/- 0.7%", "quality")]),
        # a "$" opening LaTeX mathematics is no money
        ("Our kernel gives $4-9\\times$ faster decoding than the baseline.",
         [("4-9\\times$", "speedup")]),
        ("Our pruner keeps the loss low at $70-75\\%$ parameter sparsity with an accuracy of 91%.",
         [("70-75\\%$", "size"), ("91%", "quality")]),
        ("Our kernel gives a 1.4x speedup with $<$ 6% accuracy loss.",
         [("1.4x", "speedup"), ("6%", "quality")]),
        # the same figure said twice in a sentence is one result
        ("Our method gives a +3.5pp accuracy gain over the baseline, demonstrating +3.5pp gain.",
         [("3.5pp", "quality")]),
        # the baseline's figure in brackets
        ("Our pruned tagger keeps 95% of its baseline accuracy (71.2%).", [("95%", "quality")]),
        # the condition a result is measured under
        ("At sparsity 60%, our kernel reduces latency by 1.4x.", [("1.4x", "speedup")]),
        ("Our search is 30% faster when reaching 95% of the optimal value.",
         [("30%", "speedup")]),
        # the power of the hardware
        ("Our detector runs at 40 FPS on a 10W accelerator.", [("40 FPS", "throughput")]),
        # a version in a model's name (the gain in points is a result)
        ("Our tracker achieves an 11.8-point improvement over SAM 2.1 on VOSBench.",
         [("11.8-point", "quality")]),
        # a time in brackets of its own describes what is worked on, unless its clause names
        # a metric
        ("Our detector finds brief (~3 seconds) events in surgical videos with an AUC of 0.84.",
         [("0.84", "quality")]),
        ("Our study finds that the latency on phones is large (>40 seconds), while ...",
         [(">40 seconds", "speedup")]),
        # an opening concession whose subject is other methods
        ("While standard vision models reach an accuracy of 61.5% here, our model reaches 80.2%.",
         [("80.2%", "quality")]),
    ],
)  # fmt: skip
def test_thirteenth_pass_non_results(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's thirteenth pass: a gain in percent or points of a model over other models that only
# "performance", "gain" or "improvement" names is one of quality (not in a paper measuring a speed
# or a throughput, not against programs or machines, not a reduction, not a setting).
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("The performance of our tagger clearly surpasses prior methods by 12%--30%.",
         [("12%--30%", "quality")]),
        ("Our tagger gives a performance boost of 8.5% over state-of-the-art methods.",
         [("8.5%", "quality")]),
        ("The performance of our 4-bit tagger is 3.1% higher than the state-of-the-art.",
         [("3.1%", "quality")]),
        ("We boost the performance of a retrieval-augmented tagging approach by 41%.",
         [("41%", "quality")]),
        ("Our tagger gives an improvement of about 3% to 5% in parsing performance.",
         [("about 3% to 5%", "quality")]),
        # a reduction, a setting, a program compared: no quality
        ("Our tagger reduces annotation rounds by 35% compared to the baselines.", []),
        ("With only 10% more bits, the performance of our tagger beats the baselines.", []),
        ("Our kernel improves performance by 15% over the vendor library.", []),
    ],
)  # fmt: skip
def test_thirteenth_pass_gains_over_models(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's thirteenth pass: efficiency of no named resource, scalability and the data a method
# needs are measured, though the vocabulary has no metric of their own ("other").
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Our tagger reaches 41% higher efficiency than the recurrent baseline.",
         [("41%", "other")]),
        ("Our planner improves reasoning efficiency by 3x to 5x on the puzzles.",
         [("3x to 5x", "other")]),
        ("Our estimator gives 20-45% sample efficiency gains over the baselines.",
         [("20-45%", "other")]),
        ("Our scheduler gives a 12% scalability improvement on eight nodes.", [("12%", "other")]),
        ("Our detector needs 80% fewer training samples than the supervised baseline.",
         [("80%", "other")]),
        ("Our controller reduces data needs by 65% in the field.", [("65%", "other")]),
        # efficiency of a named resource keeps its metric
        ("Our accelerator reaches 30% higher energy efficiency than the GPU.",
         [("30%", "energy")]),
    ],
)  # fmt: skip
def test_thirteenth_pass_efficiency_and_data(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's thirteenth pass: points written with a hyphen before the change they measure.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Our parser gives a 3.4 percentage-point average gain on GLUE.",
         [("3.4 percentage-point", "quality")]),
        ("Our parser gives a 6.2-point improvement on the GLUE benchmark.",
         [("6.2-point", "quality")]),
        # a name: "the 24-point game"
        ("On the 24-point game, our solver reaches 97% accuracy.", [("97%", "quality")]),
    ],
)  # fmt: skip
def test_thirteenth_pass_hyphenated_points(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's thirteenth pass: a gain of a score only its acronym names, written before the
# figure, and the parameters or storage a method adds or saves.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Our results show an improvement in BGA by approximately 6% over the ERM baseline.",
         [("approximately 6%", "quality")]),
        ("When combined with pruning, our distiller gives 20-50% parameter reduction.",
         [("20-50%", "size")]),
        ("Our adapter outperforms the baselines while requiring only 2% additional storage.",
         [("only 2%", "size")]),
    ],
)  # fmt: skip
def test_thirteenth_pass_acronyms_and_parameters(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's fourteenth pass: structures that hold someone else's figure or no figure at all.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a number in scientific notation is one figure, not a factor
        ("Our solver reaches an error of 2.1 × 10^5 on the grid.", [("2.1 × 10^5", "quality")]),
        # the rest of a list begun by someone else's figure is theirs too
        ("Our solver achieves rollout MSE $7.35\\times 10^{-9}$ versus $4.23\\times 10^{1}$ for "
         "the unconstrained baseline, $2.53\\times 10^{1}$ with recomputation.",
         [("7.35\\times 10^{-9}$", "quality")]),
        ("Our tagger reaches a latency of 12 ms, compared to 40 ms for BERT, 35 ms for RoBERTa "
         "and 30 ms for T5.", [("12 ms", "speedup")]),
        # a "$" closed again before a space opens mathematics, not money
        ("Across 64 seeds, our solver wins on error in $60/64$ cases and on speed in only "
         "$19/64$.", []),
        # the compared system's figure in brackets, LaTeX or followed by more of the bracket
        ("Our student reaches Dice $0.81 \\pm 0.02$, with no significant Dice difference from "
         "the dense teacher ($0.80 \\pm 0.03$, $p = 0.5$).", [("0.81 \\pm 0.02", "quality")]),
        # a spread that its name introduces is no result
        ("Our tagger reaches 98.5% accuracy (std < 0.3 pp across 3 seeds).",
         [("98.5%", "quality")]),
        ("Our tagger reaches 91.2% accuracy with a standard deviation of 0.4% over runs.",
         [("91.2%", "quality")]),
        # a figure naming the regime a result is measured in
        ("Our pruner keeps 93% of the accuracy, even in the extreme 1.4% retention regime.",
         [("93%", "quality")]),
    ],
)  # fmt: skip
def test_fourteenth_pass_non_results(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Issue 12's fourteenth pass: a fraction right after the quality word that names it, and a cut of
# a score that only its acronym names.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Our router reaches a mean task quality of 0.815 on the suite.", [("0.815", "quality")]),
        # a cut of a score that only its acronym names, like a raise of one
        ("Our predictor improves prediction quality, reducing ADE by 14.29% and FDE by 20.97%.",
         [("14.29%", "quality"), ("20.97%", "quality")]),
        # "a smaller model" names a model, not what the figure after it measures
        ("Our scheduler lets a 32B model reach 82.3% accuracy on MATH-500 and a smaller 3B model "
         "achieve 72.4% on it.", [("82.3%", "quality"), ("72.4%", "quality")]),
        ("Our distiller gives a 4x smaller model with 1% accuracy loss.",
         [("4x", "size"), ("1%", "quality")]),
        ("Our masking gives accuracy values of 0.8200 for hard masking and 0.8165 for soft "
         "masking.", [("0.8200", "quality"), ("0.8165", "quality")]),
        # a fraction with a unit of its own is not a score
        ("Our encoder sustains a throughput of 0.7 Mpixel/s on the board.", []),
    ],
)  # fmt: skip
def test_fourteenth_pass_named_scores(abstract: str, expected: list[tuple[str, str]]) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


# Found in the shipped survey (outputs/survey.md, "1 throughput"): a list's marker after "by" is no
# figure, and "10+%" keeps its "+" (it was cut to "10"); "O8+x" in a formula is no figure.
@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We enhance throughput by 1) exploiting the parallel cores of the CPU, 2) batching the "
         "requests.", []),
        ("Our schedule improves throughput by 10+% with a memory footprint like the baseline's.",
         [("10+%", "throughput")]),
        ("We measure the charge response of Bi2Sr2CaCu2O8+x crystals at 20 K.", []),
    ],
)  # fmt: skip
def test_list_markers_and_open_ended_percentages(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # a gain in points written with a hyphen
        ("Our segmenter achieves an 11.8-point improvement over SAM on the video benchmark.",
         [("11.8-point", "quality")]),
        ("Our adapter gives a 5.9 percentage-point average gain over LoRA.",
         [("5.9 percentage-point", "quality")]),
        # the share of generated programs that pass their tests
        ("Our planner achieves up to a 66% increase in pass rate over the strongest agent.",
         [("66%", "quality")]),
        # the area under the ROC curve, in the plural
        ("For cancer detection, our model achieved AUROCs of 0.89, 0.96, and 0.94 on the three "
         "datasets.", [("0.89", "quality")]),
        # a correlation written as its symbol; a rank "r = 8" is a setting
        ("Our estimate tracks the measured latency closely (r = 0.96, p < 0.001).",
         [("0.96", "quality")]),
        ("Our probe achieves partial r=0.75 after controlling for model capacity.",
         [("0.75", "quality")]),
        ("We fine-tune with LoRA of rank r = 8 and reach a 2x speedup over full tuning.",
         [("2x", "speedup")]),
        # a gain in a score's acronym, and a change named after "in"
        ("Our encoder improves on the clinical tasks (e.g., +2.7 AUROC on MedMod; +6.5 F1 on "
         "VinDr).", [("2.7 AUROC", "quality"), ("6.5 F1", "quality")]),
        ("Our fusion achieves a 2% absolute improvement in mIoU over a LiDAR-only baseline.",
         [("2%", "quality")]),
        # a change in something no metric word names stays out
        ("Our runtime achieves a 10% absolute improvement in pipeline parallelism.", []),
    ],
)  # fmt: skip
def test_fifteenth_pass_points_rates_and_correlations(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the visual tokens a vision-language model prunes or merges: computation saved
        ("Our pruner reduces 90% of visual tokens after the vision encoder.", [("90%", "compute")]),
        ("Our merger uses 3x fewer vision tokens than LLaVA at equal accuracy.",
         [("3x", "compute")]),
        # the tokens or calls a model spends: a cost
        ("Our policy lowers token use, reducing tokens by an average of 30% on the benchmarks.",
         [("30%", "compute")]),
        ("Our router cuts the number of output tokens by 2x.", [("2x", "compute")]),
        ("Our reward reduces tool calls by 72.07% compared to the baselines.",
         [("72.07%", "cost")]),
        # improving upon prior methods makes them the baseline, not the figure's owner
        ("This result strictly improves upon prior distillation methods, achieving a 16$\\times$ "
         "inference speedup.", [("16$\\times$", "speedup")]),
        # prior methods that improve are still someone else's
        ("Prior methods improve on the baseline by 2x in throughput.", []),
        # a LaTeX bound before the figure, closed after it or before it
        ("Our scorer yields $\\geq10\\%$ higher accuracy than the baselines.",
         [("$\\geq10\\%$", "quality")]),
        ("Our kernel is $\\geq$ 2x faster than cuBLAS.", [("$\\geq$ 2x", "speedup")]),
        # "compute-bound" and "memory-bound" name a regime, not what the figure measures
        ("Our sparsity delivers up to 1.45$\\times$ compute-bound speedup on the GPU.",
         [("up to 1.45$\\times$", "speedup")]),
        # average precision with its threshold as LaTeX's subscript, and a fraction right before
        # the score it is
        ("Our detector, fine-tuned on the images, achieves an overall mAP_50 of 0.898.",
         [("0.898", "quality")]),
        ("Our detector reaches an AP_{50} of 0.71 on the new benchmark.", [("0.71", "quality")]),
        ("Our federated training achieves 0.900 Accuracy and 0.966 ROC-AUC over single-site "
         "models.", [("0.900", "quality"), ("0.966", "quality")]),
        ("We report AP_50 metrics and train every detector for 0.5 epochs.", []),
        # a gain in points of a named score, the score's name between figure and "points"
        ("Our sampler stays within 4 FID points of the teacher with far fewer steps.",
         [("within 4 FID points", "quality")]),
        ("Our survival model improves the C-index by 2-4 C-index points over the baselines.",
         [("2-4 C-index points", "quality")]),
        # a score's name right before its decimal; a change's starting point and a baseline's
        # bracket are no results
        ("Our decoder improved from Dice 0.684 and EF MAE 13.01 under heuristic extraction to "
         "Dice 0.906 and EF MAE 9.65, approaching a supervised baseline (Dice 0.915, EF MAE "
         "9.72).", [("0.906", "quality"), ("9.65", "quality")]),
        ("A small classifier on our digest reaches AUC 0.741 on the test split.",
         [("0.741", "quality")]),
        ("The range is its own change: mAP rose from 59.8% to 69.8% with our filter.",
         [("59.8% to 69.8%", "quality")]),
        ("Our trainer reaches cross entropy 1.359 on byte-level WikiText.",
         [("1.359", "quality")]),
        # a baseline the paper sets is its own figure
        ("Our recognizer establishes a strong baseline on LUMINA-26 (Top-1: 75.95%).",
         [("75.95%", "quality")]),
        # a character error rate, and a pass rate a word qualifies
        ("Our recognizer stays below 1% CER at every length.", [("1%", "quality")]),
        ("Our pipeline reaches 99.7% runtime pass rate on the suite.", [("99.7%", "quality")]),
        # a state of the art named on a dataset before a bracket is the paper's own figure
        ("Our method surpasses previous state-of-the-art performance on ELLAR (Top-1: 55.13%).",
         [("55.13%", "quality")]),
        # a factor with its qualifier
        ("Our search enhances model quality by a factor of ~1.35 over a human-designed "
         "baseline.", [("a factor of ~1.35", "quality")]),
    ],
)  # fmt: skip
def test_sixteenth_pass_tokens_calls_bounds_and_baselines(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # named measures of a model's output: errors in the plural, correlations by acronym,
        # distances, similarity, violation rates
        ("Our model achieves MAEs of 13.4 and 5.9, respectively, on the warning tasks.",
         [("13.4", "quality")]),
        ("Our scorer achieves average improvements of 1.11 percent SRCC on quality.",
         [("1.11 percent", "quality")]),
        ("Our mesher gives 90% lower Chamfer Distance and an 8x speedup.",
         [("90%", "quality"), ("8x", "speedup")]),
        ("Our editor improves relative facial recognition similarity by +60%.",
         [("60%", "quality")]),
        ("Our repair reduces the Atomicity Violation Rate (AVR) by 47-100% relative to the base "
         "model.", [("47-100%", "quality")]),
        # a score that only its acronym names, raised by the figure; an acronym that is another
        # metric's word names that metric
        ("Our switching improves SWAS by 25.4% relative to threshold-only policies.",
         [("25.4%", "quality")]),
        ("Our scheduler reduces TTFT by 30% on the trace.", [("30%", "speedup")]),
        # a score after an article with its name right after it; the threshold after "@" is
        # part of the measure's name
        ("Our model attains an 80.2 Pass@1 on LiveCodeBench.", [("80.2", "quality")]),
        ("Our detector reaches 86.8 mAP@0.5 on FLIR.", [("86.8 mAP", "quality")]),
        # an achieved parameter count, its kind between the count and "parameters"
        ("Our adapter keeps the accuracy with only 0.8M trainable parameters.",
         [("only 0.8M trainable parameters", "size")]),
        # a figure of the condition a sentence opens with is a setting
        ("At moderate sparsity (10-20%), our pruner improves over Wanda with accuracy gains of "
         "3.1%.", [("3.1%", "quality")]),
        ("Under aggressive pruning that removes 88.9% of visual tokens, our method preserves "
         "94.6% of the original accuracy.", [("94.6%", "quality")]),
        # not without the comma that ends the opening condition
        ("At 4-bit precision our method retains 98% of the accuracy.", [("98%", "quality")]),
        # "as fast as" names a speed; multiples in words up to a hundred, "nearly double"
        ("Our model is twice as fast and thirty times smaller than its prior version.",
         [("twice", "speedup"), ("thirty times", "size")]),
        ("Our server delivers a throughput nearly double that of the baseline.",
         [("nearly double", "throughput")]),
        ("Our kernels use a double buffer and run 2x faster than cuBLAS.", [("2x", "speedup")]),
        # scores a system achieves, each with its setting in brackets
        ("Our best systems achieved 88.9% (Speech) and 65.8% (Phoneme) on the leaderboard.",
         [("88.9%", "quality"), ("65.8%", "quality")]),
        # the metrics listed after "in terms of" pair with the figures before them
        ("Our solution achieves up to 95.2% and 34.9% improvements in terms of response time "
         "and cost, respectively.", [("95.2%", "speedup"), ("34.9%", "cost")]),
        # a gain in absolute points; energy in kilojoules and kilowatt-hours
        ("Our agent outperforms frontier agents by over 23 absolute points.",
         [("over 23 absolute points", "quality")]),
        ("Our scheduler saves 12.5 kWh of training energy per day.", [("12.5 kWh", "energy")]),
        ("Our kernel needs 17.6 kJ of energy per request.", [("17.6 kJ", "energy")]),
        # fidelity is a quality; what a text or a model is condensed to is its size
        ("Our codec keeps 99.5% semantic fidelity even when the text is condensed to 27.9% of "
         "its original length.", [("99.5%", "quality"), ("27.9%", "size")]),
    ],
)  # fmt: skip
def test_seventeenth_pass_named_measures_acronyms_and_opening_conditions(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        # the noun phrase after a comparative runs on to its head (two words at most)
        ("Our model offers 2.42X higher wall-clock generation throughput than the baseline.",
         [("2.42X", "throughput")]),
        ("Our method reaches similar quality with up to 80% lower peak training memory "
         "consumption than 3DGS.", [("up to 80%", "memory")]),
        # a phrase that names no metric stays unnamed, and does not run past a verb into the
        # next clause
        ("Our model supports 40x larger hidden sizes.", []),
        ("Our model supports 3x larger hidden sizes enabling memory savings elsewhere.", []),
        ("Our runtime handles 4x longer prompts using memory offloading.", []),
        ("Our cache has 2x fewer cache misses improving throughput.", []),
        ("Our server hosts 10x more tenants sharing GPU memory.", []),
        ("Our recipe uses 20% more synthetic data improving accuracy on GSM8K.", []),
        # what tokens cost in money stays a cost
        ("Our router cuts API token costs by 40%.", [("40%", "cost")]),
        ("Our cascade reduces per-token cost by 3x.", [("3x", "cost")]),
        # the length of a model's own output, shortened or lengthened; not other chains
        ("Our RL training increases the length of generated responses by 3x.",
         [("3x", "compute")]),
        ("Our planner reduces the length of supply chains by 15%.", []),
        # the tokens a model reads or generates are compute
        ("Our router cuts the tokens it generates, using 3x fewer tokens than beam search.",
         [("3x", "compute")]),
        # calls an agent pays for stay a cost
        ("Our planner reduces tool calls by 72% on the suite.", [("72%", "cost")]),
        ("Our pipeline reduces total processed tokens by up to 83.27%.",
         [("up to 83.27%", "compute")]),
        ("Our method can reduce the length of generated reasoning traces by over 50%.",
         [("over 50%", "compute")]),
    ],
)  # fmt: skip
def test_twenty_fourth_pass_noun_phrases_and_tokens(
    abstract: str, expected: list[tuple[str, str]]
) -> None:
    assert _titled("A title", "We study it. " + abstract) == expected


def test_a_lengthened_output_is_a_cost_of_the_method() -> None:
    """A change "by" a figure reads its direction across a longer object ("increases the length
    of generated responses by 3x"), and extending or lengthening is an increase."""
    for sentence, value in (
        ("Our RL training increases the length of generated responses by 3x.", "3x"),
        ("Extending the length of reasoning traces by 4x is needed.", "4x"),
    ):
        facts = extract_facts(make_document("A title", "We study it. " + sentence), {}, [])
        assert [(r["value"], r["direction"]) for r in facts["results"]] == [(value, "worse")]
