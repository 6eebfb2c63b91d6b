"""Reported results read from the abstract: a figure, the metric its neighbouring words name.

Precision first: a figure is kept only when a word next to it (or its unit) names one metric
of the closed vocabulary, when it is not part of a name or a setting (the schema's own check),
and when its sentence is about the paper's work rather than background. Ranges and lists of
figures are taken whole ("1.4–5.9×", "8.7%, 12.2% and 11.0%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.local_model.text import Document, Sentence, quote_around
from schemas.metric_words import (
    ACHIEVED_SCORE,
    AREA_UNDER_CURVE,
    AVERAGE_PRECISION,
    BENCH_NAME,
    BENCHMARK_SCORE,
    CALLS_COST,
    COMMUNICATED,
    CORRELATION_SYMBOL,
    DATA_PRUNED,
    DOLLAR,
    FACTOR_QUALIFIER,
    GAIN_ON,
    HARDWARE_NAME,
    KEPT_VERB,
    MEAN_AP,
    METRIC_CUES,
    MODEL_SIZE,
    NAMED_MEASURE,
    PER_SECOND,
    PREFERRED_BY,
    RATE,
    RIGHT_RATE,
    SOLVED_VERB,
    SPENT_TOKENS,
    SYSTEM_PERFORMANCE,
    TIME_NOUN,
    TOKEN_COMPUTE,
)
from schemas.result import (
    BUDGET_PROBLEM,
    EXPENSE_KINDS,
    MULTIPLE_VALUE,
    WINS_COUNT,
    WON_BEFORE,
    acronym_raised,
    benchmark_gain,
    bracket_gain,
    closed_number,
    context_kinds,
    cue_near,
    cue_spans,
    in_reach,
    setting_problem,
    system_performance,
    title_metric,
    title_metrics,
    unnamed_comparison,
    unnamed_quality_gain,
    wins_count,
)

MAX_RESULTS = 8
MAX_HEADLINES = 3
REACH = 60  # characters between a figure and the word that names its metric
QUOTE_LIMIT = 380

# (LaTeX groups thousands as "1{,}200")
_NUM = r"\d+(?:(?:,|\{,\})\d{3})*(?:\.\d+)?"
_UNIT = (
    # LaTeX spaces a figure from its unit with "~" or "\\,", and writes "$3.2\\times$" (its
    # closing "$" kept, so that the words after it are next to it), "$1.4{\\times}$", "2.3
    # \\\\times" (escaped twice) or "20\\\\%"
    # a unit after the "$" that closes a number ("$3.3$ points", "$14$-fold"), but not "x" or
    # "times": LaTeX writes those "$3\\times$", and "$3$ times" counts repetitions
    r"(?:(?:\$(?!\s?(?:times\b|[x×*])))?(?:\s|~|\\,)?(?:[x×](?![\w])|"
    # "4.97* speedup", "up to 4* higher throughput": a "×" that text extraction made a "*"
    r"\*(?=\s?(?:speed-?ups?|faster|higher|better|lower|less|more|fewer|smaller|larger|"
    r"reductions?|improvements?|throughput|compression)\b)|\$\\times\$|(?:\\{1,2}times\b|\{\\times\})\}?\$?|"
    r"\{?\\texttimes\b\}?|times\b|-?fold\b|%|\\{1,2}%\$?|"
    r"\s?percent(?:age points?)?\b|pp\b|"
    # "an 11.8-point improvement", "a 5.9 percentage-point average gain" (not "the 24-point game")
    r"(?:-(?:percentage-)?|percentage-)points?\b(?=\s(?:[\w-]+\s)?(?:improvements?|gains?|"
    r"increases?|drops?|decreases?|reductions?|boosts?|margins?|leads?|higher|better|lower)\b)|"
    # a gain in points of a named score: "within 4 FID points", "0.7-0.8 accuracy points"
    r"(?:accuracy|FID|BLEU|C-index|F1|m?AP|m?IoU|AUC|ROUGE(?:-\w+)?)\spoints?\b|"
    # "by over 23 absolute points"
    r"(?:absolute\s)?points?\b|tokens?\s?/\s?s(?:ec)?\b|tokens? per sec(?:ond)?\b|"
    r"(?:requests?|queries|samples?|images?)\s?"
    r"(?:/\s?s\b|per second\b)|(?:samples?|images?|tokens?|inferences?|frames?)\s?/\s?k?J\b|"
    r"QPS\b|bits? per (?:weight|parameter)\b|ms\b|s\b|seconds?\b|ns\b|[μµ]s\b|(?<=\d)us\b|"
    r"\$\\mu\$\s?s\b|"
    r"sec\b|hours?\b|minutes?\b|days?\b|weeks?\b|[GMKT]B\b|mW\b|W\b|[mk]J\b|J\b|k?Wh\b|[GT]OPS/W\b|"
    r"BLEU\b|ROUGE(?:-\w+)?\b|mAP\b|m?IoU\b|F1\b|PSNR\b|dB\b|perplexity\b|PPL\b|"
    r"AU(?:C|ROC|PRC)\b|"
    r"[PT]?FLOPS\b|T\s?FLOPs\b|GFLOPs\b|GOPS\b|(?:peta|tera)\s?flops?\b|[PT]?FLOP/s|"
    r"TOPS\b|FPS\b|frames per second\b|k?Hz\b))"
)
# "by 10+%": at least the figure, its "+" part of it (only before "%": "O8+x" is a formula)
_ONE = rf"[−-]?{_NUM}(?:\+(?=%))?{_UNIT}"
# A figure with its uncertainty: "95.7% $\\pm$ 0.20%", "91.71% +/- 0.62%", "5.1$\\pm$1.1": one
# figure, whose spread is no figure of its own.
_PM = rf"\s?(?:\$\\pm\$|\\pm|±|\+/-)\s?{_NUM}(?:{_UNIT})?"
# A "$" that opens LaTeX mathematics is no money: "$\\pm$ 0.52%", "$<$ 6%" (the one closing them),
# "$3-10\\times$ faster", "$83-88\\%$ sparsity".
# A number in scientific notation is one figure, not a factor: "$7.35\\times 10^{-9}$",
# "2.1 × 10^5".
_SCIENTIFIC = rf"[−-]?{_NUM}\s?(?:\\{{1,2}}times|×|x)\s?\{{?10\^\{{?[−-]?\d+\}}?\}}?\$?"
_MONEY = (
    r"(?<!\\pm)(?<!\\mp)(?<![<>])" + DOLLAR + r"(?![^$\s]{0,30}\\(?:times|%)\}?\$)"
    # nor is any "$" closed again before a space: "in $60/64$ cases" ("$5-$10" is money: its
    # second "$" opens a figure)
    r"(?![^$\s]{0,30}\$(?!\d))"
)
_LEAD = (
    r"(?:(?:up to|over|more than|nearly|almost|about|around|approximately|at least|"
    r"less than|under|within|only|as much as|as little as|[<>~≈]|"
    # "sim" is "~" (LaTeX \sim) that lost its backslash: "by sim3x", "by \sim 3x"
    r"\$?\\?sim(?=\s?\d)|"
    # LaTeX in arXiv text: "$\sim$3x", "$\approx$ 2x"
    r"\$\\(?:sim|approx)\$|"
    # a LaTeX bound, its "$" closed before the figure or after it: "$\geq$5x", "$\geq10\%$"
    r"\$?\\(?:geq?|leq?|gtrsim|lesssim)(?![a-z])(?:\s?\$)?)\s?)?"
)
_RESPECTIVELY = re.compile(r"^[^.;]{0,50}?\brespectively\b", re.I)
# "6.0x and 8.1x in power consumption and model size": the metrics named right after a list.
_PAIRED_AFTER = re.compile(
    r"^\s?(?:(?:improvements?|reductions?|increases?|gains?|speed-?ups?|savings?|decreases?)\s)?"
    # "95.2% and 34.9% improvements in terms of response time and cost"
    r"(?:in terms of|of|in)\s(?:the\s|their\s|its\s)?"
    r"(?:(?:end-to-end|average|overall|inference)\s)?|"
    # "26% and 31% fewer parameters and FLOPs": a comparative before the list of metrics
    r"^\s?(?:fewer|less|lower|smaller|reduced)\s",
    re.I,
)
_ITEM_GAP = re.compile(
    r"\s(?:[\w-]+\s)?(?:reductions?|improvements?|gains?|increases?|speed-?ups?|savings?|"
    r"decreases?|boosts?),\s(?:and\s|or\s)?(?:an?\s)?",
    re.I,
)
_LIST_JOIN = re.compile(r",|\b(?:and|or)\b")
_ITEM = re.compile(rf"[−-]?{_NUM}{_UNIT}")
_LISTED = re.compile(r",\s|\s(?:and|or)\s")
# A decimal of a list whose unit is written only after its last item: "by 2.3, 4.1 and 1.8 points".
_BARE_ITEM = r"[−-]?\d+\.\d+"
_FIGURE = re.compile(
    # not a number of a measure's name ("mAP@0.5", "Recall@10")
    rf"(?<![\w.,/@-]){_LEAD}(?:"
    rf"{_ONE}(?:,\s{_ONE})*,?\s(?:and|or)\s{_ONE}"  # a list: 8.7%, 12.2% and 11.0%
    # "2.3, 4.1 and 1.8 ms, respectively"
    rf"|(?P<bare>{_BARE_ITEM}(?:,\s{_BARE_ITEM})*,?\s(?:and|or)\s{_ONE}"
    r"(?=[^.;]{0,50}?\brespectively\b))"
    # a range: 1.4–5.9x, +46% to +75%, $1.5$--$2\times$
    rf"|{_NUM}{_UNIT}?\$?\s?(?:--?|–|~|to|->|→|\\?sim)\s?\$?\+?{_ONE}"
    rf"|[−-]?{_NUM}(?:{_UNIT})?{_PM}"  # a figure with its uncertainty
    rf"|{_SCIENTIFIC}"
    rf"|{_ONE}"  # a single figure
    # money, not LaTeX's "$65\%$", nor the "b" of "$1,500 budget"
    rf"|{_MONEY}\s?{_NUM}(?:\s?(?:[KMB]|million|billion)(?![A-Za-z]))?"
    r")",
    re.IGNORECASE,
)

# Words naming each metric, for attribution; longer phrases win over words inside them.
_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "compute",
        re.compile(
            r"computation(?:al)? (?:cost|overhead|complexity|budget)|compute cost|\bflops?\b|"
            # "2.47x computational speedup" is a speedup: the noun, not its adjective, names it
            r"\bmacs\b|(?-i:[GTP]FLOPs\b)|computations?\b|computational(?!\s(?:speed-?ups?|accelerations?)\b)|"
            r"multiply-accumulate|operations|"
            # "1.45x compute-bound speedup", "more memory-bound": a regime, not what is measured
            r"\bcompute\b(?!\s(?:the|a|an|its|their|and)\b)(?![\s-]bound\b)|"
            r"floating[\s-]point operations|training budget|"
            # "a mere 0.46% of local computing resources"
            r"computing (?:resources|power|budget)|" + TOKEN_COMPUTE,
            re.I,
        ),
    ),
    (
        "size",
        re.compile(
            # "a smaller 3B model achieves 72.4%": an article before "smaller" makes it a
            # model's attribute, not what a figure measures ("a 4x smaller model" still is)
            MODEL_SIZE + r"|(?<!\ba\s)(?<!\bthe\s)smaller|compress\w*|compression ratio|"
            # "the text volume is condensed to 27.9% of its original length"
            r"\bcondens(?:e|es|ed|ing)\b|"
            r"parameters|parameter counts?|"
            r"(?:pruning|sparsity) (?:ratios?|rates?|levels?)|"
            r"\bsparsity\b|"
            r"params\b|"
            r"bits? per (?:weight|parameter)|\bbpw\b|storage size|model footprint|model storage|"
            # "15-65% parameter reduction", "only 1% additional storage per task"
            r"parameter (?:reductions?|overheads?|savings?|increases?)|"
            r"(?:additional|extra) storage",
            re.I,
        ),
    ),
    (
        "memory",
        re.compile(
            # (not a method's kind: "93% with memory-based reasoning", "memory-augmented agents")
            r"memory(?![\s-]bound\b)(?!-(?:based|augmented|enhanced|guided|driven)\b)|footprint|"
            r"kv[\s-]?cache|activation memory|\bvram\b|bandwidth|"
            r"data movement|"
            r"data transfers?|" + COMMUNICATED + "|"
            r"(?-i:\bD?RAM\b)",
            re.I,
        ),
    ),
    (
        "throughput",
        re.compile(
            r"throughput|goodput|requests? per|" + PER_SECOND + "|"
            r"more requests|\bqps\b|samples?\s?/\s?s\b|\bfps\b|frames per second|"
            # "TFLOPS" is a rate, "inference TFLOPs" a count of operations
            r"(?-i:TFLOPS\b|TFLOP/s)|"
            r"\bconcurrent\s(?:users|requests|sessions|clients|streams)\b|" + RATE,
            re.I,
        ),
    ),
    (
        "speedup",
        re.compile(
            r"speed\s?-?ups?|speeds? up|\bspeed\b|faster|slower|accelerat\w*|latenc\w*|"
            # "twice as fast as"
            r"\bas (?:fast|slow|quick)\b|"
            r"response time|"
            r"\bdelays?\b|\bslow(?:s|ed|ing|down)?\b|"
            r"(?:inference|training|decoding|execution|running|search|wall-?clock|end-to-end|"
            r"generation|fine-tuning|convergence|completion) time|runtime|\bttft\b|"
            r"time[\s-]to[\s-](?:first[\s-]token|accuracy|solution|convergence)|inference speed|"
            r"training speed|decoding speed|\btpot\b|"
            r"\bitl\b|\btbt\b|time per output token|inter-token|\bjct\b|makespan|"
            r"(?:iteration|step|job completion|turnaround|compilation|search|checkpointing) time|"
            + TIME_NOUN
            + "|"
            + SYSTEM_PERFORMANCE,
            re.I,
        ),
    ),
    (
        "energy",
        re.compile(
            r"energy|power consumption|\bpower\b|watts?\b|joules?|carbon|emissions?|tops/w|"
            r"electricity|\bco2\b|battery life",
            re.I,
        ),
    ),
    (
        "cost",
        re.compile(
            r"(?<!computational )(?<!computation )(?<!compute )\bcosts?\b|" + _MONEY + r"|price|"
            r"dollars?|"
            r"cheaper|gpu[\s-](?:hours|days)|expenses?\b|" + CALLS_COST,
            re.I,
        ),
    ),
    (
        "quality",
        re.compile(
            r"accura\w*|perplexity|\bppl\b|bleu|rouge|\bf1\b|top-?[15]\b|exact match|pass@\d|"
            r"win[\s-]rate|" + MEAN_AP + "|" + AVERAGE_PRECISION + r"|\bwer\b|\bcer\b|\b[rg]?fid\b|"
            r"robustness|quality|\bfidelity\b|"
            r"\bscores?\b|\brecall(?:@\d+)?\b|\bndcg\b|\bmrr\b|\bm?iou\b|\bcider\b|\bmeteor\b|"
            r"\bc-index\b|cross[\s-]entropy|"
            r"hallucination rates?|\b(?:training|validation|test|evaluation)\slosse?s?\b|"
            r"performance (?:gains?|improvements?)|success(?:ful(?:ly)?)?(?: rate)?\b|error rate|"
            + RIGHT_RATE
            + "|"
            r"\berrors?\b(?!-)|"
            r"(?:gains?|improvements?)(?: over [\w.-]+)? on (?:the\s)?(?:[\w-]+\s){0,2}"
            r"(?:benchmarks?|datasets?|tasks?)\b|"
            r"\b(?:rmse|mae|mse|mape|ssim|psnr)\b|absolute (?:percentage )?errors?|"
            + NAMED_MEASURE
            + "|"
            r"\bdice\b|intersection[\s-]over[\s-]union|"
            r"\b(?:" + AREA_UNDER_CURVE + r")\b|"
            r"(?:rank |pearson |spearman )?correlation|"
            r"(?:test|top-[15]|word|mean|median|prediction|classification|relative) errors?|"
            r"\bof (?:the |its )?(?:original |full |baseline )?(?:\w+ )?performance\b|"
            r"\b(?:task|downstream|benchmark) performance\b|false (?:negatives?|positives?)|"
            # "a 20% drop in performance"
            r"\b(?:drops?|degradation|decline|loss)\sin\s(?:\w+\s)?performance\b|"
            # "with less than 1% drop": a drop of nothing named is one of quality
            r"\b(?:drop|degradation)\b(?!\s(?:in|of)\b)|"
            # "absolute gains of up to 15%": points of a score
            r"\babsolute\s(?:gains?|improvements?)\sof\b|" + GAIN_ON,
            re.I,
        ),
    ),
    (
        "other",
        re.compile(
            r"(?:model )?flops utili[sz]ation|utili[sz]ation|\bmfu\b|chip area|\barea\b|"
            r"context (?:lengths?|windows?)|sequence lengths?|(?:longer|larger) contexts?\b|"
            # a share of peak, of a named chip's too ("over 50% of A6000 peak")
            r"of (?:the )?(?:theoretical |[A-Za-z]*\d[\w-]*\s)?peak\b|"
            r"(?:weak |strong )?scaling efficienc(?:y|ies)|"
            # efficiency of no named resource ("69% higher efficiency", "reasoning efficiency",
            # "sample efficiency gains"), scalability, and the data a method needs ("90% fewer
            # training samples", "reduces real-world data needs by 70%")
            r"(?:sample|data|reasoning|label|annotation)[\s-]efficiency|"
            # the tokens a drafter's guess keeps per step: "improves acceptance length by 4.2%"
            r"\baccept(?:ance|ed)\slengths?\b|"
            r"(?<=higher\s)efficiency\b|(?<=better\s)efficiency\b|(?<=greater\s)efficiency\b|"
            r"\bscalability\b|(?:fewer|less)\s(?:training\s|labell?ed\s|real-world\s)?"
            r"(?:data|samples|examples)\b|\bdata\s(?:needs|requirements)\b",
            re.I,
        ),
    ),
]
# A unit that names its metric by itself.
_UNIT_METRIC = [
    ("size", re.compile(r"bits? per (?:weight|parameter)$", re.I)),
    ("throughput", re.compile(r"tokens?\s?/\s?s|tokens? per sec|fps|frames per second|"
                              r"(?:requests?|queries|samples?|images?)\s?(?:/\s?s|per second)|qps|"
                              r"(?-i:TFLOPS)$|peta\s?flops?$|tera\s?flops?$|(?-i:PFLOPS)$|"
                              r"flop/s$", re.I)),
    ("compute", re.compile(r"flops?$|gflops", re.I)),
    ("throughput", re.compile(r"\d\s?k?hz$", re.I)),  # a rate; kept only next to a rate word
    ("throughput", re.compile(r"\d\s?[gt]ops$", re.I)),
    ("quality", re.compile(r"\d\s?(?:bleu|rouge(?:-\w+)?|map|m?iou|f1|psnr|db|perplexity|ppl|"
                           r"au(?:c|roc|prc))$",
                           re.I)),
    ("energy", re.compile(r"(?:\d|\s)(?:mw|w|[mk]j|j|k?wh|[gt]ops/w)$|/\s?k?j$", re.I)),
    ("speedup", re.compile(r"\d\s?(?:ms|s|seconds?|sec|hours?|minutes?|days?|weeks?|ns|us)$|"
                           r"(?:[μµ]|\\mu\$\s?)s$", re.I)),
    ("cost", re.compile(r"^\$(?!\\)", re.I)),  # not LaTeX: "$\sim$3x"
    # "2.3 points", "an 11.8-point improvement", "a 5.9 percentage-point gain"
    ("quality", re.compile(r"\d\s?(?:-?(?:percentage-)?points?|pp|percentage points?|"
                           r"absolute points?)$", re.I)),
]  # fmt: skip
_PLUS_MINUS_BEFORE = re.compile(r"(?:\\pm|±|\+/-)\s?\$?\s?\$?\s?$")


# An error named right before its figure ("a mean prediction error of 5.1 ms", "RMSE of 0.4 s").
_ERROR_OF = re.compile(
    r"\b(?:errors?|rmse|mae|mse|deviations?)\s(?:of|is|was|=|:)\s(?:only\s|about\s|around\s)?$",
    re.I,
)
_CLAUSE = re.compile(r"[;:]|,\s(?:while|whereas|and|but)\s|\swhile\s|\swhereas\s")
_WORSE = re.compile(
    r"^.{0,30}?\b(?:loss|drop|degradation|decrease in accuracy|overhead|slower|slowdown|"
    r"(?:perplexity|ppl|error) increase|increase in (?:perplexity|error))\b|"
    r"\b(?:loss|drops?|degradation|overhead|slowdown|decreases?|declines?) "
    r"(?:of|by|within|below|under|less than)\s"
    r"(?:only\s)?$",
    re.I,
)
# A change "by" a figure whose way depends on what changes: "increases latency by 9%" and
# "reduces accuracy by 1.2%" are costs, "memory usage decreases by 40%" and "reduces the slowdown
# by 35%" gains. What changes is named between the verb and "by", else just before the verb, else
# by the figure's metric.
_CHANGE_BY = re.compile(
    # ("it slowed inference by 82%": a slowdown is a time that grows)
    r"\b(?:(?P<up>increas\w*|rais(?:e|es|ed|ing)|grow(?:s|ing)?|grew|rises?|rose|rising|"
    r"slow(?:s|ed)?(?:\sdown)?|extend(?:s|ed|ing)?|lengthen(?:s|ed|ing)?)|"
    r"(?P<down>reduc(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|drop(?:s|ped|ping)?|"
    r"declin(?:e|es|ed|ing)|lower(?:s|ed|ing)?|cut(?:s|ting)?|fall(?:s|ing)?|fell|"
    r"shrink(?:s|ing)?|shrank))\s(?P<obj>(?:(?!(?:and|or|while|whereas)\b)[\w-]+\s){0,5}?)by\s"
    r"(?:up to\s|about\s|around\s|nearly\s|roughly\s|only\s|just\s|over\s|more than\s|"
    r"approximately\s|an average of\s|on average\s|at most\s)?$",
    re.I,
)
_LOWER_BETTER = re.compile(
    r"\b(?:latenc\w*|memory|energy|power|costs?|times?|slowdowns?|overheads?|footprints?|usage|"
    r"consumption|errors?|perplexity|flops|size|parameters|bandwidth|traffic|storage|runtime|"
    r"delays?|drops?|loss(?:es)?|degradation|gaps?|stalls?|misses|fid|wer|cer|mae|mse|rmse|"
    r"hallucinations?|collisions?|violations?|failures?)\b",
    re.I,
)
_HIGHER_BETTER = re.compile(
    r"\b(?:speedups?|speed|throughput|accuracy|quality|scores?|f1|bleu|rouge|map|recall|"
    r"precision|efficiency|utili[sz]ation|performance|revenue|profits?|savings?|rewards?)\b",
    re.I,
)
_LOWER_BETTER_METRICS = {"speedup", "memory", "energy", "cost", "size", "compute"}


def _change_worse(before: str, metric: str | None) -> bool | None:
    """Whether a change "by" the figure that ends ``before`` is a cost (None: no such change)."""
    clause = re.split(r"\d|[;:()]|,\s", before[-80:])[-1]
    change = _CHANGE_BY.search(clause)
    if not change:
        return None
    named = [change.group("obj"), clause[: change.start()][-40:]]
    lower = None
    for words in named:
        if _LOWER_BETTER.search(words) or _HIGHER_BETTER.search(words):
            lower = bool(_LOWER_BETTER.search(words))
            break
    if lower is None and metric in _LOWER_BETTER_METRICS:
        lower = True  # (a quality may be an error or a count of failures: left to the words)
    if lower is None:
        return None
    return bool(change.group("up")) == lower


_NO_LOSS = re.compile(
    r"\b(?:negligible|no|without|minimal|marginal|little|zero|minor|without any)\s(?:[\w-]+\s)?"
    r"(?:loss|drop|degradation|overhead|slowdown)",
    re.I,
)
# Sentences about prior work or the problem, not the paper's own outcome.
_BACKGROUND = re.compile(
    r"\b(?:prior|previous|existing|traditional|conventional)\s(?:\w+\s){0,2}?(?:work|works|"
    r"methods?|approaches|systems?|solutions|studies|techniques|frameworks)\b(?!.*\bour\b)|"
    r"\b(?:is|are) known to\b|\bsuffers?\b|\bhas been shown|studies have shown|"
    r"\b(?:typically|commonly|often|usually)\b|\bcan (?:cost|take|consume|require)\b|"
    r"\bhave grown\b|\bis expected to\b|\bmotivat\w*|"
    # "they overlook the impact on ..., for example, 60.0 mAP ...": what prior work misses
    r"\bthey\s(?:\w+\s)?(?:overlook|ignore|neglect|fail|lack|omit|miss)\w*\b|"
    r"\bremains? (?:a\s|an\s)?(?:(?:key|major|open|significant)\s)?"
    r"(?:challeng\w*|difficult|problem)",
    re.I,
)
_OWN = re.compile(
    r"\b(?:we|our|this (?:paper|work|study))\b|\b(?:achiev\w*|outperform\w*|deliver\w*|"
    r"yield\w*|results? (?:show|demonstrate|indicate)|experiments? (?:show|demonstrate)|"
    r"evaluations? (?:show|demonstrate)|compared (?:to|with))\b",
    re.I,
)
_BASELINE = re.compile(
    r"\b(?:over|than|compared (?:to|with)|relative to|versus|vs\.?|against)\s+"
    r"((?:the\s)?[\w][\w\-.+/]*(?:\s[A-Z0-9][\w\-.+/]*){0,3})"
)
_BASELINE_LEAD = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|than|over|compared (?:to|with)|against|versus|"
    r"vs\.?|relative to|improv\w*\s(?:up)?on)\s(?:the\s)?$",
    re.I,
)
# "outperforms imitation learning baselines and prior RL approaches": prior work listed after
# other compared systems is a baseline as well.
_BASELINE_LIST_LEAD = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|compared (?:to|with)|against|versus|vs\.?|"
    r"relative to|improv\w*\s(?:up)?on)\s(?:[\w-]+\s){1,4}(?:and|or)\s(?:the\s)?$",
    re.I,
)
_COMPARATIVE = (
    r"(?:higher|lower|larger|smaller|more|less|fewer|greater|better|tighter|longer|shorter|"
    r"bigger|wider)"
)
_FUNCTION_WORD = (
    r"(?:of|in|on|for|over|than|compared|with|while|and|or|at|by|to|from|the|a|an|across|"
    r"respectively|when|under|without|relative|against|versus|vs|on)\b"
)
# Words between a figure and the metric word that names it: "3.8% higher accuracy", "5.6x math
# acceleration", "by 24% in average success rate", "10x increase in model size".
_NAMED_AFTER = re.compile(
    rf"^\s?(?:(?!{_FUNCTION_WORD})[\w-]+\s){{0,2}}$|"
    r"^\s?(?:in|on)\s(?:the\s)?(?:(?:average|overall|mean|end-to-end|total|inference|training|"
    r"serving|decoding)\s)?$|"
    r"^\s?(?:[\w-]+\s)?(?:increases?|reductions?|improvements?|gains?|decreases?|boosts?|savings?)"
    r"\s(?:in|of)\s(?:the\s)?(?:[\w-]+\s){0,2}$",
    re.I,
)
_CHANGE_IN = re.compile(
    r"^\s?(?:increases?|reductions?|improvements?|gains?|decreases?|boosts?|savings?)\s(?:in|of)\s"
    r"(?:the\s)?[\w-]+(?:\s[\w-]+){0,2}",
    re.I,
)
# "for over 25% of the programs", "50% of the weights": a share of a population, not an outcome.
_SHARE_OF = re.compile(
    r"^\s?of\s(?:the\s|all\s|its\s)?(?:[\w-]+\s)?(?:programs|requests|cases|tasks|users|samples|"
    r"queries|problems|instances|workloads|models|benchmarks|datasets|questions|jobs|layers|"
    r"SLOs?|deadlines|constraints|(?:unit\s)?tests|test\scases|"
    r"parameters|tokens|weights|experts|heads|neurons|channels|nodes|devices|time)\b",
    re.I,
)
_SHARE_OF_METRIC = re.compile(
    r"^\s?of\s(?:the\s|its\s|their\s)?(?:(?:original|full|baseline|total|dense|teacher|"
    r"uncompressed|full-precision|FP16|peak)(?:'s)?\s)?",
    re.I,
)
_DATA_PRUNED = re.compile(DATA_PRUNED, re.I)
# "while using only 2% of the training data", "requiring only 0.1% (10k) of the SAM training
# data", "using only one-twelfth of the training data": the share of the training data a method
# needs is its data efficiency (`other`); the share it does without is compute (DATA_PRUNED).
_DATA_USED_BEFORE = re.compile(
    r"\b(?:us(?:es|ed|ing)|requir(?:es|ed|ing)|need(?:s|ed|ing)?|with)\s(?:only\s|just\s|merely\s)?$",
    re.I,
)
_DATA_USED_AFTER = re.compile(
    r"^\s?(?:\([^()]{1,20}\)\s)?of\s(?:the\s)?(?:[\w-]+\s)?(?:training|labell?ed)\sdata\b", re.I
)
_PREFERRED = re.compile(r"^\s?" + PREFERRED_BY, re.I)
_UNNAMED_SCORE = re.compile(f"{ACHIEVED_SCORE}|{BENCHMARK_SCORE}", re.I)
# What a compressed or cheaper model keeps of the original is its quality.
_RETAINED = re.compile(
    KEPT_VERB + r"\s(?:only\s|over\s|about\s|nearly\s|up to\s|more than\s|around\s|at least\s)?$",
    re.I,
)
_WITHIN = re.compile(r"within\s", re.I)
_PERFORMANCE_BEFORE = re.compile(r"\b(?:performance|accuracy)\s(?:[\w-]+\s)?$", re.I)
_SUPPORTED = re.compile(
    r"\b(?:support\w*|enabl\w*|allow\w*|fit\w*|accommodat\w*)\s(?:up to\s)?$", re.I
)
_LARGER_BATCH = re.compile(r"^\s?(?:larger|bigger)\sbatch(?:es|\ssizes?)\b", re.I)
_MORE_AFTER = re.compile(r"^\s?(?:more|less)\b", re.I)
# A share of a hardware resource: "fits in ~14% of a U50's LUTs", "2% of the chip area".
_RESOURCE_OF = re.compile(
    r"^\s?of\s(?:the\s|an?\s|its\s)?(?:[\w-]+(?:'s)?\s){0,2}(?:LUTs|DSPs|BRAMs|flip-flops|"
    r"logic\s(?:cells|resources)|(?:chip|die|silicon)\sarea)\b"
)
# Resources that are no metric of the vocabulary: "with less than 20% extra resources".
_RESOURCES_AFTER = re.compile(
    r"^\s?(?:extra|additional|more|fewer|less)\s(?:(?:hardware|FPGA|logic|on-chip)\s)?resources\b",
    re.I,
)
# Bytes of storage are a model's size, bytes of memory its memory.
_STORAGE_OF = re.compile(r"^\s?of\s(?:[\w-]+\s)?(?:storage|disk(?:\sspace)?)\b", re.I)
_MEMORY_OF = re.compile(r"^\s?of\s(?:[\w-]+\s)?(?:memory|VRAM|RAM|HBM)\b", re.I)
_SHRUNK_TO = re.compile(
    r"\b(?:quantiz|quantis|compress|shrink|shrunk)\w*\s(?:[\w-]+\s){0,4}?to\s"
    r"(?:only\s|just\s|about\s|around\s|~)?$",
    re.I,
)
_PERFORMANCE_NEXT = re.compile(r"^\s?(?:[\w-]+\s)?performance\b", re.I)
_OWN_SIZE_OF = re.compile(
    r"^\s?of\s(?:the\s|its\s|their\s)(?:original|initial|full|uncompressed)\ssize\b",
    re.I,
)
# A metric held fixed, not measured: "with comparable model size", "at identical token cost",
# "while being iso-latency".
_HELD_BEFORE = re.compile(
    r"\b(?:comparable|similar|the\ssame|equal|identical|matched|iso)[\s-](?:[\w-]+\s)?$", re.I
)
# A share scored on a named benchmark: "achieves 60.7% on MMLU, 81.9% on ARC-C".
_SCORED_BEFORE = re.compile(
    r"\b(?:achiev|reach|scor|attain|obtain)\w*\s(?:an?\s|only\s|up\sto\s|over\s)?$", re.I
)
_ON_NAMED = re.compile(
    r"^\$?\s?on\s(?:the\s)?(?!" + HARDWARE_NAME + r")(?-i:[A-Z][\w-]*[A-Z0-9][\w-]*)\b"
)
_IDEAL = re.compile(r"\b(?:theoretical|optimal|ideal|peak|maximum|roofline|attainable)\b", re.I)
_PERFORMANCE_OF = re.compile(r"(?:[\w-]+(?:'s)?\s){0,2}performance\b", re.I)
# Tasks a model completes or solves: their share is a success rate.
_SOLVED = re.compile(SOLVED_VERB + "$", re.I)
# "human" alone only as a noun: "a simulated human forearm", "human pose" are what is measured on
_HUMAN_BEFORE = re.compile(
    r"\b(?:humans|human\s(?:experts?|performance|accuracy|baselines?|level|annotators?|raters?|"
    r"players?|participants?)|human(?!\s[a-z]))\b(?!-)[^,;.()]{0,40}$",
    re.I,
)
_HUMAN_AFTER = re.compile(r"^\s?(?:[\w-]+\s){0,2}of\s(?:an?\s|the\s)?(?:[\w-]+\s)?humans?\b", re.I)
_BEATS = re.compile(r"\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|than|over|vs\.?)\s*$", re.I)
_TWO_WORDS = re.compile(r"(?:[\w-]+\s){0,2}")
_PRUNED = re.compile(
    r"\b(?:prun\w*|remov\w*|eliminat\w*|sparsif\w*|drop(?:s|ping)?)\s(?:up to\s|over\s|about\s|"
    r"nearly\s|more than\s)?$",
    re.I,
)
_QUANTITY = re.compile(r"\b(?:number|amount|count|quantity|volume)$", re.I)
_QUANTITY_OF = re.compile(r"\sof\s(?:the\s)?", re.I)
# "a 2x boost in TEP over ...", "+187.5% improvement in E^3.": a change in a metric known only by
# its acronym, which ends the phrase.
_CHANGE_IN_ACRONYM = re.compile(
    r"^\s?(?:[\w-]+\s)?(?:improvements?|gains?|boosts?|increases?|reductions?|decreases?)\s"
    r"(?:in|of)\s(?:the\s)?(?P<name>[A-Z][A-Za-z0-9^_]*)(?=\s(?:over|than|compared|versus|vs|"
    r"and|while|across|relative)\b|\s?[,.;)]|$)"
)
_COMPARED_NOUN = re.compile(
    rf"^\s?{_COMPARATIVE}(?P<words>\s(?!{_FUNCTION_WORD})[A-Za-z][\w-]*"
    rf"(?:\s(?!{_FUNCTION_WORD})[A-Za-z][\w-]*)?)",
    re.I,
)
# The words that continue a noun phrase up to its head: no function word, no punctuation, and no
# verb that opens the next clause ("3x larger hidden sizes enabling memory savings", "4x longer
# prompts using offloading"); an -ing word only as a noun ("peak training memory").
_NOUN_ING = r"(?:training|serving|decoding|processing|computing|streaming|caching|scheduling)\b"
_PHRASE_ON = re.compile(
    rf"(?:\s(?!{_FUNCTION_WORD}|(?:per|using|via|through|within|without|into|onto)\b)"
    rf"(?!(?!{_NOUN_ING})[A-Za-z]+(?:ing|ed)\b)[A-Za-z][\w-]*){{0,2}}",
    re.I,
)
_CHANGED_NOUN = re.compile(
    rf"^\s(?!{_FUNCTION_WORD})[A-Za-z][\w-]*(?:\s(?!{_FUNCTION_WORD})[A-Za-z][\w-]*)?\s"
    r"(?:improvements?|reductions?|increases?|gains?|boosts?|savings?|decreases?)\b",
    re.I,
)
# "reduces the memory footprint by", "improves the end-to-end throughput of LLM serving by up to":
# the noun phrase between the verb and "by" names the figure's metric.
# "over LoRA", "upon the strongest baseline": a compared system, all of a "... by" phrase
_OVER_ONLY = re.compile(
    r"(?:over|upon|on|against|versus|vs\.?)\s(?:the\s|a\s|an\s)?(?:[\w/().-]+\s){1,5}", re.I
)
_CHANGED_BY = re.compile(
    r"\b(?:reduc\w*|lower\w*|cut\w*|improv\w*|increas\w*|boost\w*|accelerat\w*|speed\w* up|"
    r"decreas\w*|rais\w*|enhanc\w*|shrink\w*|sav\w*|decreas\w*|extend\w*|minimi[sz]\w*|"
    r"raises?|elevat\w*|drops?|dropp\w*|slash\w*|trim\w*)\s(?:the\s|its\s|their\s)?"
    r"(?P<phrase>(?:(?!by\b)(?!(?:reduc|lower|cut|improv|increas|boost|decreas|enhanc)\w*\s)"
    r"[\w/().-]+\s){1,16}?)by\s"
    r"(?:up to\s|over\s|about\s|around\s|nearly\s|approximately\s|at least\s|more than\s|"
    r"an average of\s|on average\s|as much as\s)?$",
    re.I,
)
# "improve the average task performance of the model from 36.2% to 40.7%": as "... by", the noun
# phrase between the verb and "from" names the figures.
_CHANGED_FROM = re.compile(
    r"\b(?:reduc\w*|lower\w*|cut\w*|improv\w*|increas\w*|boost\w*|decreas\w*|rais\w*|"
    r"enhanc\w*|shrink\w*|elevat\w*)\s(?:the\s|its\s|their\s)?"
    r"(?P<phrase>(?:(?!from\b)(?!(?:reduc|lower|cut|improv|increas|boost|decreas|enhanc)\w*\s)"
    r"[\w/().-]+\s){1,12}?)from\s$",
    re.I,
)
# "execution time reduced by up to", "MMLU-Pro improves by": the noun before the verb is what
# changed (a passive or an intransitive verb, so no noun phrase follows it).
_NOUN_CHANGED_BY = re.compile(
    r"(?P<what>(?:[\w/-]+\s){1,3})(?:is\s|are\s|was\s|were\s|gets?\s|being\s)?"
    r"(?:reduced|cut|lowered|improved|increased|decreased|boosted|accelerated|shortened|raised|"
    r"enhanced|compressed|shrunk|improves|increases|decreases|drops|rises|grows)\sby\s"
    r"(?:up to\s|over\s|about\s|around\s|nearly\s|approximately\s|at least\s|more than\s|"
    r"as much as\s|an average of\s)?$",
    re.I,
)
# What a task counts as failed outputs: the object of "reduces ... by N" that names no metric word
# but whose fall is a gain in quality ("false alarms", "unsafe outputs", "violation counts").
_FAILURES = re.compile(
    r"\b(?:(?:constraint\s|safety\s|rule\s)?violations?|false\salarms?|"
    r"(?:unsafe|harmful|toxic|invalid|incorrect)\s(?:outputs?|responses?|answers?|generations?)|"
    r"failures?|mistakes?)(?:\s(?:counts?|rates?))?\s?$",
    re.I,
)
# "accuracy improvements in the range of", "a memory reduction of up to": the noun before names it.
_CHANGE_NOUN_BEFORE = re.compile(
    r"(?P<what>(?:[\w/-]+\s){1,3})(?:improvements?|gains?|reductions?|savings?|increases?|"
    r"speed\s?-?ups?|decreases?|boosts?)\s(?:of|by|in the range of|ranging from|between|"
    r"reaching|as high as)\s(?:up to\s|over\s|about\s|around\s|nearly\s|approximately\s|"
    r"at least\s|more than\s|as much as\s)?$",
    re.I,
)
# A change noun (with "enhancement", which _CHANGE_WORD of figures in words leaves out), and the
# scope words that may stand between "in" and the metric it names.
_CHANGE_NOUN = (
    r"(?:speed\s?-?ups?|improvements?|increases?|gains?|reductions?|boosts?|savings?|"
    r"decreases?|enhancements?)"
)
_SCOPE = r"(?:(?:average|overall|mean|end-to-end|total|inference|training|serving|decoding)\s)?"
# "2.5x speedup in throughput": a change word whose "in <metric>" says what changed.
_CHANGE_SPECIFIED = re.compile(
    rf"^\s?(?:[\w-]+\s)?{_CHANGE_NOUN}\s(?:in|of)\s(?:the\s)?{_SCOPE}", re.I
)
# "a speedup of up to 18x in inference throughput", "a reduction of over 90% in RAM use": a change
# noun before the figure, and "in <metric>" after it says what changed.
_CHANGE_OF = re.compile(
    rf"\b{_CHANGE_NOUN}\sof\s(?:up to\s|over\s|about\s|around\s|nearly\s|"
    r"approximately\s|at least\s|more than\s|as much as\s|roughly\s)?$",
    re.I,
)
_IN_AFTER = re.compile(rf"^\s?in\s(?:the\s)?{_SCOPE}", re.I)
# Compressing a cache, by the cache's name in the figure's clause ("KV cache", "MiniCache",
# "the cache"), saves memory, not model size.
_COMPRESS = re.compile(r"compress", re.I)
_CACHED = r"(?:\b|(?<=[a-z]))(?:KV|Cache|cache)s?\b|\bcached\b"
_CACHE = re.compile(_CACHED)
_SIZE_OR_MEMORY = (
    ("size", re.compile(MODEL_SIZE + "|compress", re.I)),
    ("memory", re.compile(r"(?i:memory)|" + _CACHED)),
)
_LOWER_ERROR = re.compile(
    r"^\s?(?:lower|smaller|less|reduction in|reduced)\s(?:[\w-]+\s)?"
    r"(?:mse|rmse|mae|mape|errors?)\b",
    re.I,
)
# "..., while ZeRO-Infinity only achieves 45 TFLOPS", "96% vs. 61%": the compared system's figure.
_THEIRS = re.compile(
    r"(?:\b(?:while|whereas)\s+(?:the\s)?(?!We\b|Our\b|It\b|This\b|These\b)"
    r"([A-Z][\w.+-]*(?:\s[A-Z][\w.+-]*)?)\s(?:[\w-]+\s){0,3}|\b(?:vs\.?|versus)\s|"
    r"\bcompared (?:to|with)\s(?:the\s|an?\s)?)\$?$"
)
# A clause about the systems the paper compares with, not about its own work: "...; by comparison,
# a diffusion-based alternative requires 1,024 tokens and attains 5.87 gFID". Not one that names
# the paper's own work anywhere ("By comparison, our tokenizer ...", _OWN_WORK), nor "In
# comparison" or "In contrast", which as often open the paper's own finding.
_COMPARISON_CLAUSE = re.compile(r"(?:^|[;:]\s|\.\s|,\s)by\scomparison,\s(?:[^;:.]|\.\d)*$", re.I)
_OWN_WORK = re.compile(
    r"\b(?:we|our|ours|us|proposed|this\s(?:work|paper|method|approach))\b", re.I
)
# "improves X by 7.4% over A and by 6.2% over B": a second "by" of the same verb and metric.
_PARALLEL_BY = re.compile(
    r"^[^;:.]{0,160}\s(?:and|or|but)\s(?:by|to)\s(?:up to\s|about\s|over\s|nearly\s|around\s|"
    r"as much as\s|more than\s)?$",
    re.I,
)
# "reduces latency by up to 1.67x (average: 1.41x)", "by 30% geomean (max 47%)": the average or
# the extreme in brackets restates the figure before it.
_PAREN_AVERAGE = re.compile(
    r"^\s?(?:(?:geomean|geo-mean|on average|average)\s)?\((?:on\s)?(?:average|avg\.?|mean|"
    r"median|geomean|max(?:imum)?\.?|min(?:imum)?\.?|peak|up to)\s?[:=]?\s?$",
    re.I,
)
# "increases token generation throughput by 4.7": a figure without a unit, kept only when the
# change phrase before it names the metric.
_BY_BARE = re.compile(
    r"\bby\s((?:up to\s|about\s|over\s|nearly\s|more than\s)?\d+(?:\.\d+)?)"
    # nor a list's marker ("enhance throughput by 1) exploiting …, 2) batching") or the first
    # part of "10+%"
    r"(?![\w%×)+]|\.\d|,\d|\s?(?:x|×|times|percent|fold)\b|\s?[-–~])",
    re.I,
)
# A figure right after "for" is what something is done for or over ("for 10% improvements",
# "for 90% of requests"), a condition or a share, not the paper's outcome.
# A share a part "accounts for" is a profile or a motivation ("the attention kernel accounts for
# 62% of latency", "which accounts for only 2% of the parameters"), not an outcome; only a gain
# the part accounts for is one ("our distillation accounts for 9.7 mAP improvement").
_FOR_FIGURE = re.compile(r"\bfor\s(?:a\s|an\s|only\s|about\s|over\s|up to\s|nearly\s)?$", re.I)
_ACCOUNTS_FOR = re.compile(r"\baccount(?:s|ed|ing)?\sfor\s\S*\s?$", re.I)
_ACCOUNTED_GAIN = re.compile(
    r"^\s?(?:[\w-]+\s)?(?:improvements?|gains?|speedups?|reductions?|savings?)\b", re.I
)
# "X, an open-sourced and 10x smaller model than Y": a figure describing a model named before it.
_APPOSITIVE_BEFORE = re.compile(r",\s(?:an?|the)\s(?:[\w-]+\s(?:and\s)?){0,3}$", re.I)
_MODEL_SIZED = re.compile(r"^\s?(?:smaller|larger|bigger)\s(?:[\w-]+\s)?models?\b", re.I)
_REPORTED_BY = re.compile(r"^[^.;]{0,40}?\b(?:as reported (?:by|in)|according to)\b", re.I)
# A figure a change starts from, when the figure it reaches is written apart ("from 9%-36% to
# within 5%"); a range written whole ("from 31% to 45%") is one figure and never split.
# A spread that its name introduces: "std < 0.3 pp", "a standard deviation of 0.4%", "(s.d. =
# 1.2)"; the figure it qualifies is the result ("variance reduction of 24%" is one).
_SPREAD_BEFORE = re.compile(
    r"\b(?:std|stdev|s\.d\.|sd|standard\sdeviations?|standard\serrors?|variances?)\s?"
    r"(?:of\s(?:only\s|about\s)?|is\s|was\s|=\s?|:\s?)?$",
    re.I,
)
_FROM_BEFORE = re.compile(r"\bfrom\s$", re.I)
# The starting point of a change named by its scores: "improved from Dice 0.684 and EF MAE 13.01
# under heuristic extraction to Dice 0.906 and EF MAE 9.65" (a "from" earlier in the clause, its
# "to" still ahead).
_FROM_EARLIER = re.compile(r"\bfrom\s(?:(?!\bto\b)(?:[^.;:()]|\.\d))*$", re.I)
_TO_AHEAD = re.compile(
    r"^(?:(?!\bfrom\b)(?:[^.;:]|\.\d)){0,100}?\sto\s(?:[\w-]+\s){0,3}\d", re.I
)
# The figure reached may be written after the system it is for ("from 0.67 for HTML to 0.75") or
# as a range of its own ("from 291 seconds to between 50 and 62 seconds").
_TO_AFTER = re.compile(
    r"^\s?(?:for\s(?:the\s)?[\w.-]+(?:\s[\w.-]+)?\s)?to\s(?:within\s|only\s|about\s|under\s|"
    r"below\s|less than\s|around\s|between\s|approximately\s|roughly\s|nearly\s|just\s)?\d"
)
# "the NanoGPT baseline validation accuracy of 39.4%": a figure the baseline reaches.
# "while the baseline has an AUC of 0.81": one the baseline has.
_BASELINE_OF = re.compile(
    r"\b(?:baseline|teacher|original model)(?:'s)?\s(?:(?:has|had|reach\w*|achiev\w*|gets|got|"
    r"obtain\w*|scores?)\s(?:an?\s|the\s)?)?(?:[\w-]+\s){0,2}(?:of|at|is)\s$",
    re.I,
)
# "an AUC of 0.81 for the baseline": a figure said to be the baseline's.
_FOR_BASELINE = re.compile(
    r"^\s?(?:for|by)\s(?:the\s|an?\s)?(?:[\w-]+\s)?(?:baselines?|teacher|original model)\b",
    re.I,
)
_VERSUS_BEFORE = re.compile(
    r"\b(?:compared (?:to|with)|relative to|against|over|than|versus|vs\.?)\s(?:an?\s|the\s)?"
    r"(?:[\w-]+\s){0,2}$",
    re.I,
)
# "outperforming multiprocessing (limited by ~8x memory overhead ...)": a figure in brackets that
# describe a system the paper beats is that system's.
_BEATEN_BRACKET = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|than|versus|vs\.?|compared (?:to|with))\s"
    r"(?:the\s)?[\w.-]+(?:\s[\w.-]+)?\s\((?:[a-z][\w-]*\s){1,3}(?:by|of|with|at)\s$"
)
# A gain that names no metric ("improvements of 19%", "by an average gain of 5.48%", "(23.8%
# improvement)") and the comparison or benchmark of its sentence (see _unnamed_gain).
_PERCENT_VALUE = re.compile(r"\d\s?(?:\\?%|percent\b)", re.I)
_GAIN_BEFORE = re.compile(
    r"\b(?:(?:improvements?|gains?)\s(?:of|by)|(?:improv|enhanc|boost)\w*\s(?:[\w'-]+\s){0,4}?by"
    r"(?:\san?\s(?:average\s)?(?:gain|improvement)\sof)?)\s"
    r"(?:up to\s|over\s|about\s|around\s|nearly\s|approximately\s|on average\s|"
    r"an average of\s)?$",
    re.I,
)
_GAIN_AFTER = re.compile(
    r"^\s?(?:(?:relative|absolute|average)\s)?(?:improvements?|gains?)\b", re.I
)
# A percentage and then "with fewer ..." describing the model that reaches it ("performed
# comparably (84.15%) with fewer parameters", "(65% with less than 20,000 parameters)").
_WITH_FEWER = re.compile(
    r"^\)?,?\s?with\s(?:far\s|much\s|significantly\s)?(?:fewer|less than|only|a fraction of)\s"
    r"(?:[\w,.-]+\s){0,2}$",
    re.I,
)
_PERFORMED_BRACKET = re.compile(r"\bperform\w*\b[^,;()]{0,40}\($", re.I)
_COMPARED = re.compile(
    r"\b(?:outperform\w*|surpass\w*|superior\w*|state-of-the-art|sota|baselines?|"
    r"compared (?:to|with)|prior best|competitors|benchmarks?|datasets?)\b",
    re.I,
)
# "improving over a vanilla ViT baseline (0.9274 OA, 0.9300 macro F1, ...)": the scores in
# brackets right after the baseline a paper improves over are the baseline's.
# A level in brackets after the system a paper compares with: "slightly below BERT (95.3%)", "than
# SVM (90.2%)", "outperforming the best run without search (pass@1 = 41.4%) and plain sampling
# (pass@200 = 60.6%)": the compared system's figure (kept only when the bracket closes on it).
# The words naming the system stop at a margin, a metric or the paper's own verb: "outperforms
# the strongest baseline by a large margin (12.3%)", "outperforms all baselines in accuracy
# (91.3%)", "is compared with BERT and reaches higher accuracy (93.4%)", "surpasses the state of
# the art on ELLAR (Top-1: 55.13%)" are the paper's own.
_SYSTEM_WORD = r"(?!(?:by|in|on|across|and|reach\w*|margin)\b)[\w.@-]+"
_COMPARED_BRACKET = re.compile(
    r"\b(?:than|below|above|outperform\w*|surpass\w*|beat\w*|versus|vs\.?|compared (?:to|with)|"
    # "no significant difference from the teacher ($0.748 \\pm 0.037$, ...)"
    r"differen\w*\sfrom|differ\w*\sfrom)\s"
    rf"(?:both\s)?(?:(?:{_SYSTEM_WORD}\s){{0,6}}{_SYSTEM_WORD}\s\([^()]*\)\s(?:and|or)\s)?"
    rf"(?:{_SYSTEM_WORD}\s){{0,6}}?{_SYSTEM_WORD}\s\((?:[\w@.-]+\s?[=:]\s?)?\$?$",
    re.I,
)
# The size of a part the experiment sets, in brackets: "allocating even a small portion (<10%) of
# the budget", "fine-tuning a small percentage (around 0.01%) of parameters".
# (not a size reached: "compresses the model to a small fraction (3%) of its original size")
_PART_BRACKET = re.compile(
    r"(?<!\bto\s)(?<!\bto\sa\s)(?<!\bto\san\s)(?<!\bto\sthe\s)(?<!\bto\sonly\sa\s)"
    r"\b(?:small|tiny|minor|modest)\s(?:portion|percentage|fraction|share|subset|part|"
    r"number|amount)\s\($",
    re.I,
)
_BASELINE_BRACKET = re.compile(
    r"\b(?:over|than|versus|vs\.?|compared (?:to|with))\s(?:an?\s|the\s)?(?:[\w.-]+\s){0,3}"
    r"baselines?\s\((?:[^()]*,\s)?$",
    re.I,
)
# "about 90% of its baseline accuracy (62.6%)": the baseline's figure, restated in brackets.
# A baseline the paper sets is its own figure: "establishes a strong baseline on LUMINA-26
# (Top-1: 75.95%)".
_BASELINE_SET = re.compile(
    r"\b(?:establish|set)\w*\s(?:an?\s|the\s)?(?:[\w-]+\s){0,2}baseline", re.I
)
# Also a later figure of the same bracket: "a supervised U-Net baseline (Dice 0.915, EF MAE 9.72)".
_BASELINE_NAMED_BRACKET = re.compile(
    r"\bbaseline(?:'s)?\s(?:[\w-]+\s){0,2}\((?:[^()]{0,40}?[\s,])?$", re.I
)
# The condition a result is measured under, not an outcome: "at sparsity 50%", "pruned to
# sparsity 50%", "when reaching 98% of the optimal value", "after removing 10% of the examples".
_CONDITION_BEFORE = re.compile(
    r"\b(?:(?:at|to|under|with)\s(?:an?\s)?(?:sparsity|pruning\sratio|compression\sratio)\s"
    r"(?:of\s)?|(?:when|after|until|upon|before)\s(?:reaching|removing|pruning|dropping|"
    r"masking)\s(?:only\s|about\s)?)\$?$",
    re.I,
)
# A compression the experiment is run at: "On Llama-3-8B at 30% compression" (not "to 30%
# compression": reached; nor "with 4x compression", often what the method reaches; nor "at
# 70-75% parameter sparsity", which labellers read as the sparsity a method reaches).
_SETTING_AT_BEFORE = re.compile(
    r"\b(?:at|under)\s(?:an?\s|the\s)?(?:(?:only|just|about|around|roughly)\s)?[$>~]*$",
    re.I,
)
_SETTING_AT_AFTER = re.compile(
    r"^\$?\s?(?:[\w-]+\s){0,2}?(?:compression|pruning|retention)"
    r"(?:\s(?:ratio|rate|level))?\b(?!\s(?:by|of)\b)",
    re.I,
)
# A sweep of the settings compared: "sparsity levels from 12.5% to 37.5%", "pruning budgets of
# 10%, 20% and 30%" ("compression ratios of 26% to 79%" is what a method achieves).
_SETTINGS_SWEPT = re.compile(
    r"\b(?:sparsity|compression|pruning|retention|quantization)\s(?:levels|budgets)\s"
    r"(?:of\s|from\s|between\s|ranging\sfrom\s|\()?[$~]*$",
    re.I,
)
# A statistic's level, not a result: "bootstrap 95% confidence intervals", "a 95% CI".
_CONFIDENCE_AFTER = re.compile(
    r"^\$?\s?(?:confidence\s(?:intervals?|levels?|bounds?|bands?)|(?-i:CIs?)\b)", re.I
)
# A share of the hardware's peak is a utilisation: "over 90% of peak memory bandwidth", "85% of
# the theoretical peak FLOPS" (not "preserves 80% of the peak finetuning throughput": a share
# of the system's own best, kept under load).
_SHARE_OF_PEAK = re.compile(
    r"^\s?of\s(?:the\s|its\s)?(?:(?:theoretical|hardware|achievable|attainable)\s)?peak\s"
    r"(?:(?:memory|DRAM|HBM|compute|hardware)\s)?(?:bandwidth|FLOPS|TFLOPS|compute|performance)\b",
    re.I,
)
# The bounds of a confidence interval: "77% accuracy (95% CI: 68-85%)".
_CI_BEFORE = re.compile(r"\b(?:CIs?|confidence\sintervals?)\s?[:=,]?\s?[\[(]?\s?$")
# A rival's own figures in brackets, all of them: "remaining competitive with GPT-OSS-120B
# (0.508 accuracy, 0.674 F1)" (_COMPARED_BRACKET takes a bracket's single figure after "than",
# "compared to" ...).
_RIVAL_BRACKET = re.compile(
    r"\b(?:competitive\swith|comparable\sto|against)\s"
    r"(?:the\s)?[\w.+-]+(?:\s[\w.+-]+){0,2}\s\((?:[^()+]{0,40}?[\s,])?$",
    re.I,
)
_AGAINST_BEFORE = re.compile(
    r"\b(?:against|versus|vs\.?|compared\s(?:with|to))\s(?:[^.;]|\.\d){0,40}$", re.I
)
# The baselines' figures, named after them: "against 81.6% and 4.34x for the strongest baselines".
_FOR_BASELINES_AFTER = re.compile(
    r"^(?:\s?(?:,|,?\sand)\s(?:[$~]?\d[\d.,]*(?:/\d+)?\s?(?:\\?%|x|×|times)?\$?))*"
    r"\s(?:for|of|by)\s(?:the\s)?(?:[\w-]+\s){0,2}?(?:baselines?|competitors|prior\smethods|"
    r"existing\s(?:methods|systems))\b",
    re.I,
)
# A figure that names the regime a result is measured in: "even in the extreme 1.4% retention
# regime", "under the 10% budget setting", "in a 4-bit setting"; the settings compared, named
# after their figures: "across 30s, 60s, and 240s settings".
_REGIME_BEFORE = re.compile(
    r"\b(?:in|under|at|for)\s(?:the|an?)\s(?:[\w-]+\s)?$|"
    r"\b(?:across|in|under|for)\s(?:(?:all|both|the|different|various)\s)?$",
    re.I,
)
_REGIME_AFTER = re.compile(
    r"^\$?\s?(?:[\w-]+\s){0,2}(?:regimes?|settings?|scenarios?|setups?|configurations?)\b", re.I
)
# A power or memory figure right before the hardware it describes: "on a 15W accelerator".
_HARDWARE_FIGURE = re.compile(r"\d\s?(?:m?W|[GMT]B)$")
_HARDWARE_AFTER = re.compile(
    r"^\s?(?:(?!of\b|in\b|on\b)[\w-]+\s)?(?:accelerators?|GPUs?|CPUs?|NPUs?|chips?|devices?|boards?|FPGAs?|"
    r"microcontrollers?|processors?)\b"
)
# "an 11.8-point improvement over SAM 2.1", "than Llama 3": a version in a model's name.
_NAME_BEFORE = re.compile(r"(?<![\w.-])([A-Z][A-Za-z]*[A-Z][A-Za-z]*|[A-Z][a-z]+)\s$")
_VERSION = re.compile(r"\d{1,2}(?:\.\d)?")
# "actuation frequencies (0.2-1.0 Hz)", "short (~2 seconds) gestures": a time or a frequency in
# brackets of its own, with no metric word in its clause, describes what the paper works on (but
# "the latency ... is significant (>30 seconds)" is a measured time).
_TIME_OR_RATE = re.compile(r"\d\s?(?:k?Hz|s|ms|sec|seconds?|minutes?|hours?)$")
_BRACKET_BEFORE = re.compile(r"[A-Za-z-]+\s\($")
_YEAR = re.compile(r"^(?:19|20)\d\ds?$")
_LEADING_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# "10s of seconds", "100s of GPUs": an order of magnitude, not a figure.
_DECADE = re.compile(r"^\d+s$")
# A memory figure is a result only when it is a change or an achieved size ("to 4 GB",
# "saves 10 GB"); "a GPU with 80GB" is a capacity.
_MEMORY_UNIT = re.compile(r"\d\s?[GMKT]i?B$", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?:to|by|from|only|just|under|below|within|saves?|saving|reduc\w*|lower\w*|cut\w*|"
    r"requires?|requiring|uses?|using|needs?|consum\w*|fits? in(?:to)?|of only|"
    r"(?:size|footprint|usage|consumption) of)\s(?:only\s)?$",
    re.I,
)
# A long duration is a result only as an achieved time or a change ("trains in 12 days",
# "from 3 days to 76 minutes", "saves 10 hours"); otherwise it describes the setting.
_LONG_TIME = re.compile(r"\d\s?(?:hours?|days?|weeks?)$", re.I)
_TIME_CHANGE_BEFORE = re.compile(
    r"\b(?:to|in|from|only|just|takes?|took|taking|requires?|requiring|needs?|reduc\w*|cut\w*|sav\w*|"
    r"shorten\w*|lower\w*)\s(?:only\s|just\s)?$",
    re.I,
)
_TIME_CHANGE_AFTER = re.compile(
    r"^\s?(?:faster|less|shorter|fewer|earlier|reduction|saving|saved|of (?:training|"
    r"compute|GPU))\b",
    re.I,
)
_CHANGE_AFTER = re.compile(r"^\s?(?:less|fewer|smaller|lower|reduction|saving|saved)\b", re.I)
# A signed gain written without a unit, before its change noun: "a +9.5 improvement in mAP30".
# A signed score in brackets: "long-horizon tasks (+8.25)" (schemas.result.bracket_gain).
_BRACKET_SIGNED = re.compile(r"(?<=\(\+)(\d+(?:\.\d+)?)(?=\s?\))")
# A pair in brackets, the method's score first: "preserves full-token quality ... on VILA
# 1.5-8B (54.5 vs. 54.6)" (the second is the compared system's).
_BRACKET_VERSUS = re.compile(
    r"(?<=\()(\d+\.\d+)(?=\s(?:vs\.?|versus)\s\d+\.\d+[);,])", re.I
)
# A signed decimal without a unit is a gain in what the words next to it name: "+0.15
# Kendall-tau", "improves average HM to 88.88 (+1.37 points)", "+0.198 over the baseline".
_SIGNED_BARE = re.compile(r"(?<![\w.+/])\+(\d+\.\d+)(?![\w%×.]|\s?(?:x|times|%|pp)\b)")
_SIGNED_GAIN = re.compile(
    r"(?<![\w.])(\+\d+(?:\.\d+)?)(?=\s(?:[\w-]+\s)?(?:improvements?|gains?|increases?)\b)", re.I
)
# A score written without a unit: "F1 accuracy of 0.89", "BLEU of 28.4", "perplexity to 5.6".
# A bound or a bracket says it too: "SSIM > 0.93, MSE < 0.004", "MAE: 4.1 years", "a mean
# performance score (0.631)".
_SCORE = re.compile(
    r"\b(?:accuracy|f1(?:[\s-]score)?|bleu|rouge(?:-\w+)?|perplexity|ppl|map|"
    + AREA_UNDER_CURVE
    + r"|score|ssim|psnr|"
    r"fid|r?mse|mae|mape|wer|(?:rank\s)?correlation(?:\scoefficients?)?|"
    # a rate of tasks done: "an average success rate of 61.0", "a completion rate of 0.79"
    r"(?:success|completion)\srate|"
    # "a Dice Similarity Coefficient of 0.39", "Intersection-over-Union of 0.27"
    r"dice(?:\ssimilarity)?\scoefficient|intersection[\s-]over[\s-]union|m?iou|"
    # an error or a fit, with its acronym in brackets: "mean absolute errors (MAE) of 3.60 mmHg",
    # "mean absolute deviations of 27 years", "RMSEs as low as 0.073~N", "$R^2$ score of $0.99$"
    r"(?:absolute|squared?|prediction)\s(?:errors?|deviations?)|(?:r?mse|mae|mape)s|"
    r"(?<=\$)r\^\{?2\}?\$(?:\sscore)?|r(?:\^\{?2\}?|2)(?:\sscore)?)"
    r"(?:\s\([A-Za-z0-9^$-]{2,8}\))?"
    # "FID values of 1.475 for unconditional and 1.380 for conditional generation", "F1 scores
    # of 0.91": the name's values are its figures
    r"(?:\s(?:values|scores))?"
    r"(?:\s(?:of|to|at|is|as low as)\s?|\s?[=:<>≤≥(]\s?|\s(?=~\s?\d))"
    r"(?:up to\s|about\s|around\s|approximately\s|nearly\s|~\s?|≈\s?|\$\\approx\s?)?\$?"
    r"(\d+(?:\.\d+)?)"
    r"(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)|"
    # a score's name right before its decimal: "reaches Dice 0.906 and EF MAE 9.65", "AUC 0.741"
    r"\b(?:dice|" + AREA_UNDER_CURVE + r"|r?mse|mae|ssim|wer|cer|f1|m?iou|cross[\s-]entropy|"
    # "LPIPS 0.250", "rFID 1.50", "Precision 0.694", "BLEU 23.15", "an AP of $64.33$"
    r"perplexity|ppl|lpips|[rg]?fid|precision|recall|bleu|chrf|comet|bertscore|kappa|"
    r"(?-i:m?AP))\s(?:of\s)?\$?"
    r"(\d*\.\d+)"
    r"(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)(?!\s(?:threshold|cut-?off)s?\b)|"
    # a score named with its variant right before it: "BLEU-1 21.9", "ROUGE-L F 17.2", "f1-score
    # up to 0.76"
    r"\b(?:bleu-\d|rouge-(?:\d|l|lsum)(?:\sf1?)?|f1-score)\s(?:up to\s)?(\d+(?:\.\d+)?)"
    r"(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)|"
    # a change of a score without a unit: "a perplexity increase of only 0.2", "0.7 better
    # perplexity", "1.3 higher BLEU"
    r"\b(?:perplexity|ppl|bleu|rouge(?:-\w+)?|fid|wer|f1|accuracy)\s(?:increases?|drops?|"
    r"degradation|loss|gains?|improvements?|reductions?)\s(?:of|by)\s(?:only\s|just\s|about\s|"
    r"less than\s|under\s)?(\d+(?:\.\d+)?)(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)|"
    r"(?<![\w.])(\d+(?:\.\d+)?)\s(?:better|lower|higher|less|more)\s(?:perplexity|ppl|bleu|"
    r"rouge(?:-\w+)?|fid|wer|f1)\b|"
    # the score written after its figure: "a near perfect 0.99 (0.9 average) rank correlation"
    # ("0.900 Accuracy and 0.966 ROC-AUC": a fraction right before the score it is)
    r"(?<![\w.])(0?\.\d+|1\.0)(?:\s\([^()]{1,30}\))?\s(?:(?:rank|pearson|spearman)\s)?"
    r"(?:correlation|(?:roc-?)?auc|au(?:c-?)?(?:roc|prc)|ssim|accuracy|m?iou|dice|"
    r"f1(?: score)?)\b|"
    # a fraction before the measure it is: "0.9572 overall accuracy, 0.9576 macro F1-score, and
    # 0.9510 Cohen's Kappa"
    r"(?<![\w.])(0?\.\d+)\s(?:overall|macro|micro|weighted|balanced|mean|average)\s"
    r"(?:accuracy|f1(?:[\s-]score)?|precision|recall|auc)\b|"
    r"(?<![\w.])(0?\.\d+)\s(?:cohen'?\s?s\s)?kappa\b|"
    # a margin in a named score: "by a median margin of 7.0 in accuracy"
    r"\bmargins?\sof\s(\d+(?:\.\d+)?)\s(?:points?\s)?in\s(?:\w+\s)?(?:accuracy|f1|bleu|"
    r"rouge(?:-\w+)?|map|m?iou|auc|score)\b(?![\w%×])|"
    # a score after an article, its name right after it: "an 80.2 Pass@1 on LiveCodeBench", "a
    # 45.3 mAP", "a 28.4 BLEU"
    r"\ban?\s(\d+(?:\.\d+)?)\s(?:pass@\d+|f1(?:[\s-]score)?|bleu(?:-\d)?|rouge-\w+|"
    r"m?ap(?:@[\d.:]+|_?\{?\d+\}?)?|m?iou|ndcg(?:@\d+)?|exact match|cider|meteor)(?![\w@])|"
    # a named score's values, decimals only ("VBench scores of 84.46", "sensitivity scores of
    # 0.8189"; not "importance scores of 12 heads", "attention scores to 8 bits")
    r"\bscores\sof\s(\d+\.\d+)(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)",
    re.I,
)
# A decimal score a method achieves, its name a few words after it: "achieves 57.84 overall
# score", "achieves 79.4 task-scope F1", "achieves 0.9667 strict accuracy".
_SCORE_ACHIEVED = re.compile(
    r"\b(?:achiev|reach|attain|obtain|yield|record|deliver)\w*\s(?:an?\s|only\s|up\sto\s)?"
    r"(\d+\.\d+)\s(?:(?!(?:on|in|at|for|with|of|and|or|vs|than|over)\b)[A-Za-z][\w-]*\s){0,2}"
    r"(?:scores?|f1(?:-score)?|accuracy|success(?:\srate)?|precision|recall|auc|map|"
    r"exact\smatch)\b",
    re.I,
)
# A decimal score with the name of its measure right after it, a benchmark's name between at
# most: "achieves 3.94 gFID", "72.32 MUSIQ and 0.7669 CLIPIQA", "6.74 WikiText2 perplexity",
# "at a cost of only 2.0 AP", "5.084 bits-per-byte" (a decimal: "64 tokens" is no score), not
# another system's or a starting point (a score followed by "of" or "to").
_SCORE_AFTER = re.compile(
    r"(?<![\w.])(\d+\.\d+)\s(?:[A-Z][\w-]*\s)?"
    r"(?:[rg]?FID|LPIPS|MUSIQ|CLIPIQA|m?AP(?:@[\d.:]+)?|PSNR|SSIM|PPL|BPB|BPC|"
    r"[Pp]erplexity|bits[\s-]per[\s-](?:byte|character))(?![\w@-])"
    # not another system's score or a starting point: "halving the 43.47 FID of the vanilla
    # baseline", "lowers the 5.21 FID of DiT-XL/2", "improves the baseline's 3.94 gFID to 2.10"
    r"(?!\s(?:of|to)\s)"
)
# The tokens a speculative drafter gets accepted per step, written without a unit: "attaining
# up to 4.09 mean acceptance length", "average acceptance lengths of 6.29-6.52".
_ACCEPTANCE = re.compile(
    r"(?<![\w.])(\d+\.\d+)\s(?:mean\s|average\s)?accept(?:ance|ed)\slengths?\b|"
    r"\baccept(?:ance|ed)\slengths?\s(?:of|=|:|reaches|to)\s?"
    r"(\d+(?:\.\d+)?(?:\s?(?:-|–|to)\s?\d+(?:\.\d+)?)?)(?![\w%×]|\.\d)(?!\s?(?:x|times)\b)"
)
# A share of the hardware's capacity written without a unit: "a scaling efficiency of 0.94".
_SHARE_SCORE = re.compile(
    r"\b(?:scaling efficiency|utili[sz]ation|mfu)\s(?:of|at|=|:|is)\s?(\d+(?:\.\d+)?)"
    r"(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)",
    re.I,
)
# A speedup written without its "x": "an acceleration rate of 21", "a speedup of 3.2".
_SPEEDUP_SCORE = re.compile(
    r"\b(?:speed-?ups?|acceleration (?:rates?|ratios?))\s(?:of|=|:|is)\s?(\d+(?:\.\d+)?)"
    r"(?![\w%×:/]|\.\d)(?!\s?(?:x|times|percent)\b)",
    re.I,
)
# A change written as the score it ends at, without a unit: "improves AUC@30 from 0.181 to 0.200",
# "F1 rises from 0.67 for HTML to between 0.75 and 0.77", "token usage falls from about 241k to
# 47k": the end (a decimal or a count in thousands, not a setting such as "from 7 to 13
# layers"), whose metric the words before it name.
_SCORE_REACHED = re.compile(
    r"\bfrom\s(?:about\s|around\s|approximately\s)?\d+(?:\.\d+)?k?\s"
    r"(?:for\s(?:the\s)?[\w.-]+(?:\s[\w.-]+)?\s)?to\s"
    r"((?:between\s)?(?:\d*\.\d+|\d+k)(?:\sand\s(?:\d*\.\d+|\d+k))?)(?![\w%×]|\.\d)",
    re.I,
)
# A score without a unit, of a benchmark named by its capitals (BENCHMARK_NAMED); not a decimal
# after a name and a colon, which is as often a setting ("T: 0.6").
_BENCHMARK_BARE = re.compile(
    rf"(?<![\w.@])(\d+\.\d+)\son\s(?:the\s)?(?!{HARDWARE_NAME}){BENCH_NAME}(?![\w-])|"
    rf"(?<![\w-])(?!{HARDWARE_NAME}){BENCH_NAME}\s(?:improves|increases|rises|gains)\sby\s"
    r"((?:up to\s|about\s|over\s|nearly\s)?\d+(?:\.\d+)?)(?![\w%×]|\.\d)"
    r"(?!\s?(?:x|times|percent|fold)\b)",
    re.I,
)
# A fraction right after the quality word that names it: "a mean task quality of 0.815" (not
# "a throughput of 0.7 Mpixel/s").
# "accuracy values of 0.8200" too: the word "values" or "scores" between.
_NAMED_FRACTION = re.compile(
    r"(?:\s(?:values?|scores?))?\s(?:of|=|is)\s\$?(0?\.\d+|1\.0+)(?![\w%×]|\.\d|\s?[A-Za-z]+/)"
)
# A second score of the same kind after a bare score, each for its own setting (see _figures).
_BARE = re.compile(r"(?:up to\s|about\s|over\s|nearly\s|more than\s)?\d+(?:\.\d+)?")
_SCORE_FOLLOWS = re.compile(
    r"(?P<unit>[\s~][A-Za-z]{1,5}\b(?<!\sand)(?<!\sfor))?\s(?:for|under|on|in|at)\s"
    r"(?:[^,;.]|\.\d){1,80}?\s(?:and|while)\s(?P<num>\d+(?:\.\d+)?)(?![\w%×]|\.\d)"
    r"(?=(?P=unit)?\s(?:for|under|on|in|at)\s)"
)
# Further scores without a unit listed after one, each after its own name: "an F1 score of 0.91,
# a recall (day) of 0.88, and a specificity of 0.79", "IoU of 0.27 and boundary distance of 0.67".
# Only a score's name lists a score: not "a learning rate of 0.001", "a dropout of 0.1", "a
# p-value of 0.01", "a threshold of 0.5"; nor one a compared system has ("compared to an AUC of
# 0.81 for the baseline").
_SCORE_NAME = re.compile(
    r"\b(?:accura\w*|precision|recall|specificity|sensitivity|f1|f-(?:score|measure)|"
    r"(?:roc-?)?auc|au(?:c-?)?(?:roc|prc)|m?iou|dice|distance|scores?|bleu|rouge(?:-\w+)?|m?ap|"
    r"kappa|correlation|r2|mae|mse|rmse|mape|ssim|psnr|perplexity|ppl|errors?|error rate|"
    r"success rate|hit rate|win rate|exact match|ndcg|mrr|coefficient|loss)\b|"
    r"(?-i:\b[A-Z]{2,6}\d?\b)",  # a score's acronym: "RSA of 0.98"
    re.I,
)
_SCORE_NOT_OURS = re.compile(
    r"\b(?:baselines?|compared (?:to|with)|versus|vs\.?|than|while|whereas|learning rate|"
    r"p-?values?|thresholds?|temperatures?|dropout)\b",
    re.I,
)
_SCORE_LISTED = re.compile(
    r"(?:\s\([^()]{1,30}\))?(?:,\s(?:and\s)?|\sand\s)(?:an?\s|the\s)?"
    r"(?:[A-Za-z][\w-]*\s){0,3}[A-Za-z][\w-]*\s?(?:\([^()]{1,30}\)\s)?(?:of|=)\s?"
    r"(?P<num>\d*\.\d+)(?![\w%×]|\.\d)(?!\s?(?:x|times|percent)\b)"
)
# "GPU throughputs of 38.38%": a throughput stated as a percentage, not as a change, is a share
# of the peak, as a utilisation is.
_THROUGHPUT_LEVEL = re.compile(r"\bthroughputs?\s(?:of|at|=|:|is|reaching)\s$", re.I)
_PERCENTS = re.compile(r"^[\d.,\s%\\]+(?:and|or)?[\d.,\s%\\]*$")
# A correlation coefficient written as its symbol: "strong correlation (r = 0.96, p < 1e-14)",
# "achieves partial r=0.75".
_CORRELATION = re.compile(
    r"(?:(?:partial|pearson(?:'s)?|spearman(?:'s)?)\s)?"
    + CORRELATION_SYMBOL
    + r"\s?[=≈]\s?([−-]?0?\.\d+)(?![\d.%])"
)
# An achieved parameter count: "with only 14,862 parameters", "with only 0.8M trainable
# parameters", "using only 153k model parameters", "only 0.14M additional parameters", "only
# 3.4-3.7M trainable parameters".
_PARAMS = re.compile(
    r"\b((?:only|just)\s\d+(?:,\d{3})*(?:\.\d+)?(?:\s?[-–]{1,2}\s?\d+(?:\.\d+)?)?\s?[KM]?\s"
    r"(?:(?:trainable|learnable|tunable|additional|extra|model|network)\s)?"
    r"(?:parameters|params))\b"
    # not a count per part of the model: "only 2 extra parameters per layer" (a count per task
    # is the method's cost: "only 2.27M parameters per task")
    r"(?!\s(?:per|for each|in each)\s(?:[\w-]+\s)?"
    r"(?:layers?|heads?|experts?|blocks?|channels?|neurons?|modules?|tokens?)\b)",
    re.I,
)
# A budget in GPU hours, in thousands and on named hardware: "in just 314K H800 GPU hours",
# "requiring only 1.5k GPU hours of training".
_GPU_HOURS = re.compile(
    r"\b(?:in|requir\w*|us(?:es|ed|ing)|takes?|took|needs?|costs?)\s(?:only\s|just\s|about\s)?"
    r"(\d+(?:,\d{3})*(?:\.\d+)?\s?[kKM]?\s(?:[A-Z]\d{2,4}\s)?GPU[\s-](?:hours|days))\b"
)
# "a tenfold reduction", "by twofold"; not "the challenge is twofold" (of two parts).
_FOLD = r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand)fold"
_CHANGE_WORD = (
    r"(?:reductions?|increases?|improvements?|speed-?ups?|gains?|savings?|decreases?|boosts?)"
)
# Figures written in words: "by half", "twice as fast", "two orders of magnitude", "one-third"
# (not the half of a compound noun: "16 half-moves", "half-precision").
_WORDS = re.compile(
    r"\b(half(?![\s-]precision|-[a-z])|twice|(?:(?:one|two|three|an|\d+)\s)?orders?\sof\smagnitude|"
    r"(?:one|a|two|three)[\s-](?:thirds?|quarters?|fifths?|tenths?|twelfths?|twentieths?|"
    r"hundredths?)|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred)"
    r"(?:-fold|\stimes)|"
    # "nearly double that of the baseline" (not "double-precision", "a double buffer")
    r"(?:nearly|almost|roughly|about|more than|over)\s(?:double|triple)(?![\w-])|"
    rf"(?<=by\s){_FOLD}|{_FOLD}(?=\s(?:{_CHANGE_WORD}|{_COMPARATIVE}|faster|slower|cheaper)\b)|"
    # "by a factor of ~1.35", "a factor of about 3"
    r"an?\sfactor\sof\s" + FACTOR_QUALIFIER + r"?(?:\d+(?:\.\d+)?|two|three|four|five|ten)|"
    r"\d+/\d+(?=\sof\s))\b",
    re.I,
)
# A time under a bound: "sub-second inference latency", "sub-5us retrieval latencies" (its
# metric named by the words around it, as any figure's).
_SUB_TIME = re.compile(
    r"(?<![\w-])(sub-(?:second|millisecond|microsecond|\d+(?:\.\d+)?\s?(?:ms|s|us|μs|ns)))\b", re.I
)
# A time taken, in words: "it only takes five minutes to train", "within two hours".
_WORD_TIME = re.compile(
    r"\b(?:takes?|took|taking|requires?|required|needs?|within|in\sonly|in\sjust|in\sunder|"
    r"in\sless\sthan)\s(?:only\s|just\s|about\s|around\s|less\sthan\s|under\s)?"
    r"((?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|a\sfew)\s"
    r"(?:seconds|minutes|hours|days))\b",
    re.I,
)
# A count of the settings a method wins, after its words of winning: "achieves the best results
# on 39 of 40 metrics" (schemas.result.wins_count).
_WINS = re.compile(rf"{WON_BEFORE}({WINS_COUNT})", re.I)
# A placing in a shared task or on a leaderboard: "ranks first in Track 2", "won second place".
_PLACING = re.compile(
    r"(?:\b((?:rank(?:s|ed)?|placed|finished)\s(?:first|second|third|1st|2nd|3rd))|"
    r"\b(?:won|wins?|winning|achiev\w*|secur\w*|took|takes?|earn\w*)\s(?:the\s)?"
    r"((?:first|second|third|1st|2nd|3rd)\splace))\b"
    # ... in a contest the rest of its sentence names
    r"(?=[^.;]{0,80}?\b(?:tracks?|leaderboards?|challenges?|competitions?|shared tasks?|"
    r"contests?|tasks?|benchmarks?)\b)",
    re.I,
)
# A rate, in words or figures: "one million frames per second", "2 million records per minute".
_RATE = re.compile(
    r"\b((?:about\s|over\s|up to\s|nearly\s|more than\s)?"
    r"(?:\d+(?:,\d{3})*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?:\s(?:thousand|million|billion))?\s(?:[a-z-]+\s){0,2}per\s(?:second|minute|hour)\b)",
    re.I,
)
# A figure whose clause is about prior work ("existing methods incur 3x overhead").
_BACKGROUND_SUBJECT = re.compile(
    r"\b(?:prior|previous|existing|traditional|conventional|standard|naive)\s(?:[\w-]+\s){0,2}?"
    r"(?:work|works|methods?|approaches|systems?|solutions|studies|techniques|frameworks|"
    r"baselines?)\b|\b(?:is|are) known to\b|\bas reported by\b|"
    r"\b(?:teacher|baseline|original|uncompressed|full-precision|dense)\s(?:model|network)s?\s"
    r"(?:achieves?|reach(?:es)?|attains?|obtains?|scores?|gets?)\b",
    re.I,
)
_OWN_SUBJECT = re.compile(r"\b(?:we|our|ours|proposed)\b", re.I)
# "While purely data-driven methods achieve ... an F1 score of 56.36%, the hybrid approach ...":
# a figure in an opening concession whose subject is other methods is theirs.
_CONCEDED = re.compile(
    r"^(?:While|Whereas|Although)\s(?:[\w-]+\s){0,4}?(?:methods|approaches|models|baselines|"
    r"systems|techniques|solutions)\s[^,;:]*$"
)


def _names_own(text: str, own: str | None) -> bool:
    """Does the text speak of the paper's own work ("we", "our", its method's name, ...)?"""
    return bool(_OWN.search(text)) or _names_method(text, own)


def _names_method(text: str, own: str | None) -> bool:
    """Does the text name the paper's method?"""
    return bool(own) and re.search(rf"(?<![\w-]){re.escape(own or '')}(?![\w-])", text) is not None


# The state of the field before the paper, with no word of the paper's own: "Currently, 4-bit
# quantization has achieved some success, reducing memory by about 75% ..." (its verbs, such as
# "achieved", are no sign of the paper's own work here).
_STATE_OF_FIELD = re.compile(
    r"^(?:Currently|Nowadays|At present|Presently),\s"
    r"(?!.*\b(?:we|our|ours|proposed|presented|this (?:paper|work|study))\b)",
    re.I,
)


def _is_background(sentence: Sentence, first: bool, own: str | None = None) -> bool:
    text = sentence.text
    if first and not _names_own(text, own):
        return True
    if _STATE_OF_FIELD.match(text) and not _names_method(text, own):
        return True
    return bool(_BACKGROUND.search(text)) and not _names_own(text, own)


# A structured abstract's labels: "Background:" opens the paper's background, which runs until
# another label ("Methods:", "Result:", ...) opens the next part.
_BACKGROUND_LABEL = re.compile(
    r"^\s*(?:background|introduction|motivation|context|objectives?|purpose|aims?|problem)\s?:",
    re.I,
)
_PART_LABEL = re.compile(r"^\s*[A-Za-z][A-Za-z ]{0,30}?\s?:\s")


def _labelled_background(body: list[Sentence]) -> set[int]:
    """Positions of the sentences of a structured abstract's "Background:" part."""
    inside, found = False, set()
    for position, sentence in enumerate(body):
        if _BACKGROUND_LABEL.match(sentence.text):
            inside = True
        elif _PART_LABEL.match(sentence.text):
            inside = False
        if inside:
            found.add(position)
    return found


def _cue_spans(text: str) -> list[tuple[int, int, str]]:
    """Every metric word of ``text`` that the local model chooses among."""
    return cue_spans(text, _CUES)


def _clause_before(text: str, start: int) -> str:
    """The words of the figure's clause before it."""
    breaks = list(_CLAUSE.finditer(text, 0, start))
    return text[breaks[-1].end() if breaks else 0 : start]


def _clauses_between(text: str, a: int, b: int) -> float:
    """Clause breaks between two offsets; a plain comma counts for less than one."""
    if a >= b:
        return 0.0
    between = text[a:b]
    breaks = len(_CLAUSE.findall(between))
    return breaks + 0.4 * max(0, between.count(",") - breaks)


def _named_otherwise(after: str) -> bool:
    """Do the words right after the figure name something that is no metric ("40x larger
    hidden sizes", "10% scalability improvement", "10.2x tighter SLO")?"""
    match = _COMPARED_NOUN.match(after) or _CHANGED_NOUN.match(after) or _CHANGE_IN.match(after)
    if match is None:
        return False
    specified = _CHANGE_SPECIFIED.match(after)
    if specified and any(c[0] == 0 for c in _cue_spans(after[specified.end() :][:40])):
        return False  # "a 2% absolute improvement in mIoU": the words after "in" name it
    # "35% lower number of false negatives": a count or amount is named by what it counts
    counted = _QUANTITY_OF.match(after, match.end()) if _QUANTITY.search(match.group(0)) else None
    end = counted.end() + 1 if counted else match.end()
    if (
        match.re is _COMPARED_NOUN
        and not counted
        and _PHRASE_ON.fullmatch(match.group("words"))
    ):
        # "2.42x higher wall-clock generation throughput", "80% lower peak training memory
        # consumption": the noun phrase runs on to its head, two words at most (not past a verb:
        # "4x longer prompts using memory offloading")
        phrase = _PHRASE_ON.match(after, end)
        end = phrase.end() if phrase else end
    # "3x more tokens per second": a metric phrase may begin inside the words and run past them
    return not any(s < end for s, _, _ in _cue_spans(after[: end + 30]))


def _acronym_raised(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a gain in percent or points of a score that only its acronym names,
    written before the figure ("increases the DSC coefficient by 0.5%")?"""
    name = acronym_raised(quote, start)
    return (
        name is not None and bool(_SHARE.search(quote[start:end])) and not _cue_spans(name)
    )


def _unknown_metric(after: str) -> bool:
    """Is the figure a change of a metric the vocabulary does not know, named by its acronym
    and nothing else ("+187.5% improvement in E^3.", "a 2x boost in TEP over ...")?"""
    match = _CHANGE_IN_ACRONYM.match(after)
    if match is None or _cue_spans(match.group("name")):
        return False
    name = match.group("name")
    return sum(c.isupper() or c.isdigit() or c == "^" for c in name) >= 2


# The tokens a model generates or spends, as what a change reduces ("reducing tokens by 30%",
# "cuts the number of output tokens by 2x"): compute, as TOKEN_COMPUTE names it elsewhere.
_TOKENS_SPENT = re.compile(SPENT_TOKENS, re.I)


def _named_by_change(before: str, after: str) -> str | None:
    """The metric of "reduces <noun phrase> by N" / "N speedup in <metric>", or "" when that
    phrase names something that is no metric ("reduces communication volume by 4x"), or None
    when the figure is not written so."""
    specified = _CHANGE_SPECIFIED.match(after) or (
        _CHANGE_OF.search(before[-60:]) and _IN_AFTER.match(after)
    )
    if specified:
        cues = [c for c in _cue_spans(after[specified.end() : specified.end() + 40]) if c[0] == 0]
        if cues:
            return cues[0][2]  # "2.5x speedup in throughput", "1.9x speedup in tokens per second"
    noun = _CHANGE_NOUN_BEFORE.search(before) or _NOUN_CHANGED_BY.search(before)
    if noun:
        cues = _cue_spans(noun.group("what"))
        if cues:
            return cues[-1][2]  # "relative accuracy improvements in the range of 15%-50%"
    changed = _CHANGED_BY.search(before) or _CHANGED_FROM.search(before)
    if changed is None:
        return None
    phrase = changed.group("phrase")
    if _OVER_ONLY.fullmatch(phrase):
        # "improves over the vanilla Transformer by 2.3 accuracy points": the phrase is the
        # compared system, not what changed; the figure's own words name it
        return None
    if re.match(
        r"(?:(?:checkpoint|file|index|binary|weight|disk|download)\s)?(?:sizes?|storage)\b",
        phrase,
        re.I,
    ) and not _cue_spans(phrase):
        # "reduce the size of a BERT model by 40%", "the storage of networks by 35x" (of a KV
        # cache: memory)
        return "size"
    if re.match(r"(?:speed|accelerat)", changed.group(0), re.I) and not _cue_spans(phrase):
        return "speedup"  # "speed up fine-tuning by 1.4x"
    if re.match(r"(?:(?:total|overall|average|mean)\s)?times?\b", phrase, re.I):
        return "speedup"  # "reduces the time it takes to fine-tune a model by 3.1x"
    if _TOKENS_SPENT.fullmatch(phrase.strip()):
        return "compute"  # "reducing tokens by an average of 30%": the tokens a model spends
    head = re.split(
        r"\s(?:of|for|in|on|under|with|within|across|at|during|when)\s", phrase, maxsplit=1
    )[0]
    # the head's words are read in the whole phrase: "the frequency of expert switches" is no rate
    cues = _cue_spans(phrase)
    in_head = [c for c in cues if c[1] <= len(head)]
    if in_head:
        return in_head[-1][2]
    if not cues and _FAILURES.search(head):
        # "reduces false alarms by 22.78%", "reduces violation counts by 83.2%": fewer failed
        # outputs is a gain in task quality (kept only where the schema's check accepts it)
        return "quality"
    return cues[0][2] if cues else ""


def _unnamed_gain(text: str, start: int, end: int, value: str) -> bool:
    """Is the figure a percentage gain that names no metric, in a sentence that sets the paper
    against others or on benchmarks ("achieving relative improvements of 19%, 24%, and 21%",
    "(43% gain over the prior best)", "enhances reasoning by an average gain of 5.48%")? Such a
    gain is one in task quality."""
    if not _PERCENT_VALUE.search(value) or MULTIPLE_VALUE.search(value):
        return False
    before, after = text[max(0, start - 60) : start], text[end:]
    if not (_GAIN_BEFORE.search(before) or _GAIN_AFTER.match(after)):
        return False
    if in_reach(_cue_spans(text), start, end, REACH):
        return False  # a metric word near by names it, or the rules that read it declined
    return bool(_COMPARED.search(text))


def attribute(text: str, start: int, end: int, value: str) -> str | None:
    """The metric that the figure text[start:end] measures, or None when no word names one."""
    return _attribution(text, start, end, value)[0]


def _attribution(text: str, start: int, end: int, value: str) -> tuple[str | None, bool]:
    """The metric of a figure, and whether its unit or the words right after it name it."""
    if _ERROR_OF.search(text[max(0, start - 40) : start]):
        return "quality", True  # "a mean prediction error of 5.1 ms": an error, in any unit
    # a number LaTeX closed before its unit ("$3.3$ points") is read as "3.3 points"
    written = closed_number(value.strip())
    for name, pattern in _UNIT_METRIC:
        if pattern.search(written):
            return name, True
    if _SHARE.search(value) and _SHARE_OF_PEAK.match(text[end:]):
        return "other", True  # "over 90% of peak memory bandwidth": a utilisation
    if (
        _PERCENT_VALUE.search(value)
        and _SCORED_BEFORE.search(text[max(0, start - 40) : start])
        and _ON_NAMED.match(text[end:])
    ):
        return "quality", True  # "achieves 60.7% on MMLU": a score on a benchmark
    if _SHARE.search(value) and _RESOURCE_OF.match(text[end:]):
        return "other", True  # "fits in ~14% of a U50's LUTs": an area
    if _RESOURCES_AFTER.match(text[end:]):
        return "other", True  # "with less than 20% extra resources"
    if _MEMORY_UNIT.search(value):
        if _STORAGE_OF.match(text[end:]) or _SHRUNK_TO.search(text[max(0, start - 60) : start]):
            return "size", True  # "requires only 440 MB of storage", "quantizes to 398 MB"
        if _MEMORY_OF.match(text[end:]):
            return "memory", True  # "76 GB of GPU memory"
    if (
        _PERCENT_VALUE.search(value)
        and _RETAINED.search(text[max(0, start - 40) : start])
        and _PERFORMANCE_NEXT.match(text[end:])
    ):
        return "quality", True  # "while preserving 100.0% and 100.6% performance"
    if _SHARE.search(value) and _OWN_SIZE_OF.match(text[end:]):
        return "size", True  # "reduced to as little as 0.1% of their original size"
    share = _SHARE_OF_METRIC.match(text[end:])
    if share:
        rest = text[end:][: share.end() + 60]
        # "95% of the accuracy", "only 25% of the compute", "80% of the peak finetuning
        # throughput": the metric word within two words of "of the"
        cues = [
            c
            for c in _cue_spans(rest)
            if c[0] >= share.end() and _TWO_WORDS.fullmatch(rest[share.end() : c[0]])
        ]
        if cues:
            return cues[0][2], True
        ideal = _PERFORMANCE_OF.match(rest, share.end())
        if ideal and _IDEAL.search(rest, share.start(), ideal.end()):
            # "70% of the theoretical peak performance", "96.5% of optimal performance": the
            # share of what the hardware or an ideal allows is a utilisation
            return "other", True
        if (
            _RETAINED.search(text[max(0, start - 40) : start])
            or _PERFORMANCE_OF.match(rest, share.end())
            or (
                _WITHIN.match(value)
                and _PERFORMANCE_BEFORE.search(text[max(0, start - 40) : start])
            )
        ):
            # "retains 97% of the language understanding capabilities", "reaches 96.8% of its
            # teacher's performance", "maintaining performance within 6% of full-precision ..."
            return "quality", True
    if _PRUNED.search(text[max(0, start - 40) : start]) and _SHARE_OF.match(text[end:]):
        return "size", True  # "prunes 90% of the parameters": the share removed is the outcome
    if (
        _RETAINED.search(text[max(0, start - 40) : start])
        and _MORE_AFTER.match(text[end:])
        and all(name == "quality" for _, _, name in _cue_spans(text[end : end + 40]))
    ):
        return "quality", True  # "retains up to 20% more source-domain knowledge than LoRA"
    if _DATA_USED_BEFORE.search(text[max(0, start - 40) : start]) and _DATA_USED_AFTER.match(
        text[end:]
    ):
        return "other", True  # "while using only 2% of the training data": data efficiency
    pruned = _DATA_PRUNED.search(text, max(0, start - 40), min(len(text), end + 40))
    if pruned and pruned.start() < start and end <= pruned.end():
        return "compute", True  # "while pruning 20% of data": training data done without
    if re.search(r"\d\s?\\?%$", value) and _PREFERRED.match(text[end:]):
        return "quality", True  # "over 90% of users supported using it": a human preference
    if _SOLVED.search(text[max(0, start - 40) : start]) and _SHARE_OF.match(text[end:]):
        return "quality", True  # "completes only 14.41% of tasks": a success rate
    if _SUPPORTED.search(text[max(0, start - 30) : start]) and _LARGER_BATCH.match(text[end:]):
        return "memory", True  # "can support up to 6x larger batch sizes": what fits in memory
    if _unknown_metric(text[end:]):
        return "other", True
    if _named_otherwise(text[end:]) or _SHARE_OF.match(text[end:]):
        return None, False
    changed = _named_by_change(text[:start], text[end:])
    if changed == "":
        # "improves state-of-the-art models by up to 22.6% in overall accuracy": what changed is
        # named after the figure
        named_in = _IN_AFTER.match(text[end:])
        rest = text[end:][named_in.end() : named_in.end() + 40] if named_in else ""
        cues = [c for c in _cue_spans(rest) if _TWO_WORDS.fullmatch(rest[: c[0]])]
        if cues:
            return cues[0][2], True
    if changed == "" and _unnamed_gain(text, start, end, value):
        return "quality", False
    if changed is not None:
        return (changed or None), bool(changed)
    best: tuple[float, str] | None = None
    word = ""  # the metric word that names the figure
    # A multiple ("2.3x") measures speed, throughput, memory, cost…; accuracy is not a multiple.
    multiple = bool(MULTIPLE_VALUE.search(value))
    percent = bool(_PERCENT_VALUE.search(value))
    for gap, s, e, name in in_reach(_cue_spans(text), start, end, REACH):
        if _HELD_BEFORE.search(text[max(0, s - 30) : s]) and not (
            e <= start and re.fullmatch(r"\s?\(\s?", text[e:start])
        ):
            # "with comparable model size", "at identical token cost": held fixed (but
            # "comparable accuracy (10.94%)" gives that accuracy)
            continue
        if multiple and name == "quality" and not (s >= end and _LOWER_ERROR.match(text[end:])):
            continue  # but "100x lower MSE than ...": an error can shrink by a multiple
        if s >= end and percent and _WITH_FEWER.match(text[end:s]):
            continue  # "performed comparably (84.15%) with fewer parameters": the model, not it
        # Crossing a clause break makes a word less likely to name this figure.
        between = (e, start) if e <= start else (end, s)
        distance = gap + 40 * _clauses_between(text, *between)
        distance += 0.5 if s >= end else 0.0  # "throughput by 2x" beats "2x, speedup" on a tie
        if s >= end and _NAMED_AFTER.match(text[end:s]):
            distance = 0.0  # "3.8% higher accuracy": the word right after names the figure
        if distance <= REACH and (best is None or distance < best[0]):
            best, word = (distance, name), text[s:e]
    if best is None:
        # "the best model achieves 0.72% and 5.38% in ...", "GSM8K: 96%": a score, when no
        # metric word is in reach ("GPU utilization reaches 85%" is a utilisation)
        if any(start - 2 <= m.end() <= end for m in _UNNAMED_SCORE.finditer(text, 0, end + 80)):
            return "quality", False
        if _unnamed_gain(text, start, end, value):
            return "quality", False
        if percent and _PERFORMED_BRACKET.search(text[max(0, start - 60) : start]):
            return "quality", False  # "the custom CNN performed comparably (84.15%)"
        return None, False
    if best[1] == "size" and _COMPRESS.match(word) and _CACHE.search(_clause_before(text, start)):
        return "memory", best[0] == 0.0  # "MiniCache achieves a compression ratio of 5x"
    if best[1] == "memory":
        words = in_reach(cue_spans(text, _SIZE_OR_MEMORY), start, end, REACH)
        near = {name for _, _, _, name in words}
        if near == {"size"}:  # "memory" came from a word such as "footprint" of a model size
            return "size", best[0] == 0.0
    return best[1], best[0] == 0.0


def _baseline(after: str, before: str) -> str | None:
    match = _BASELINE.search(after[:120])
    if not match:
        earlier = list(_BASELINE.finditer(before[-60:]))
        if not earlier:
            return None
        match = earlier[-1]
    name = match.group(1).strip(" .,;")
    if name.lower().startswith("the "):
        name = name[4:]
    if not any(c.isupper() or c.isdigit() or c == "." for c in name.split(" ")[0]):
        return None
    if not re.match(r"[^\W\d]", name):
        return None  # "than 20", "than 100ms": a figure, not a compared system
    return name[:120]


def _quote(sentence: str, start: int, end: int) -> tuple[int, str]:
    """(offset, quote): the sentence, or a clause of a long one, holding the figure; when the
    same figure text occurs earlier, the quote begins after it, so that the figure's first
    occurrence in its quote is this one."""
    quote = sentence.strip()
    if len(quote) > QUOTE_LIMIT:
        quote = quote_around(sentence, start, end, limit=QUOTE_LIMIT - 80, widen=True)
    offset = sentence.find(quote)
    earlier = sentence.rfind(sentence[start:end], offset, start)
    if earlier >= 0:
        cut = earlier + (end - start)
        rest = sentence[cut : offset + len(quote)]
        offset = cut + len(rest) - len(rest.lstrip(" ,;:)"))
        quote = rest.lstrip(" ,;:)").rstrip()
    return offset, quote


def _figures(text: str) -> list[tuple[int, int, str | None]]:
    """Figures of a sentence in order: (start, end, metric when the pattern itself names it)."""
    found: list[tuple[int, int, str | None]] = []
    for match in _FIGURE.finditer(text):
        raw = match.group(0)
        start = match.start() + len(raw) - len(raw.lstrip())
        items = list(_ITEM.finditer(text, start, match.end()))
        if match.group("bare"):
            # "by 2.3, 4.1 and 1.8 points, respectively": one figure each, all in the unit
            # written last
            bare = list(re.finditer(rf"{_ONE}|{_BARE_ITEM}", text[start : match.end()]))
            paired: list[str | None] = list(
                _respective_metrics(text, start, match.end(), len(bare)) or []
            )
            kinds = paired or [attribute(text, start, match.end(), raw.strip())] * len(bare)
            found.extend(
                (start + m.start(), start + m.end(), kind)
                for m, kind in zip(bare, kinds, strict=True)
            )
            continue
        # a range with a unit at both ends ("10x to 100x") is one figure, not a list of two
        count = len(items) if _LISTED.search(raw) else 1
        metrics = _respective_metrics(text, start, match.end(), count)
        if metrics:
            # "in latency and GPU utilization by 33.5% and 20.1%, respectively"
            found.extend(
                (m.start(), m.end(), metric) for m, metric in zip(items, metrics, strict=True)
            )
            continue
        if len(items) > 1 and len({_unit(m.group(0)) for m in items}) > 1 and _LISTED.search(raw):
            # "1.2 TOPS and 3.5x": figures of different units are no list
            found.extend((m.start(), m.end(), None) for m in items)
            continue
        found.append((start, match.end(), None))
    _pair_groups(text, found)
    taken = [(s, e) for s, e, _ in found]
    for match in _BY_BARE.finditer(text):
        s, e = match.span(1)
        named = _named_by_change(text[:s], text[e:])
        if named and not any(a < e and s < b for a, b in taken):
            found.append((s, e, named))
    extra = (
        (_SIGNED_GAIN, None),
        (_BRACKET_SIGNED, None),
        (_BRACKET_VERSUS, None),
        (_SCORE, "quality"),
        (_SCORE_ACHIEVED, "quality"),
        (_SCORE_AFTER, "quality"),
        (_CORRELATION, "quality"),
        (_BENCHMARK_BARE, "quality"),
        (_SHARE_SCORE, "other"),
        (_ACCEPTANCE, "other"),
        (_SPEEDUP_SCORE, "speedup"),
        (_SCORE_REACHED, None),
        (_PARAMS, "size"),
        (_GPU_HOURS, "cost"),
        (_RATE, "throughput"),
        (_WORD_TIME, "speedup"),
        (_SUB_TIME, None),
        (_WORDS, None),
        (_PLACING, "other"),
        (_WINS, "quality"),
        # last: a named score or a benchmark's score of the same figure names it better
        (_SIGNED_BARE, None),
    )
    for pattern, metric in extra:
        taken = [(s, e) for s, e, _ in found]
        for match in pattern.finditer(text):
            group = next(i for i, g in enumerate(match.groups(), start=1) if g is not None)
            s, e = match.span(group)
            if not any(a < e and s < b for a, b in taken):
                found.append((s, e, metric))
    taken = [(s, e) for s, e, _ in found]
    for match in _NAMED_FRACTION.finditer(text):
        # "a mean task quality of 0.815": a fraction the metric word right before names
        s, e = match.span(1)
        words = _cue_spans(text[max(0, match.start() - 40) : match.start()])
        if (
            words
            and words[-1][1] == min(40, match.start())
            and words[-1][2] == "quality"
            and not any(a < e and s < b for a, b in taken)
        ):
            found.append((s, e, "quality"))
    for s, e, metric in list(found):
        # "an R^2 score of 0.98 for runtime prediction and 0.78 for power prediction": a score
        # without a unit, continued for another setting, measures the same
        follow = _SCORE_FOLLOWS.match(text, e) if metric and _BARE.fullmatch(text[s:e]) else None
        at = follow.span("num") if follow else None
        if at and not any(a < at[1] and at[0] < b for a, b, _ in found):
            found.append((*at, metric))
    for s, e, metric in sorted(found):
        if metric != "quality" or not _BARE.fullmatch(text[s:e]):
            continue
        more = _SCORE_LISTED.match(text, e)
        while (
            more
            and not any(a < more.end() and more.start("num") < b for a, b, _ in found)
            and _SCORE_NAME.search(text, more.start(), more.start("num"))
            and not _SCORE_NOT_OURS.search(text, more.start(), more.start("num"))
            and not _FOR_BASELINE.match(text, more.end())
        ):
            found.append((*more.span("num"), metric))
            more = _SCORE_LISTED.match(text, more.end())
    return sorted(found)


def _pair_groups(text: str, found: list[tuple[int, int, str | None]]) -> None:
    """Give figures written as a list of their own ("1.39-1.79x and 3.22-3.43x of latency and
    throughput") the metrics listed right after the list, in order."""
    i = 0
    while i < len(found):
        j, itemised = i, False
        while j + 1 < len(found) and found[j + 1][2] is None:
            between = text[found[j][1] : found[j + 1][0]]
            if _bare_list(text, found[j][1], found[j + 1][0]):
                j += 1
            elif _ITEM_GAP.fullmatch(between):
                # "a 35% reduction, a 2x improvement, and a 10% gain in latency, throughput
                # and accuracy, respectively": each figure with its own change word
                j, itemised = j + 1, True
            else:
                break
        metrics = _paired_metrics(text, found[j][1], j - i + 1) if found[i][2] is None else None
        if itemised and "respectively" not in text[found[j][1] :][:200].lower():
            metrics = None
        if metrics:
            group = zip(found[i : j + 1], metrics, strict=True)
            found[i : j + 1] = [(s, e, m) for (s, e, _), m in group]
        i = j + 1


def _paired_metrics(text: str, end: int, count: int) -> list[str] | None:
    """The metrics listed right after ``count`` figures, one each and in order ("reductions of
    6.0x and 8.1x in power consumption and model size", "by 1.4x and 3.2x of latency and
    throughput"), "respectively" or not; None unless they are that many different ones."""
    paired = _PAIRED_AFTER.match(text[end:])
    if count < 2 or paired is None:
        return None
    window = text[end:][paired.end() : paired.end() + 120]
    cues = sorted(_cue_spans(window))[:count]
    gaps = [window[a[1] : b[0]] for a, b in zip(cues, cues[1:], strict=False)]
    metrics = [name for _, _, name in cues]
    if (
        len(cues) == count
        and cues[0][0] == 0
        and all(len(g) <= 40 and _LIST_JOIN.search(g) for g in gaps)
        and len(set(metrics)) == count
    ):
        return metrics
    return None


def _respective_metrics(text: str, start: int, end: int, count: int) -> list[str] | None:
    """The metrics of a list of figures followed by "respectively", when the words before it
    name as many different metrics in a list of their own ("latency and utilization"), or None."""
    if count < 2:
        return None
    paired = _paired_metrics(text, end, count)
    if paired:
        return paired
    # "reduces area and power consumption by 16% and 13%": the list of metrics the verb
    # changes pairs with the list of figures after its "by", "respectively" or not
    changed = None if _RESPECTIVELY.match(text[end:]) else _CHANGED_BY.search(text[:start])
    if changed is None and not _RESPECTIVELY.match(text[end:]):
        return None
    window = changed.group("phrase") if changed else text[max(0, start - 160) : start]
    cues = sorted(_cue_spans(window))
    if changed and len(cues) != count:
        return None
    for first in range(len(cues) - count, -1, -1):
        chosen = cues[first : first + count]
        gaps = [window[a[1] : b[0]] for a, b in zip(chosen, chosen[1:], strict=False)]
        if all(len(g) <= 40 and _LIST_JOIN.search(g) for g in gaps):
            metrics = [name for _, _, name in chosen]
            return metrics if len(set(metrics)) > 1 else None
    return None


def _background_figure(text: str, start: int, own: str | None = None) -> bool:
    """Is the figure in a clause whose subject is prior work ("existing methods incur 3x")?"""
    before = text[max(0, start - 120) : start]
    subjects = list(_BACKGROUND_SUBJECT.finditer(before))
    if not subjects:
        return False
    last = subjects[-1]
    lead = before[: last.start()]
    if _BASELINE_LEAD.search(lead) or _BASELINE_LIST_LEAD.search(lead):
        return False  # "outperforming existing systems by 2x": prior work is the baseline
    rest = before[last.end() :]
    return not (_OWN_SUBJECT.search(rest) or (own and own.lower() in rest.lower()))


def _unit(value: str) -> str:
    return re.sub(r"^.*\d", "", value).strip().lower()


def _human_reference(text: str, start: int, end: int) -> bool:
    """Is the figure what humans reach ("while humans can accomplish over 72.36% of the tasks",
    "human performance of 78.24%", "74.5% performance of an unassisted human"), a reference
    and not the paper's result? Beating humans ("outperforms human experts by 12%") is one."""
    human = _HUMAN_BEFORE.search(text[max(0, start - 60) : start])
    if human:
        lead = text[max(0, start - 60) : start][: human.start()]
        return not _BASELINE_LEAD.search(lead[-25:] + " ") and not _BEATS.search(lead[-25:])
    return bool(_HUMAN_AFTER.match(text[end:]))


def _skip(text: str, start: int, end: int, own: str | None) -> bool:
    """Figures that are no result: years, '10s of', capacities, names, settings, background."""
    value = closed_number(text[start:end])  # "$3$ days" is "3 days"
    if _YEAR.match(value) or (_DECADE.match(value) and text[end:].startswith(" of")):
        return True
    if _PLUS_MINUS_BEFORE.search(text[max(0, start - 12) : start]):
        return True  # "$45.2$ $\\pm$ $0.3$ BLEU": the spread of the figure before, no result
    if _human_reference(text, start, end):
        return True
    conceded = _CONCEDED.search(text[:start])
    if conceded and not (
        _OWN_SUBJECT.search(conceded.group(0)) or _names_method(conceded.group(0), own)
    ):
        return True
    if _CONDITION_BEFORE.search(text[max(0, start - 40) : start]):
        return True
    if _SHARE.search(value) or MULTIPLE_VALUE.search(value):
        if _SETTING_AT_BEFORE.search(text[max(0, start - 40) : start]) and _SETTING_AT_AFTER.match(
            text[end:]
        ):
            return True  # "at 30% compression": the setting a result is measured at
        if _SETTINGS_SWEPT.search(text[max(0, start - 60) : start]):
            return True  # "sparsity levels from 12.5% to 37.5%": the settings compared
    if _CONFIDENCE_AFTER.match(text[end:]):
        return True  # "95% confidence intervals": a statistic's level
    if _CI_BEFORE.search(text[max(0, start - 30) : start]):
        return True  # "(95% CI: 68-85%)": the interval's bounds
    if (
        _RIVAL_BRACKET.search(text[max(0, start - 100) : start])
        and re.match(r"[^()]{0,40}\)", text[end:])
        and not re.match(r"\s?(?:vs\.?|versus)\s", text[end:])
    ):
        return True  # "competitive with GPT-OSS-120B (0.508 accuracy, ...)": its figures
    if _AGAINST_BEFORE.search(text[max(0, start - 80) : start]) and _FOR_BASELINES_AFTER.match(
        text[end:]
    ):
        return True  # "against 81.6% and 4.34x for the strongest baselines"
    if _REGIME_BEFORE.search(text[max(0, start - 40) : start]) and _REGIME_AFTER.match(text[end:]):
        return True
    if _HARDWARE_FIGURE.search(value) and _HARDWARE_AFTER.match(text[end:]):
        return True
    if (
        _BRACKET_BEFORE.search(text[max(0, start - 40) : start])
        and text[end:].startswith(")")
        and _TIME_OR_RATE.search(value)
        and not _cue_spans(_clause_before(text, start))
    ):
        return True
    name = _NAME_BEFORE.search(text[max(0, start - 30) : start])
    if name and _VERSION.fullmatch(value) and not _cue_spans(name.group(1)):
        return True
    if (
        re.match(r"[^()]{0,40}\)", text[end:])
        and _BASELINE_NAMED_BRACKET.search(text[max(0, start - 60) : start])
        and not _BASELINE_SET.search(text[max(0, start - 80) : start])
    ):
        return True
    if _MEMORY_UNIT.search(value) and not (
        _CHANGE_BEFORE.search(text[max(0, start - 40) : start]) or _CHANGE_AFTER.search(text[end:])
    ):
        return True
    if _LONG_TIME.search(value) and not (
        _TIME_CHANGE_BEFORE.search(text[max(0, start - 40) : start])
        or _TIME_CHANGE_AFTER.search(text[end:])
    ):
        return True  # "traces collected over 213 days": a duration of the setting
    theirs = _THEIRS.search(text[max(0, start - 80) : start])
    if theirs and not (own and theirs.group(1) and own.lower() in theirs.group(1).lower()):
        return True
    compared = _COMPARISON_CLAUSE.search(text[max(0, start - 160) : start])
    if compared and not (
        _OWN_WORK.search(compared.group(0))
        or (own and own.lower() in compared.group(0).lower())
    ):
        return True  # "; by comparison, a diffusion-based alternative attains 5.87 gFID"
    if _APPOSITIVE_BEFORE.search(text[max(0, start - 60) : start]) and _MODEL_SIZED.match(
        text[end:]
    ):
        return True  # "CODEGEN, an open-sourced and 10x smaller model than CODEX": a model's size
    if _FOR_FIGURE.search(text[max(0, start - 30) : start]) and not (
        _ACCOUNTS_FOR.search(text[max(0, start - 30) : start]) and _ACCOUNTED_GAIN.match(text[end:])
    ):
        return True  # "for 10% performance improvements, models require ...": a condition
    if _FROM_BEFORE.search(text[max(0, start - 10) : start]) and _TO_AFTER.match(text[end:]):
        return True  # "reducing the drop from 9%-36% to within 5%": the starting point
    if (
        _FROM_EARLIER.search(text[max(0, start - 60) : start])
        and _TO_AHEAD.match(text[end:])
        and not re.search(r"\sto\s|->|→", value)  # "from 59.8% to 69.8%" is the change itself
    ):
        return True  # "from Dice 0.684 and EF MAE 13.01 ... to Dice 0.906": the starting point
    lead = text[max(0, start - 80) : start]
    if _BEATEN_BRACKET.search(lead) or _BASELINE_BRACKET.search(lead):
        return True
    if _PART_BRACKET.search(lead) and re.match(r"\)\sof\b", text[end:]):
        return True
    if (
        re.match(r"\$?(?:\)|,\s)", text[end:])
        and _COMPARED_BRACKET.search(text[max(0, start - 160) : start])
        and not MULTIPLE_VALUE.search(value)
        and text[start - 1 : start] != "+"
        and not value.startswith("+")
    ):
        return True
    baseline = _BASELINE_OF.search(lead)
    if baseline and not _VERSUS_BEFORE.search(lead[: baseline.start()]):
        # "to match the NanoGPT baseline validation accuracy of 39.4%": the baseline's; but
        # "reductions compared to a 16-bit baseline of 25%" is the change over it
        return True
    if _FOR_BASELINE.match(text[end:]):
        return True  # "compared to an AUC of 0.81 for the baseline": the baseline's
    if _SPREAD_BEFORE.search(text[max(0, start - 30) : start]):
        return True  # "std < 0.3 pp across 3 seeds": the spread of a result, not one
    if _REPORTED_BY.search(text[end:]):
        return True  # "... decreasing by 12-29%, as reported by Liu et al.": someone else's
    return bool(setting_problem(text, start, end)) or _background_figure(text, start, own)


@dataclass
class Candidate:
    """A figure of the abstract and what the rules made of it (``status`` "kept" when they
    report it; otherwise the step that dropped it). ``result`` is the result the rules give or,
    for a dropped figure with a quote, a draft of it with no metric."""

    sentence: int  # index in the abstract's body
    sentences: int  # how many sentences the body has
    text: str
    start: int
    end: int
    status: str
    metric: str | None = None
    direct: bool = False
    result: dict[str, Any] | None = None
    quote_at: int = 0  # offset of the result's quote in ``text``
    aim: str | None = None  # the one metric the title names, if any
    background_sentence: bool = False

    @property
    def value(self) -> str:
        return self.text[self.start : self.end]


def _draft(text: str, start: int, end: int, quote: str, metric: str | None) -> dict[str, Any]:
    """The result of the figure text[start:end] with its direction, baseline and quote."""
    before, after = text[:start], text[end:]
    # Only the words up to the next figure speak of this one, and "with negligible
    # accuracy loss" is no cost.
    nearby = re.split(r"\d", after, maxsplit=1)[0]
    # and the words before it, back to the figure before ("a perplexity increase of 0.3
    # and yields a 1.6x speedup": the increase is not the speedup's)
    behind = re.split(r"\d", before[-40:])[-1]
    worse = (_WORSE.search(nearby) or _WORSE.search(behind)) and not _NO_LOSS.search(nearby[:50])
    changed = _change_worse(before, metric)
    if changed is not None:
        worse = changed
    return {
        "metric": metric,
        "value": text[start:end][:80],
        "direction": "worse" if worse else "better",
        "baseline": _baseline(after, before),
        "headline": False,
        "quote": quote,
    }


def candidates(doc: Document, own: str | None = None) -> list[Candidate]:
    """Every figure of the abstract's sentences, in order, with the rules' decision on it.

    ``own`` is the paper's name for its method, so that its figures are not taken for a
    compared system's."""
    out: list[Candidate] = []
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    aim = title_metric(doc.title)
    body = doc.body
    labelled = _labelled_background(body)
    for position, sentence in enumerate(body):
        text = sentence.text
        background = _is_background(sentence, position == 0, own) or position in labelled
        # The last figure kept: end, unit, metric, named directly, index in ``kept``.
        previous: tuple[int, str, str, bool, int] | None = None
        budget = -1  # end of the last figure skipped as a budget or scale the experiment sets
        theirs: tuple[int, str] | None = None  # end and unit of the last figure skipped
        # (number, metric) of the figures kept from the sentence: "a +8.20pp gain over the
        # fast network ..., demonstrating +8.20pp gain" says one result twice
        said: set[tuple[str, str]] = set()
        for start, end, named in _figures(text):
            value = text[start:end]
            candidate = Candidate(
                position, len(body), text, start, end, "", aim=aim,
                background_sentence=background,
            )  # fmt: skip
            out.append(candidate)
            if budget >= 0 and _bare_list(text, budget, start):
                budget = end  # "at scales of 256 GOPS, 1 TOPS, and 4 TOPS": a list of settings
                candidate.status = "setting"
                continue
            budget = end if setting_problem(text, start, end) == BUDGET_PROBLEM else -1
            if (
                theirs is not None
                and theirs[1] == _unit(value)
                and _continues_list(text, theirs[0], start)
                and not _OWN.search(text[theirs[0] : start])
            ):
                # "versus 4.2 s for A, 2.5 s for B, and 6.7 s for C": a list begun by someone
                # else's figure holds theirs (not "While humans reach 70.5% of the tasks, our
                # agent solves 12.9%")
                theirs = (end, theirs[1])
                candidate.status = "skipped"
                continue
            if _skip(text, start, end, own):
                theirs = (end, _unit(value)) if _unit(value) else None
                candidate.status = "skipped"
                continue
            theirs = None
            offset, quote = _quote(text, start, end)
            if not (offset <= start and end <= offset + len(quote)):
                candidate.status = "no quote"
                continue
            candidate.quote_at = offset
            metric, direct = _attribution(quote, start - offset, end - offset, value)
            metric, direct = (named, True) if named else (metric, direct)
            listed = (
                previous is not None
                and previous[1] == _unit(value)
                and _continues_list(text, previous[0], start, previous[2], end)
            )
            # the figure's own "up to" counts: "by 4.6x on average (up to 25.5x)"
            lead = re.match(r"up to\s", value, re.I)
            if previous is not None and _PAREN_AVERAGE.match(
                text[previous[0] : start] + (lead.group(0) if lead else "")
            ):
                metric, direct = previous[2], True  # "by up to 1.67x (average: 1.41x)"
            elif (
                previous is not None
                and not direct
                and _PARALLEL_BY.match(text[previous[0] : start])
                and not _cue_spans(text[previous[0] : start])
            ):
                # "improves performance by 7.4% over A and by 6.2% over B": the same change
                metric = previous[2]
            elif (
                previous is not None
                and listed
                and not direct
                and not any(
                    name != previous[2] for _, _, name in _cue_spans(text[previous[0] : start])
                )
            ):
                # "99% on MNIST and 89% on Fashion-MNIST": same metric (not "operations by up to
                # 87.9% and storage by 89.4%": the words between name another)
                metric = previous[2]
            elif (
                previous is not None
                and listed
                and direct
                and not previous[3]
                and metric
                and _bare_list(text, previous[0], start)
                and not background
            ):
                # "339-1085x, 890-1632x energy efficiency": the word after the list names it all
                _rename(kept[previous[4]], metric)
            if (
                metric == "throughput"
                and _PERCENTS.match(value)
                and _THROUGHPUT_LEVEL.search(text[:start])
            ):
                metric = "other"  # "GPU throughputs of 38.38%, 36.14%, and 31.96%"
            s_at, e_at = start - offset, end - offset  # the figure's span in its quote
            if metric is None and benchmark_gain(quote, s_at, e_at):
                metric, direct = "quality", False  # "by at least 5.7% on the GLUE benchmark"
            elif metric is None and _acronym_raised(quote, start - offset, end - offset):
                metric, direct = "quality", False  # "an improvement in WGA by approximately 7%"
            elif (
                metric is None
                or (metric == "quality" and not cue_near(metric, quote, s_at, e_at))
            ) and bracket_gain(quote, s_at, e_at):
                metric, direct = "quality", False  # "in multimodal grounding (+13.5%)"
            elif (
                metric in (None, aim)
                and aim
                and unnamed_comparison(quote, start - offset, end - offset)
            ):
                metric, direct = aim, False  # "outperforms vLLM by 2x" in a throughput paper
            elif metric in (None, "quality") and wins_count(quote, s_at, e_at):
                metric, direct = "quality", False  # "the best results on 39 of 40 metrics"
            elif metric is None and unnamed_quality_gain(quote, s_at, e_at, (aim or "",)):
                # "SGSD outperforms GRPO by 6.2%" (no metric named, none in the title),
                # "improves Qwen3-32B from 65.0% to 87.2%": a gain in task quality
                metric, direct = "quality", False
            elif metric is None or not cue_near(metric, quote, start - offset, end - offset):
                candidate.status = "no metric"
                candidate.metric = metric
                candidate.result = _draft(text, start, end, quote, None)
                continue
            candidate.metric, candidate.direct = metric, direct
            candidate.result = _draft(text, start, end, quote, metric)
            if background:
                candidate.status = "background"
                continue
            previous = (end, _unit(value), metric, direct, len(kept))
            key = f"{value}|{quote}"
            leading = _LEADING_NUMBER.search(value)
            number = leading.group(0) if leading else value
            if key in seen or (number, metric) in said:
                previous = None
                candidate.status = "repeated"
                continue
            seen.add(key)
            said.add((number, metric))
            candidate.status = "kept"
            kept.append(candidate.result)
    _resolve_in_context(out, title_metrics(doc.title), seen)
    return out


def _resolve_in_context(found: list[Candidate], aims: list[str], seen: set[str]) -> None:
    """Give a figure that only a word of general meaning names (performance: "performance
    improvements of 1.75x", "improve 8.2% from their baseline performance", "outperforms a GPU
    by 4.8x"; expense: "25x less expensive") the one metric it may measure (a multiple is no
    quality) that the paper measures elsewhere (its kept results) or its title names as its one
    aim. With none, a multiple of performance against programs or machines is a speedup and an
    expense a cost; otherwise, with more than one, or with a title naming several metrics of
    which one may be the figure's, the figure stays dropped."""
    # what a kept result measures counts when its own quote names it, as the schema reads the
    # paper's metrics from the quotes of its results when a request leaves the abstract out
    measured = {
        c.metric
        for c in found
        if c.status == "kept"
        and c.metric
        and c.result
        and c.metric in METRIC_CUES
        and cue_spans(str(c.result["quote"]), {c.metric: METRIC_CUES[c.metric]})
    } | (set(aims) if len(aims) == 1 else set())
    # performance is quality only in a paper whose results are all gains in quality (not one that
    # bounds an accuracy loss, or measures a speed, a memory … as well)
    quality_only = {
        (c.metric, c.result["direction"]) for c in found if c.status == "kept" and c.result
    } == {("quality", "better")}
    for c in found:
        if c.status != "no metric" or c.metric is not None or c.result is None:
            continue
        quote = str(c.result["quote"])
        start, end = c.start - c.quote_at, c.end - c.quote_at
        kinds = context_kinds(quote, start, end)
        if len(aims) > 1 and set(kinds) & set(aims):
            continue  # "Fast and Memory-Efficient …", "The Energy Cost of …": left open
        known = [kind for kind in kinds if kind in measured]
        if known == ["quality"] and not quality_only:
            continue  # a systems paper's "performance" may be its speed as well as its accuracy
        if kinds and not known:
            if system_performance(quote, start, end):
                known = ["speedup"]  # "outperforms hand-optimized kernels by 1.8x"
            elif kinds == EXPENSE_KINDS:
                known = ["cost"]
        if (
            len(known) != 1
            and not measured & {"speedup", "throughput"}
            or _ON_BENCHMARKS.search(quote[:start])
        ) and _gain_over_models(quote, start, end):
            # "a performance boost of 21.5% over state-of-the-art methods"; "evaluations across
            # five benchmarks demonstrate that X outperforms the baselines by 10% in average
            # performance": a gain over models on benchmarks, in a paper measuring speed too
            known = ["quality"]
        if len(known) != 1:
            continue
        c.metric, c.direct = known[0], False
        c.result = _draft(c.text, c.start, c.end, quote, known[0])
        key = f"{c.value}|{quote}"
        if c.background_sentence:
            c.status = "background"
        elif key in seen:
            c.status = "repeated"
        else:
            seen.add(key)
            c.status = "kept"


# A gain of a model over other models, in percent or points, that only a word of general meaning
# names ("performance", "gain", "improvement"): "surpasses existing methods by 20%--50%", "a
# performance boost of 21.5% over state-of-the-art methods", "is 4.29% higher than the
# state-of-the-art". Against programs or machines a gain is a speed.
_MODELS_COMPARED = re.compile(
    r"\b(?:outperform\w*|surpass\w*|state-of-the-art|sota|baselines?|existing (?:methods|"
    r"approaches|models)|prior (?:methods|work)|competitors|compared (?:to|with))\b",
    re.I,
)
_PROGRAMS_COMPARED = re.compile(
    r"\b(?:kernels?|compilers?|librar(?:y|ies)|implementations?|(?:CPU|GPU|FPGA|NPU|TPU)s?|"
    r"accelerators?|processors?|systems?|servers?|engines?|hardware)\b",
    re.I,
)
_SHARE = re.compile(r"\d\s?(?:\\?%\$?|percent(?:age points?)?|points?|pp)$", re.I)
# The figure is the size of a gain: "by 16%", "a boost of 21.5%", "4.29% higher", "an improvement
# of 2% to 4%" (not "with only 10% more bits", "where only 10% of the data are labeled").
_GAIN_BY = re.compile(
    r"(?:\bby|\b(?:boost|gain|improvement|increase)s?\sof)\s(?:up to\s|over\s|about\s|around\s|"
    r"nearly\s|approximately\s|on average\s|an average of\s|more than\s|at least\s)?\$?$",
    re.I,
)
_GAIN_NAMED_AFTER = re.compile(
    r"^\s?(?:(?:absolute|relative|average)\s)?(?:higher|better|improvements?|gains?|boosts?)\b",
    re.I,
)
# The clause of a figure ends at a new clause or an "-ing" phrase after a comma ("..., using only
# 48% of the parameters").
_GAIN_CLAUSE_END = re.compile(r"[;:]|,\s(?:while|whereas|but)\s|\swhile\s|,\s(?=[a-z]+ing\b)")
_REDUCED = re.compile(r"\b(?:reduc\w*|decreas\w*|lower\w*|cut\w*|fewer|less|saves?|saving)\b", re.I)
_PERFORMANCE_WORD = re.compile(r"\bperformance\b", re.I)
_ON_BENCHMARKS = re.compile(
    r"\b(?:on|across|over)\s(?:the\s)?(?:\w+\s){0,2}(?:benchmarks|datasets|tasks)\b", re.I
)
_COMPARED_BY_VERB = re.compile(r"\b(?:outperform\w*|surpass\w*)\b", re.I)


def _gain_over_models(quote: str, start: int, end: int) -> bool:
    """Is quote[start:end] a gain in percent or points of a model over other models, named by
    a word of general meaning only, with no word of another metric in its clause?"""
    clause = _GAIN_CLAUSE_END.split(quote[end:])[0]
    head = _GAIN_CLAUSE_END.split(quote[:start])[-1]
    performance = _PERFORMANCE_WORD.search(head + clause)
    return (
        bool(_SHARE.search(quote[start:end]))
        and bool(_GAIN_BY.search(head) or _GAIN_NAMED_AFTER.match(clause))
        and bool(performance or _COMPARED_BY_VERB.search(head))
        and not _REDUCED.search(head[-40:] + clause[:20])
        and cue_near("quality", quote, start, end)
        and bool(performance or _MODELS_COMPARED.search(head + clause))
        and not _PROGRAMS_COMPARED.search(head + clause)
        and not any(name != "quality" for _, _, name in _cue_spans(head + clause))
    )


def finish(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most MAX_RESULTS results, their headlines marked."""
    found = found[:MAX_RESULTS]
    _mark_headlines(found)
    return found


def rule_results(doc: Document, own: str | None = None) -> list[dict[str, Any]]:
    """The results the rules alone report (pipeline/local_model/result_head.py adds the
    learned head's decisions on top)."""
    return finish([c.result for c in candidates(doc, own) if c.status == "kept" and c.result])


def _rename(result: dict[str, Any], metric: str) -> None:
    """Give an earlier item of a list the metric named after the list (if its quote allows)."""
    quote, value = result["quote"], result["value"]
    at = quote.find(value)
    if at >= 0 and cue_near(metric, quote, at, at + len(value)):
        result["metric"] = metric


# Words that open a new clause or phrase: a figure after one of them starts something new
# ("reduces memory by 70%, while maintaining 99% of the accuracy", "by 2.4x, enabling 4x ...").
# An '-ing' word opens one only as a verb leading its phrase (after a comma, a conjunction or at
# the start), not as a noun inside an item ("12.1% in supervised fine-tuning, 4.5% in RL").
_NEW_PHRASE = re.compile(
    r"\b(?:while|whereas|but|which|that|with|without|because|since|thus|hence|so|then|also|"
    r"achiev\w*|reach\w*|maintain\w*|retain\w*|keep\w*)\b|"
    r"(?:^|[,;(]|\b(?:and|or|thereby|by))\s*[a-z]+ing\b|(?<![A-Za-z\d.-])[0-9]",
    re.I,
)


# What may follow a figure that continues a list without naming its own measure: "..., and 18
# times when combined with distillation" (not "and 40x larger hidden sizes", "or 10.2x tighter
# SLO", "25X less expensive": words of its own).
_NOTHING_OWN_AFTER = re.compile(
    r"\s*(?:$|[,;.)]|(?:when|with|on|for|under|in|at|across|over|compared|than|vs\.?|versus|"
    r"respectively)\b)",
    re.I,
)


def _continues_list(
    text: str, previous_end: int, start: int, metric: str | None = None, end: int = -1
) -> bool:
    """Does the figure continue a list begun by the previous one, with no metric named between
    and no new phrase or other figure in between ("99% on MNIST and 89% on Fashion-MNIST")?

    With ``metric`` (the previous figure's) and ``end`` (the figure's), the words right after the
    previous figure may name that metric when the figure names nothing of its own: "up to 7
    times speedup on HunyuanVideo, and 18 times when combined with distillation", "1.25x to 4.3x
    throughput gain over the target model, and 1.6x to 4.5x when composed with EAGLE-3"."""
    between = text[previous_end:start]
    if (
        len(between) > REACH
        or not re.search(r"\b(?:and|or)\b|,", between)
        or _NEW_PHRASE.search(between)
    ):
        return False
    cues = _cue_spans(between)
    if not cues:
        return True
    if not metric or end < 0 or cues[0][0] > 2 or not _NOTHING_OWN_AFTER.match(text, end):
        return False
    # the figure's clause after it names no other metric ("and 1.7x with respect to energy")
    rest = re.match(r"(?:[^,;.]|\.\d){0,60}", text[end:])
    return all(name == metric for _, _, name in [*cues, *_cue_spans(rest.group(0) if rest else "")])


def _bare_list(text: str, previous_end: int, start: int) -> bool:
    """Is only a comma or 'and'/'or' between two figures ("339-1085x, 890-1632x energy")?"""
    return re.fullmatch(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?", text[previous_end:start]) is not None


def _mark_headlines(found: list[dict[str, Any]]) -> None:
    """The first result of each of the first metrics the paper reports, better ones first."""
    metrics: list[str] = []
    for result in found:
        if result["direction"] == "better" and result["metric"] not in metrics:
            metrics.append(result["metric"])
            result["headline"] = True
            if len(metrics) == MAX_HEADLINES:
                return
