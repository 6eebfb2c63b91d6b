"""A reported result: a measured outcome of the paper's own contribution, checked against its quote.

The metric comes from a closed vocabulary so results compare across papers; the value is a
verbatim span of the quote (ranges and lists whole); the words next to the number must name
the metric; numbers that belong to a model name, a hardware name or a configuration are never
values. Validator messages are what a model is re-asked with: what is wrong, how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.metric_words import ACRONYM_RAISED, HARDWARE_NAME, METRIC_CUES

Metric = Literal[
    "speedup", "throughput", "memory", "energy", "cost", "quality", "size", "compute", "other"
]  # fmt: skip
METRICS: tuple[str, ...] = get_args(Metric)
Direction = Literal["better", "worse"]

METRIC_HELP = (
    "speedup (speedup, latency, time), throughput (tokens/s, requests/s, goodput), "
    "memory (memory footprint, KV cache, activation memory), energy (energy, power, carbon), "
    "cost (money, GPU-hours, API or tool calls), quality (accuracy, perplexity, BLEU, accuracy "
    "loss), size (model size, compression ratio, bits per weight achieved), compute (FLOPs, MACs, "
    "computation, tokens a model reads or generates), other (utilisation, area, anything else)"
)

# Free-text metric names of earlier outputs, mapped onto the closed vocabulary.
_LEGACY = [
    ("throughput", re.compile(r"throughput|tokens?/s|goodput", re.I)),
    ("speedup", re.compile(r"speed|latency|time|faster", re.I)),
    ("energy", re.compile(r"energy|power|carbon", re.I)),
    ("memory", re.compile(r"memory", re.I)),
    ("cost", re.compile(r"cost", re.I)),
    ("size", re.compile(r"compress|size|param", re.I)),
    ("compute", re.compile(r"flop|compute|computation", re.I)),
    ("quality", re.compile(r"accura|quality|perplex|bleu|score", re.I)),
]


def metric_kind(name: str) -> str:
    """The closed-vocabulary metric of a name ('latency reduction' -> 'speedup')."""
    lowered = name.strip().lower()
    if lowered in METRICS:
        return lowered
    for kind, pattern in _LEGACY:
        if pattern.search(lowered):
            return kind
    return "other"


# A number that is part of a name, hardware or configuration, looked at in its quote.
_NAME_BEFORE = re.compile(r"(?:[A-Za-z]|[A-Za-z0-9][-_.])$")
_PARAM_COUNT = re.compile(r"^\s?[BMK]\b|^\s?(?:billion|million)\s+param", re.I)
# LaTeX's times in every spelling: "$\times$", "${\times}$", "\texttimes{}", with its closing "$"
TEX_TIMES = re.compile(r"\s?\$?(?:\{\\times\}|\\times|\\texttimes)(?:\{\})?\$?\s?")
_CLOSED_NUMBER = re.compile(r"(?<=\d)\$(\\,|~)?")


def closed_number(value: str) -> str:
    """A figure as read when LaTeX closed its number before the unit: "3.3$ points" as "3.3
    points", "20$\\,KB" as "20 KB"."""
    return _CLOSED_NUMBER.sub(lambda m: " " if m.group(1) else "", value)


# "under $2\times$ width expansion", "at 4x compression": a multiple the experiment is run at
# (not "with 4x compression": an outcome, as in "keeps accuracy with 4x compression")
_MULTIPLE_SETTING_BEFORE = re.compile(r"\b(?:under|at)\s(?:an?\s)?\$?$", re.I)
_MULTIPLE_SETTING_AFTER = re.compile(
    r"^\s?(?:[\w-]+\s)?(?:expansion|compression|sparsity|pruning|downsampling|upsampling|"
    r"overprovisioning)\b",
    re.I,
)
_TIMES_THING = re.compile(r"^\s?[x×]\s?(?:\d|[A-Z][\w-]*\d|GPUs?\b|nodes?\b|TPUs?\b|NPUs?\b)")
_DEVICE_METRIC = re.compile(
    r"^\s?[x×]?\s?(?:GPUs?|nodes?|TPUs?|NPUs?)\s(?:memory|hours?|time|utili[sz]ation|costs?)\b",
    re.I,
)
_THING_AFTER = re.compile(r"^\s?(?:\d|[A-Z][\w-]*\d|GPUs?\b|nodes?\b|TPUs?\b|NPUs?\b)")
# "SMT with 11.5M / 2.4GFLOPs": a parameter count and the cost it goes with name a model variant.
_PARAMS_SLASH = re.compile(r"\d\s?[MB]\s?/\s?$")
_HW_GB_AFTER = re.compile(r"^\s?GB\s?(?:of\s)?(?:GPUs?|VRAM|RTX|A100|H100|V100|A6000|cards?)\b")
_HW_GB_BEFORE = re.compile(r"(?:A100|H100|A800|H800|V100|A6000|RTX\s?\d{4}(?:\sTi)?)[\s-]$")
_CONFIG_BEFORE = re.compile(
    r"\b(?:batch sizes?|rank|top-?k|k\s?=|n\s?=|window(?: size)?|sequence lengths?|"
    r"context(?: lengths?| windows?)?|group size|block size|layers?|heads?|steps?|epochs?|"
    r"seeds?|version)\s?(?:of\s|=\s?)?$",
    re.I,
)
# "with 960ms chunk size", "a 512 block size": the size a method is configured with
_CONFIG_AFTER = re.compile(
    r"^\s?(?:chunk|window|block|batch|patch|group|segment|tile|page|kernel|step)\s?sizes?\b", re.I
)
# "under a 1% accuracy budget", "at 50% sparsity", "with a KV cache budget of 20%", "uses a 10%
# threshold", "evaluated with 2x, 4x and 8x compression ratios", "with a poisoning rate of only
# 0.5%": a setting the experiment is run at.
_SETTING_NOUN = (
    r"(?:budgets?|constraints?|thresholds?|targets?|limits?|caps?|tolerances?|sparsity|"
    r"(?:compression|pruning|sparsity|drop|keep|retention|sampling|mask(?:ing)?|poisoning|"
    r"injection|corruption|noise|dropout|learning|missing(?:ness)?) (?:ratios?|rates?)|pruning|"
    r"loads?|utili[sz]ation|bit-?widths?|scales?|risk|confidence(?: levels?)?)"
)
_BUDGET_BEFORE = re.compile(
    r"\b(?:under|within|with|given|at|for|using|uses?|sets?|chooses?)\s(?:a\s|an\s|the\s)?"
    r"(?:(?:strict|stringent|tight|tighter|fixed|given|same|low|high|loose)\s)?$",
    re.I,
)
_BUDGET_AFTER = re.compile(rf"^\s?(?:[\w-]+\s){{0,2}}{_SETTING_NOUN}\b", re.I)
_BUDGET_OF = re.compile(
    rf"\b(?:under|within|with|given|at|for|using)\s(?:a\s|an\s|the\s)?(?:[\w-]+\s){{0,2}}"
    rf"{_SETTING_NOUN}\s(?:of\s|=\s?)(?:only\s|just\s)?$",
    re.I,
)
# "when the load exceeds 80% of capacity": a condition, not an outcome.
_CONDITION = re.compile(
    r"\b(?:when|if|whenever|once)\s[^,;:()]{0,40}\b(?:exceeds?|reach(?:es)?|is|are|above|below|"
    r"over|under|drops? to|rises? to|at)\s(?:about\s|around\s|only\s)?$",
    re.I,
)
# A sentence that opens with the condition its result holds under: "At moderate sparsity
# (10-20%), CAP improves ...", "Under aggressive pruning that removes 88.9% of visual tokens, our
# method preserves ...": a figure of that opening phrase (ended by a comma) is a setting.
_OPENING_CONDITION = re.compile(r"^(?-i:Under|At)\s[^,;:]{0,80}$")
_OPENING_CONDITION_END = re.compile(r"[^,;:.\d]{0,60},")
# "on videos exceeding 30 minutes", "sequences of up to 32K tokens": which inputs were used.
_INPUT_CONDITION = re.compile(
    r"\b(?:videos?|sequences?|inputs?|documents?|contexts?|prompts?|images?|clips?|texts?|"
    r"files?|graphs?|conversations?|dialogues?|recordings?|trajectories|episodes?)\s"
    r"(?:exceeding|longer than|shorter than|lasting|of (?:over|more than|up to|at least))\s$",
    re.I,
)
# "a mean error of 5.1 ms over a 455 ms maximum simulation time": the scale a figure is read
# against.
_SCALE_BEFORE = re.compile(r"\bover\s(?:an?|the)\s$", re.I)
# ... but "achieving over a 6% improvement in detection accuracy" is the size of a change
_CHANGE_NOUN_AFTER = re.compile(
    r"^\s?(?:(?:relative|absolute|average|overall)\s)?(?:improvements?|gains?|increases?|"
    r"reductions?|decreases?|speedups?|savings?|boosts?|drops?)\b",
    re.I,
)
# "under strict constraints (4 GPUs, within 24 hours)": a limit the experiment is held to.
_CONSTRAINT_LEAD = re.compile(r"\b(?:constrain\w*|budgets?|limited to|restricted to)\b", re.I)
_LIMIT_VALUE = re.compile(r"(?:within|under|at most|no more than)\s", re.I)
_PERCENTILE_AFTER = re.compile(r"^\s?\\?%?\s?(?:ile\b|th[\s-]percentile|-?percentile)", re.I)
# "3.5x lower 99% latency": a percentage between a comparative and the latency it qualifies is
# the percentile measured, not a change ("30% latency reduction" is one).
_PERCENTILE_LATENCY = re.compile(
    r"^\s?(?:tail\s)?latenc\w*\b(?!\s(?:reductions?|improvements?|decreases?|increases?|"
    r"savings?|gains?|drops?|overheads?)\b)",
    re.I,
)
_PERCENTILE_LEAD = re.compile(
    r"\b(?:lower|higher|better|worse|reduced|improved|the|its|their|and)\s$", re.I
)
_CONTEXT_AFTER = re.compile(
    r"^\s?[Kk]?\s?-?(?:tokens?\b|token context)(?!\s?/\s?s|\s?per\s)|"
    r"^\s?[Kk]\b(?!\s?(?:x|×|-?tokens?\s?(?:/|per\s)))"
)


BUDGET_PROBLEM = (
    "it is a budget or constraint that the experiment sets ('under a 1% accuracy budget'), "
    "not an outcome"
)


def setting_problem(quote: str, start: int, end: int) -> str | None:
    """Why the number at quote[start:end] is a name or a setting, not a result (None if not)."""
    before, after = quote[:start], quote[end:]
    value = quote[start:end]
    first = re.search(r"\d", value)
    # a "sim" lead is "~" (LaTeX \sim without its backslash), no name: "by sim3x"; a "sub-"
    # lead is a bound: "sub-5us latencies"
    prefix = re.sub(r"\\?sim\s?$", "~", value[: first.start()]) if first else ""
    # a LaTeX bound is no name either: "$\geq10\%$"
    prefix = re.sub(r"\$?\\(?:geq?|leq?|gtrsim|lesssim)(?:\s?\$)?\s?$", "≥", prefix)
    lead = before + re.sub(r"(?i)(?:^|(?<=\s))sub-$", "<", prefix)
    if _NAME_BEFORE.search(lead):
        return "it is part of a name (a model, hardware or version such as 'A100' or 'Llama-2-7B')"
    money = value.lstrip(" ~≈<>").startswith("$") or before.rstrip().endswith("$")
    if not money and (_PARAM_COUNT.search(after) or re.search(r"\d\s?[BM]$", value)):
        return "it is a parameter count of a model ('7B', '8.3B'), not an outcome"
    # LaTeX's "$\times$" is "×" ("256 $\times$ 256" as "256 × 256")
    # ("$8{\times}$A100", "8\texttimes{}A100": the closing "$" or "{}" left after the figure)
    value_x = TEX_TIMES.sub("×", value)
    after_x = TEX_TIMES.sub("×", re.sub(r"^(?:\{\}|\$)", "", after), count=1)
    if MULTIPLE_VALUE.search(value_x) and (
        _MULTIPLE_SETTING_BEFORE.search(lead) and _MULTIPLE_SETTING_AFTER.search(after_x)
    ):
        return "it is a setting of the experiment ('under 2× width expansion'), not an outcome"
    times_thing = _TIMES_THING.search(after_x) or re.search(
        r"(?<![A-Za-z])[x×]\s?(?:\d|[A-Z]\w*\d)", value_x
    )  # "8x7B", "1024 × 1024", not the x of "max 47%"
    # a count of devices is a whole number followed by the devices, not their memory or hours
    count = not re.search(r"\d\.\d", value) and not _DEVICE_METRIC.search(after_x)
    if count and (times_thing or (value_x[-1:] in "x×" and _THING_AFTER.search(after_x))):
        return "it is a configuration ('8×A100', '1024×1024', 'Mixtral-8x7B'), not an outcome"
    if _PARAMS_SLASH.search(before):
        return "it is a model's configuration ('11.5M / 2.4GFLOPs'), not an outcome"
    if _HW_GB_AFTER.search(after) or _HW_GB_BEFORE.search(before):
        return "it is a hardware configuration ('A100 40GB', '24GB GPU'), not an outcome"
    configured = _CONFIG_BEFORE.search(lead) or _CONFIG_AFTER.search(after)
    if configured and not re.search(r"[%x×]|times", value):
        return "it is a setting of the experiment ('batch size 32', 'rank 8'), not an outcome"
    limit = _LIMIT_VALUE.match(value) and _CONSTRAINT_LEAD.search(before[-200:])
    budget = _BUDGET_BEFORE.search(lead) and _BUDGET_AFTER.search(after)
    if budget or limit or _BUDGET_OF.search(lead):
        return BUDGET_PROBLEM
    if _CONDITION.search(lead) or (
        _OPENING_CONDITION.search(before) and _OPENING_CONDITION_END.match(after)
    ):
        return "it is a condition of the experiment ('when the load exceeds 80%'), not an outcome"
    if _INPUT_CONDITION.search(lead):
        return "it describes the inputs used ('on videos exceeding 30 minutes'), not an outcome"
    if _SCALE_BEFORE.search(before) and not _CHANGE_NOUN_AFTER.match(after):
        return "it is the scale a figure is read against ('over a 455 ms run'), not an outcome"
    percent = re.fullmatch(r"\d+(?:\.\d+)?\s?%", value) is not None
    if _PERCENTILE_AFTER.search(after) or (
        percent and _PERCENTILE_LATENCY.search(after) and _PERCENTILE_LEAD.search(before)
    ):
        return "it names a percentile of a measurement ('95%ile latency', 'P99'), not an outcome"
    if _CONTEXT_AFTER.search(after) and not re.search(r"[%x×]", value):
        return "it is a context length or token count used as a setting, not an outcome"
    return None


# The attribution window: how far (in characters) a word may stand from the figure whose metric
# it names. The validator is lenient (a model's quote may word things loosely); the local model,
# which must pick one metric, looks closer (pipeline/local_model/results.py).
REACH = 120

Cues = Mapping[str, re.Pattern[str]] | Sequence[tuple[str, re.Pattern[str]]]


def cue_spans(text: str, cues: Cues) -> list[tuple[int, int, str]]:
    """Every metric word of ``text`` as (start, end, metric); a word inside a longer phrase that
    names another metric is dropped ("computation" inside "computational cost")."""
    items = cues.items() if isinstance(cues, Mapping) else cues
    spans = [(m.start(), m.end(), name) for name, p in items for m in p.finditer(text)]
    return [
        (start, end, name)
        for start, end, name in spans
        if not any(
            s <= start and end <= e and (e - s) > (end - start) and n != name for s, e, n in spans
        )
    ]


def in_reach(
    spans: Iterable[tuple[int, int, str]], start: int, end: int, reach: int = REACH
) -> list[tuple[int, int, int, str]]:
    """The metric words within ``reach`` characters of the figure text[start:end], as
    (gap, start, end, metric), nearest first. The one attribution window: the schema's check
    and the local model's choice of metric both go through it."""
    found = []
    for s, e, name in spans:
        gap = start - e if e <= start else s - end if s >= end else 0
        if gap <= reach:
            found.append((gap, s, e, name))
    return sorted(found, key=lambda item: (item[0], item[1]))


def cue_near(metric: str, quote: str, start: int, end: int, reach: int = REACH) -> bool:
    """Does a word naming ``metric`` stand within ``reach`` characters of quote[start:end]?"""
    pattern = METRIC_CUES.get(metric)
    if pattern is None:  # "other": nothing to check
        return True
    if metric == "quality" and acronym_raised(quote, start) is not None:
        return True
    return bool(in_reach(cue_spans(quote, {metric: pattern}), start, end, reach))


_ACRONYM_RAISED = re.compile(ACRONYM_RAISED, re.I)


def acronym_raised(quote: str, start: int) -> str | None:
    """The acronym of a score that the figure at quote[start:] raises or cuts, named right
    before it and by nothing else ("improves SWAS by 25.4%", "increases the DSC coefficient
    by"), or None: not so written, or the acronym is another metric's word ("reduces TTFT by")
    or a chip's name."""
    raised = _ACRONYM_RAISED.search(quote[max(0, start - 60) : start])
    if raised is None:
        return None
    name = raised.group("name")
    if cue_spans(name, METRIC_CUES) or re.fullmatch(HARDWARE_NAME, name):
        return None
    return name


# "outperforms vLLM by 1.1x to 2x", "set a 3.88x better baseline": a comparison of the paper's
# work that names no metric at all; the paper's title may name the one it is about.
_COMPARED_BY = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*)\b[^.;:]{0,80}?\bby\s"
    r"(?:up to\s|over\s|about\s|around\s|nearly\s|approximately\s|at least\s|more than\s|"
    r"as much as\s|an average of\s|on average\s)?"
    # "by 4.6x on average (up to 25.5x)": the bracketed figure restates the comparison
    r"(?:\d+(?:\.\d+)?\s?(?:[x×]|\\?%)\s(?:on average\s|average\s)?\((?:up to\s)?)?$",
    re.I,
)
_BETTER_AFTER = re.compile(r"^\s?(?:better|improved|improvements?)\b(?!\s(?:in|of|on)\b)", re.I)
# A figure written as a multiple ("2.3x", "3 times", "10-fold"); the local model reads it too.
MULTIPLE_VALUE = re.compile(r"\d\s?(?:[x×]|times|-?fold|\$\\times\$)$", re.I)
# The aim a title names ("Throughput-oriented ...", "Accelerating ...", "Cost Efficient ...").
TITLE_METRICS: dict[str, re.Pattern[str]] = {
    "speedup": re.compile(r"\bfast(?:er)?\b|accelerat\w*|\bspeed\w*|latency", re.I),
    "throughput": re.compile(r"throughput|goodput", re.I),
    "memory": re.compile(r"memory", re.I),
    "energy": re.compile(r"energy|\bpower\b", re.I),
    "cost": re.compile(r"\bcosts?\b|\bcheap", re.I),
}


# The end of the comparison's clause after its figure: a comma, a bracket or a new clause
# ("by 4.6x on average (up to 25.5x), with our model predicting ... 94% accuracy").
_CLAUSE_END = re.compile(r"[,;:(]|\.(?!\d)|\s(?:while|whereas|with|and|but)\s")


def unnamed_comparison(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a comparison ("outperforms vLLM by 2x", "a 3.88x better baseline")
    with no word of any metric in its clause?"""
    compared = _COMPARED_BY.search(quote[:start])
    if compared:
        # the clause runs from the comparing verb to the first break after the figure
        stop = _CLAUSE_END.search(quote, end)
        clause_end = stop.start() if stop else len(quote)
        cues = cue_spans(quote, METRIC_CUES)
        return not any(
            compared.start() <= s and e <= clause_end and not (start <= s and e <= end)
            for s, e, _ in cues
        )
    if in_reach(cue_spans(quote, METRIC_CUES), start, end):
        return False
    return bool(MULTIPLE_VALUE.search(quote[start:end]) and _BETTER_AFTER.match(quote[end:]))


# Performance in general: what it measures is fixed by the paper, not by the word. A kernel's,
# a compiler's or a system's performance is its speed or its throughput, a model's its quality;
# a multiple ("1.75x") is never a quality.
_PERFORMANCE = re.compile(r"\bperformance\b", re.I)
PERFORMANCE_KINDS = ("speedup", "throughput", "quality")
_PERFORMANCE_REACH = 40
# A change word that names no metric by itself ("performance gains of 2x").
_CHANGE_ONLY = re.compile(r"(?:gains?|improvements?|boosts?)$", re.I)


def performance_kinds(value: str) -> tuple[str, ...]:
    """The metrics that performance in general may measure for a figure written as ``value``."""
    if MULTIPLE_VALUE.search(value):
        return tuple(kind for kind in PERFORMANCE_KINDS if kind != "quality")
    return PERFORMANCE_KINDS


# What a program or a machine is compared with: a multiple of its performance is its speed
# ("outperforms hand-optimized kernels by 1.8x", "2x the performance of the GPU implementation").
_SYSTEM_COMPARED = re.compile(
    r"\b(?:kernels?|compilers?|libraries|implementations?|(?:CPU|GPU|FPGA|NPU|TPU|MCU)s?|"
    r"accelerators?|processors?)\b"
)


def system_performance(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a multiple of performance in general in a sentence that compares
    programs or machines (kernels, compilers, implementations, CPUs, GPUs …), hence a speedup?"""
    return (
        bool(MULTIPLE_VALUE.search(quote[start:end]))
        and generic_performance(quote, start, end)
        and bool(_SYSTEM_COMPARED.search(quote))
    )


def generic_performance(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a change or comparison of performance in general, with no word of a
    metric between "performance" and the figure nor after the figure in its clause
    ("our VM achieves performance improvements of 1.75x", "models improve 8.2% from their
    baseline performance", "outperforms a data-center GPU by 4.8x")?"""
    if unnamed_comparison(quote, start, end):
        return True
    stop = _CLAUSE_END.search(quote, end)
    clause_end = stop.start() if stop else len(quote)
    for word in _PERFORMANCE.finditer(quote):
        if word.end() <= start:
            first, last = word.start(), clause_end
            gap = quote[word.end() : start]
        elif word.start() >= end and word.end() <= clause_end:
            first, last = start, word.end()
            gap = quote[end : word.start()]
        else:
            continue
        if len(gap) > _PERFORMANCE_REACH or _CLAUSE_END.search(gap):
            continue
        cues = [
            (s, e)
            for s, e, _ in cue_spans(quote, METRIC_CUES)
            if first <= s
            and e <= last
            and not (s <= word.start() and word.end() <= e and e - s == word.end() - word.start())
            and not (start <= s and e <= end)
            and not _CHANGE_ONLY.fullmatch(quote[s:e])
        ]
        if not cues:
            return True
    return False


# "outperforming the baseline models by at least 5.7% on the GLUE benchmark", "+46% to +75% in
# IFEval", "a 25.39% improvement in open ended tasks on the Vicuna benchmark": a gain in
# percent or points on a named benchmark, dataset or task, with no metric word, is a gain in
# task quality.
_GAIN_BEFORE = re.compile(
    r"\b(?:improv\w*|outperform\w*|surpass\w*|gains?|boost\w*|enhanc\w*|exceed\w*|"
    r"beat(?:s|ing)?)\b(?:[^.;:\d]|(?<=[A-Za-z-])\d){0,80}$",
    re.I,
)
_GAIN_AFTER = re.compile(
    r"^\s?(?:[\w-]+\s)?(?:improvements?|gains?|increases?|higher|better)\b", re.I
)
_ON_BENCHMARK = re.compile(
    r"^(?:[^.;:]|\.\d){0,100}?\b(?:on|in|across)\s(?:the\s)?(?:[\w-]+,?\s){0,6}?"
    r"(?:benchmarks?|datasets?|tasks?)\b|"
    r"^[^.;:\d]{0,40}?\b(?:on|in)\s(?:the\s)?(?!" + HARDWARE_NAME + r")"
    r"(?-i:[A-Z][\w-]*[A-Z0-9][\w-]*)\b",
    re.I,
)
# The benchmark named at the head of the clause, before the gain: "On datasets such as GSM8K,
# HumanEval, and MedQA, X achieves improvements of 7.61%, ...", "Notably, on the zero-shot subset
# of GrailQA, X achieves up to an 11.1% relative improvement", "Across all plant datasets, ...".
_ON_BENCHMARK_LEAD = re.compile(
    r"^(?:[A-Za-z]+,\s)?(?:on|across|in)\s(?:the\s|all\s)?(?:[\w-]+,?\s){0,6}?"
    r"(?:benchmarks?|datasets?|tasks?)\b[^.;:]{0,80}?,\s|"
    # "Extensive experiments on 16 benchmarks demonstrate that ..."
    r"^(?:[\w-]+\s){0,3}(?:experiments|evaluations?|results)\s(?:on|across|over|in)\s(?:the\s)?"
    r"(?:[\w-]+,?\s){0,6}?(?:benchmarks?|datasets?|tasks?|settings|environments)\s(?:show|"
    r"demonstrate|reveal|indicate|confirm)s?\s(?:that\s)?|"
    r"^(?:[A-Za-z]+,\s)?(?:on|across)\s(?:the\s)?(?:[\w-]+\s){0,4}?(?!" + HARDWARE_NAME + r")"
    r"(?-i:[A-Z][\w-]*[A-Z0-9][\w-]*)\b[^.;:\d]{0,40}?,\s",
    re.I,
)
_SHARE_VALUE = re.compile(r"\d\s?(?:\\?%\$?|percent|points?|pp)$", re.I)


def benchmark_gain(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a gain in percent or points on a named benchmark, dataset or task,
    with no word of another metric between the gain and the benchmark?"""
    if not _SHARE_VALUE.search(quote[start:end]):
        return False
    before = _GAIN_BEFORE.search(quote[:start])
    gain = _GAIN_AFTER.match(quote[end:])
    on = _ON_BENCHMARK.match(quote[end:])
    lead = None if on else _ON_BENCHMARK_LEAD.match(quote[:start])
    if (on is None and lead is None) or not (before or gain):
        return False
    first = 0 if lead else before.start() if before else start
    last = end + on.end() if on else end
    cues = cue_spans(quote, METRIC_CUES)
    return not any(first <= s and e <= last and name != "quality" for s, e, name in cues)


# A gain written with its sign in brackets right after the task, dataset or benchmark it is
# measured on, in a sentence that states a gain or a comparison ("improvements across visual
# understanding (+7.82%) and generation (+8.46%)", "outperforming FAST in multimodal grounding
# (+13.5%) and long-horizon tasks (+8.25)"): with no metric named, a gain in task quality.
_SIGN_BEFORE = re.compile(r"[A-Za-z0-9\])-]\s\(\s?\+?$")
_SIGN_CLOSE = re.compile(r"^\s?(?:pp|points?|percentage points?)?\s?\)", re.I)
_GAIN_WORD = re.compile(
    r"\b(?:improv\w*|outperform\w*|surpass\w*|gains?|boost\w*|enhanc\w*|better|beat(?:s|ing)?)\b",
    re.I,
)
_BRACKET_REACH = 40


# A score raised from one figure to a higher one by the paper's work: "improves subject
# consistency from 84.9 to 88.5", "boosts both pass@1 (from 47% to 62%)", "raises CLIP
# R-Precision from 74.8% to 83.8%", and the clauses that share the verb ("... and background
# consistency from 90.2 to 91.9"). An evaluative verb ("improves", "boosts", "lifts") raises a
# score; "raises" and "increases" raise settings too ("increases the batch size from 8 to 32"),
# so with them a word of quality must name what is raised. No fall ("drops from 87.9% to
# 43.9%"), no swept setting ("we vary the ratio from 10% to 50%").
_RAISE_VERB = re.compile(r"\b(?P<verb>improv|boost|lift|elevat|rais|increas)\w*\b", re.I)
_SAME_CLAUSE = re.compile(r"(?:[^;:.!?]|\.\d){0,120}")


def _share_or_score(name: str) -> str:
    """A figure of a score raised, its number in group ``name`` and its unit ("%", "percent",
    none) in ``u`` + ``name``, LaTeX's "$" around it allowed."""
    return rf"\$?(?P<{name}>[−-]?\d+(?:\.\d+)?)\s?(?P<u{name}>\\?%|percent)?\$?"


_FROM_TO = re.compile(
    rf"^(?:from\s)?{_share_or_score('a')}\s?(?:to|→|->|\\to)\s?{_share_or_score('b')}$", re.I
)
_FROM_BEFORE_BARE = re.compile(rf"\bfrom\s{_share_or_score('a')}\s(?:to|→)\s\$?$", re.I)
_BARE_SCORE = re.compile(_share_or_score("b"), re.I)
_NOT_RAISED = re.compile(
    r"\b(?:vary|varies|varied|varying|rang\w*|between|sweep\w*|scal\w*)\b", re.I
)


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def score_raised(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a score raised from a lower figure ("from 84.9 to 88.5", or the "88.5"
    of it) by a verb of the same clause that raises it, with no word of another metric between
    the verb and the figure? See _RAISE_VERB."""
    value = quote[start:end].strip()
    before = quote[:start]
    pair = _FROM_TO.match(value)
    if pair:
        a, ua, b, ub = pair["a"], pair["ua"], pair["b"], pair["ub"]
        if not value.lower().startswith("from"):
            if not re.search(r"\bfrom\s\$?$", before, re.I):
                return False
            before = before[: before.lower().rfind("from")]
    else:
        bare = _BARE_SCORE.fullmatch(value)
        earlier = _FROM_BEFORE_BARE.search(before)
        if not (bare and earlier):
            return False
        a, ua, b, ub = earlier["a"], earlier["ua"], bare["b"], bare["ub"]
        before = before[: earlier.start()]
    if bool(ua) != bool(ub) or _number(b) <= _number(a):
        return False
    # the nearest verb before the figure, in the same clause
    verbs = [v for v in _RAISE_VERB.finditer(before) if _SAME_CLAUSE.fullmatch(before[v.end() :])]
    if not verbs:
        return False
    verb = verbs[-1]
    between = before[verb.end() :]
    if _NOT_RAISED.search(between):
        return False
    # what the verb raises: the words after it up to the first figure ("improves subject
    # consistency from ..."), and in a clause that shares the verb, the words after its last
    # "and" ("... and background consistency from 90.2 to 91.9"); none may name another metric
    head = re.split(r"\bfrom\b|(?<![\w.-])\d", between, maxsplit=1)[0]
    named = head
    if re.search(r"(?<![\w.-])\d", between):
        named += " " + re.split(r"\band\b", between)[-1]
    names = {name for _, _, name in cue_spans(named, METRIC_CUES)}
    if verb["verb"].lower() in ("rais", "increas"):
        return names == {"quality"}  # "increases the performance of GPT-4o from 41.1% to 96.3%"
    return names <= {"quality"}


# A count of the settings a method wins: "achieves the best results on 39 of 40 metrics", "ranks
# first in 47 out of 52 configurations", "outperforms on 4 out of 5 commonsense reasoning
# benchmarks" (task quality, compared over many settings). The count ends in what is counted,
# and a word of winning comes before it in the same clause.
_COUNT_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
WINS_COUNT = (
    _COUNT_WORD + r"\s(?:out\s)?of\s(?:the\s)?" + _COUNT_WORD + r"(?:\s[\w-]+){0,3}?\s"
    r"(?:benchmarks?|tasks?|datasets?|metrics?|configurations?|settings?|models?|languages?|"
    r"locales?|problems?|cases?|scenarios?|subsets?|splits?|domains?|environments?|games?)\b"
)
# The words of winning right before such a count, in its clause ("the best results on").
WON_BEFORE = (
    r"\b(?:best|first|outperform\w*|wins?|winning|won|surpass\w*|beats?|beating|superior|"
    r"state-of-the-art|sota|leads?|ranks?|ranked)\b"
    r"(?:(?:[^.;:]|\.\d){0,80}?\b(?:on|in|across|for)\s(?:all\s)?|\s)"
)
_WON_BEFORE = re.compile(WON_BEFORE + "$", re.I)


def wins_count(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a count of settings won ("39 of 40 metrics") after a word of winning
    in the same clause ("achieves the best results on")? See WINS_COUNT."""
    return bool(
        re.fullmatch(WINS_COUNT, quote[start:end], re.I)
        and _WON_BEFORE.search(quote[:start])
    )


def unnamed_quality_gain(quote: str, start: int, end: int, aims: Iterable[str]) -> bool:
    """Is quote[start:end] a gain in task quality that no metric word names: a share gained over
    another method when the title names no metric either ("SGSD outperforms GRPO by 6.2%",
    ``aims`` the title's metrics), or a score raised ("improves Qwen3-32B from 65.0% to 87.2%",
    score_raised)?"""
    value = quote[start:end]
    if score_raised(quote, start, end):
        return True
    return (
        not any(aims)
        and bool(_SHARE_VALUE.search(value))
        and unnamed_comparison(quote, start, end)
    )


def bracket_gain(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a signed gain in percent, points or a bare score, in brackets right
    after what it is measured on, in a sentence that states a gain, with no word of another
    metric right before the bracket?"""
    value = quote[start:end]
    before = quote[:start]
    if not (value.startswith("+") or before.endswith("+")) or MULTIPLE_VALUE.search(value):
        return False
    if not re.fullmatch(r"\+?\d+(?:\.\d+)?\s?(?:\\?%|percent|pp|points?)?", value):
        return False
    if not (_SIGN_BEFORE.search(before) and _SIGN_CLOSE.match(quote[end:])):
        return False
    if not _GAIN_WORD.search(quote):
        return False
    opened = before.rfind("(")
    cues = cue_spans(quote, METRIC_CUES)
    return not any(
        name != "quality" and opened - _BRACKET_REACH <= s and e <= end for s, e, name in cues
    )


def title_metrics(title: str) -> list[str]:
    """Every metric a paper's title names as its aim."""
    return [name for name, pattern in TITLE_METRICS.items() if pattern.search(title)]


def title_metric(title: str) -> str | None:
    """The one metric a paper's title names as its aim, or None (none, or more than one)."""
    kinds = title_metrics(title)
    return kinds[0] if len(kinds) == 1 else None


# "25x less expensive than LLMs": expense in general is money, unless the paper is about the
# energy or the computation it takes ("orders of magnitude more expensive" in a paper on the
# power that inference draws).
_EXPENSIVE_AFTER = re.compile(r"^\s?(?:less|more)\s(?:expensive|costly)\b", re.I)
EXPENSE_KINDS = ("cost", "energy", "compute")


def context_kinds(quote: str, start: int, end: int) -> tuple[str, ...]:
    """The metrics that quote[start:end] may measure when only a word of general meaning names
    it (performance, expense), the paper fixing which one; () for any other figure."""
    if _EXPENSIVE_AFTER.match(quote[end:]):
        return EXPENSE_KINDS
    if generic_performance(quote, start, end):
        return performance_kinds(quote[start:end])
    return ()


def _paper_metrics(info: ValidationInfo, quote: str) -> set[str]:
    """The metrics named anywhere in the title or abstract of the request's papers whose text
    holds the quote, with their titles' metrics."""
    papers = (info.context or {}).get("papers") or {}
    found: set[str] = set()
    for paper in papers.values():
        text = _collapse(f"{paper.get('title') or ''} {paper.get('abstract') or ''}")
        if quote in text:
            found.update(name for _, _, name in cue_spans(text, METRIC_CUES))
    return found | _title_metrics(info, quote)


def _title_metrics(info: ValidationInfo, quote: str) -> set[str]:
    """The metrics named by the titles of the request's papers whose text holds the quote."""
    papers = (info.context or {}).get("papers") or {}
    found = set()
    for paper in papers.values():
        title = str(paper.get("title") or "")
        if quote in _collapse(f"{title} {paper.get('abstract') or ''}"):
            found.add(title_metric(title))
    return {kind for kind in found if kind}


_FIGURE_ONLY = re.compile(r"[\d.,\s]+(?:[A-Za-z%×]{0,3})")
# Numbers written as words are figures too ("twice", "one million frames per second").
# A placing, said with its verb or noun so that it is no mere ordinal: "ranks first", "second
# place" (a result of metric "other").
_PLACING_VALUE = re.compile(
    r"(?:rank(?:s|ed)?|placed|finished)\s(?:first|second|third|1st|2nd|3rd)|"
    r"(?:first|second|third|1st|2nd|3rd)\splace",
    re.I,
)
_NUMBER_WORDS = re.compile(
    r"\b(?:half|twice|double[sd]?|triple[sd]?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty|thirty|fifty|"
    r"\w+fold|sub-(?:second|millisecond|microsecond)|"
    r"hundreds?|thousands?|millions?|billions?|orders? of magnitude|quarters?|thirds?|fifths?|"
    r"tenths?)\b",
    re.I,
)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Result(BaseModel):
    """A measured outcome of the paper's own method, e.g. value='2.3x', metric='throughput'."""

    model_config = ConfigDict(extra="forbid")

    metric: Metric = Field(description="what was measured, one of: " + METRIC_HELP)
    value: str = Field(
        max_length=80,
        description="the figure copied verbatim from the quote with its unit; keep ranges and "
        "lists whole ('1.4–5.9×', '8.7%, 12.2% and 11.0%', 'up to 2.3x')",
    )
    direction: Direction = Field(
        default="better",
        description="'worse' when the paper reports a cost of its method ('1% accuracy drop')",
    )
    baseline: str | None = Field(
        default=None, max_length=120, description="the compared system named in the quote"
    )
    headline: bool = Field(
        default=False, description="true for the 1-3 results a reader would quote first"
    )
    quote: str = Field(
        min_length=3, max_length=600, description="the sentence or clause holding the value"
    )

    @model_validator(mode="after")
    def _value_in_quote(self, info: ValidationInfo) -> Result:
        value, quote = _collapse(self.value), _collapse(self.quote)
        placing = _PLACING_VALUE.fullmatch(value)
        if not re.search(r"\d", value) and not _NUMBER_WORDS.search(value) and not placing:
            raise ValueError(
                f"value {self.value!r} has no number: give the measured figure with its unit "
                "(e.g. '2.3x', '47%'), or drop this result"
            )
        start = quote.find(value)
        if start < 0:
            raise ValueError(
                f"value {self.value!r} is not a span of its quote {self.quote!r}: copy the "
                "figure exactly as the quote writes it, with its unit (e.g. '1.4–5.9×')"
            )
        end = start + len(value)
        problem = setting_problem(quote, start, end)
        if problem:
            raise ValueError(
                f"value {self.value!r} is not a result: {problem}. Report only measured "
                "outcomes of the paper's method (e.g. '2.3x higher throughput than vLLM'), "
                "or drop this result"
            )
        if (
            not cue_near(self.metric, quote, start, end)
            and not (
                unnamed_comparison(quote, start, end)
                and self.metric in _title_metrics(info, quote)
            )
            and not (self.metric == "quality" and benchmark_gain(quote, start, end))
            and not (self.metric == "quality" and bracket_gain(quote, start, end))
            and not (
                self.metric == "quality"
                and unnamed_quality_gain(quote, start, end, _title_metrics(info, quote))
            )
            and not (
                self.metric in context_kinds(quote, start, end)
                and self.metric in _paper_metrics(info, quote)
            )
            and not (self.metric == "speedup" and system_performance(quote, start, end))
            and not (self.metric == "other" and placing)
            and not (self.metric == "quality" and wins_count(quote, start, end))
        ):
            raise ValueError(
                f"metric {self.metric!r} is not named next to {self.value!r} in the quote "
                f"{self.quote!r}: choose the metric that the words around this number name "
                f"({METRIC_HELP}); only when they name none and the number compares the "
                "paper's work with another ('outperforms vLLM by 2x'), the one metric the "
                "paper's title names ('Throughput-oriented ...'), and for performance in "
                "general ('performance improvements of 1.4x') the speedup, throughput or "
                "quality that the paper names elsewhere, and quality for a percentage gained "
                "over another method or a model's score raised ('improves Qwen3-32B from 65.0% "
                "to 87.2%') when no word names a metric; otherwise drop the result"
            )
        if self.baseline is not None and _FIGURE_ONLY.fullmatch(self.baseline.strip()):
            raise ValueError(
                f"baseline {self.baseline!r} is not the name of a compared system: give the "
                "system or method the quote compares against (e.g. 'vLLM'), or null"
            )
        return self
