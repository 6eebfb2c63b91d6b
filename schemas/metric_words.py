"""The metric vocabulary: the words and phrases that name each metric of the closed vocabulary.

Shared by the schema's check that a result's metric is named next to its value
(schemas/result.py) and by the local model's choice of metric (pipeline/local_model/results.py),
so that the two never disagree about what a word names.
"""

from __future__ import annotations

import re

# A time named by any noun ("simulation time", "saving and loading times"), not a multiple
# ("three times"), a moment ("at the same time", "over time", "test time") nor the time a user
# spends ("App Stay Time", "watch time"), which a method lengthens.
TIME_NOUN = (
    r"\b(?!(?:the|a|an|same|first|last|next|real|test|long|short|that|this|each|every|any|some|"
    r"over|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred|"
    r"many|several|multiple|few|much|at|"
    r"in|of|on|and|or|by|to|linear|constant|quadratic|polynomial|logarithmic|stay|watch|screen|"
    r"dwell|play|viewing|reading|usage|per|with|across|within|from|no|its|their|our|what|"
    r"which)\s)[a-z][\w-]*\s"
    r"times?\b|\bstalls?\b"
)
# In computer systems, the performance of an application or a kernel is its speed ("improves
# end-to-end application performance by 7.4%"); a model's or a task's is its quality, and a
# "system" or "end-to-end" performance may be either.
SYSTEM_PERFORMANCE = (
    r"\b(?:application|execution|runtime|kernel|I/O|single-thread(?:ed)?|"
    r"multi-thread(?:ed)?)\sperformance\b"
)
# What a vision or video model splits its input into ("visual tokens", "patch tokens").
VISUAL = r"(?:visual|vision|image|video|patch)"
# The tokens a model generates or spends, as a noun phrase ("the number of output tokens").
SPENT_TOKENS = (
    r"(?:the\s)?(?:(?:total|average)\s)?(?:(?:number|count)\sof\s)?"
    r"(?:(?:output|reasoning|thinking|generated|response|decoding|processed|consumed|input|prompt|"
    r"prefill|context)\s)?tokens"
)
# A qualifier of "a factor of": "by a factor of ~1.35", "a factor of about 3".
FACTOR_QUALIFIER = (
    r"(?:(?:about|around|approximately|nearly|roughly|almost|over|up\s+to)\s+|~\s?)"
)
# The tokens a model reads or generates, used or spent, are compute ("reduces token use by 40%",
# "3x fewer tokens", "-39% token reduction", "64.1% fewer prefill tokens", "a 3000x reduction in
# prompt length", "reduces generated tokens by 2-3x"), as the length a model generates or a token
# budget is ("reduces the average response length by 53%", "saves 46% token budget"): the
# development sets labelled since extern18 call them compute.
TOKENS_USED = (
    r"\btokens?[\s-](?:use|usage|consumption|reductions?|savings?)\b|"
    r"\b(?:fewer|less)\s(?!(?:pre-?)?training\s|" + VISUAL + r"\s)"
    r"(?:[\w-]+\s)?tokens\b|"
    r"\bprompt\slengths?\b|\b(?:(?:input|output|prompt)\s)?token\scounts?\b|"
    r"\b(?:generated|input|prompt)\stokens\b|"
    # what a change spends fewer of: "reducing tokens by an average of 30%", "cuts the number of
    # output tokens by 2x" (not visual tokens: VISUAL_TOKENS)
    r"\b(?:reduc|cut|sav)\w*\s" + SPENT_TOKENS + r"\b"
)
# Calls or resources used or spent are a cost ("28.5%-83.2% resource savings"): the calls an agent
# or a pipeline pays for ("reduces tool calls by 72%", "3x fewer LLM calls"), and what tokens cost
# ("cuts API token costs by 40%", "reduces per-token cost by 3x").
CALLS_COST = (
    r"\btokens?[\s-]costs?\b|"
    r"\bresources?[\s-](?:use|usage|consumption|reductions?|savings?|costs?)\b|"
    r"\b(?:tool|api|llm|model|function)\scalls\b"
)
# A dollar sign before an amount ("$0.12 per query", "$1.2M"); a "$" that opens or closes LaTeX
# mathematics in arXiv text ("$65\%$", "$1.81\,\mathrm{m/s^2}$", "less than $0.1\%$") is none:
# its number runs into a backslash, a "$", "^", "_" or "{"; nor is one that closes a LaTeX
# symbol before the figure ("$\sim$3x", "$\leq$5 ms").
DOLLAR = (
    r"(?<!\\sim)(?<!\\approx)(?<!\\times)(?<!\\le)(?<!\\ge)(?<!\\leq)(?<!\\geq)"
    r"\$(?=\s?\d)(?!\s?\d[\d,.]*\s?[\\$^_{])"
    # nor "$0.95 n$": a figure times a variable is mathematics
    r"(?!\s?\d[\d,.]*\s?(?:[A-Za-z]|\\[A-Za-z]+)\s?\$)"
)
# Average precision, its IoU threshold written after "@" or as LaTeX's subscript: "mAP@0.5",
# "mAP_50", "AP_{50}", "AP50" (the plain "AP" only in capitals).
MEAN_AP = r"\bmap(?:(?:@|_\{?)?\d+(?:[.:]\d+)?\}?)?\b"
AVERAGE_PRECISION = r"(?-i:\bAP(?:_\{?)?(?:50|75)?\}?(?![\w{]))"
# The area under a ROC or precision-recall curve, by any of its names ("AUC", "ROC-AUC",
# "AUROCs", "AUPRC"): a quality score.
AREA_UNDER_CURVE = r"(?:roc-?)?aucs?|au(?:c-?)?(?:roc|prc)s?"
# A correlation coefficient written as its symbol, before its value ("r = 0.96", "r=-0.94"; not a
# rank "r = 8" nor "R = 4 rounds").
CORRELATION_SYMBOL = r"(?<![\w\\$])[rR](?=\s?[=≈]\s?[−-]?0?\.\d)"
# Named measures of a model's output that no other metric word covers: errors in the plural ("MAEs
# of 13.4 and 5.9"), rank and linear correlations by their acronyms ("1.11 percent SRCC"),
# distances between outputs and references ("90% lower Chamfer Distance", "2-10x larger
# Wasserstein distances"), perceptual and video distances (LPIPS, FVD), a similarity of outputs
# ("facial recognition similarity by +60%") and the rates at which outputs fail ("reduces the
# Atomicity Violation Rate (AVR) by 47-100%"), how often outputs are right ("23.64% mean
# correctness") and how often people prefer them ("a 41.3% net human-preference improvement").
NAMED_MEASURE = (
    r"\b(?:r?mse|mae|mape)s\b|\b(?:srocc|srcc|plcc|krcc)\b|\b(?:spearman|kendall)(?:'s)?\b|"
    r"\bcorrectness\b|\bhuman[\s-]preferences?\b|"
    r"\b(?:chamfer|hausdorff|wasserstein|earth mover'?s?|edit|levenshtein)\sdistances?\b|"
    r"\b(?:lpips|fvd)\b|\bsimilarit(?:y|ies)\b|\b(?:violation|failure)\srates?\b"
)
# A score known only by its acronym, raised or cut by the figure after it: "improves SWAS by
# 25.4%", "an improvement in WGA by approximately 7%", "increases the DSC coefficient by 0.5%",
# "reducing ADE by 14.29%" (the text before the figure; an acronym that is another metric's
# word, "TTFT", names that metric instead: schemas.result.acronym_raised).
ACRONYM_RAISED = (
    r"\b(?:improv\w*|increas\w*|rais\w*|boost\w*|gains?|reduc\w*|lower\w*|decreas\w*|cut\w*)"
    r"\s(?:(?:in|of)\s)?(?:the\s)?"
    r"(?P<name>(?-i:[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*))(?:\s(?:coefficient|score|metric|index))?"
    r"\sby\s(?:up to\s|about\s|approximately\s|around\s|nearly\s|over\s|more than\s)?$"
)
# How often a model gets it right: "character recognition rates of 96%", "coverage ratios of
# 95%" (not a cache's hit rate or a drafter's acceptance rate): quality.
RIGHT_RATE = (
    # with a word before it ("runtime pass rate" is no runtime)
    r"\b(?:[\w-]+\s)?(?:recognition|detection|identification|classification|coverage|pass)\s"
    r"(?:rates?|ratios?)\b"
)
# The cost of what a distributed or federated system sends: "53% less communication cost",
# "reduces communication costs by 2x" are memory (bandwidth saved), as the labelled sets call them.
COMMUNICATED = r"\bcommunication\scosts?\b"
# The tokens a vision or video model processes: pruning or merging them saves computation ("reduces
# 90% of visual tokens", "retains only 11.1% of the vision tokens").
VISUAL_TOKENS = r"\b" + VISUAL + r"\stokens\b"
TOKEN_COMPUTE = (
    TOKENS_USED + "|" + VISUAL_TOKENS + r"|\btoken budgets?\b|"
    r"\b(?:response|reasoning|output|generation|thinking|chain-of-thought|cot)\slengths?\b|"
    # "reduces the length of generated reasoning traces by over 50%" (a model's own output, not
    # "the length of supply chains" nor "of the compressed outputs")
    r"\blengths?\sof\s(?:the\s|its\s|their\s)?(?:(?:generated|reasoning|thinking|model)\s){1,2}"
    r"(?:traces?|responses?|outputs?|chains?|thoughts?|steps)\b|"
    r"\b(?:(?:fewer|more|forward|backward|extra|additional)\s(?:[\w-]+\s)?|"
    r"(?-i:[A-Z]{2,})\s|number\sof\s(?:[\w-]+\s)?)passes\b|"
    r"function evaluations|\bnfes?\b|multiplications|\b(?:tensor|matrix) products\b|"
    # the steps a sampler or solver runs: "10x fewer denoising steps", "sampling iterations"
    r"\b(?:denoising|sampling|diffusion|solver|ode|integration|decoding)\s(?:steps|iterations)\b"
)
# A capacity or frequency is a rate ("request capacity by 2.25x", "a 3.8 times higher control
# frequency"); the capacity of a memory or of a (neural) network is not, nor is how often an
# event happens ("the frequency of expert switches", "synchronization frequency").
# The size of a model, by any word for the model: "model size", "LLM size", "network size".
MODEL_SIZE = (
    r"\b(?:model|LLM|language model|network|DNN|CNN|checkpoint|weight)s?(?:'s?)?\ssizes?\b"
)
# A rate per second, written out or short: "tokens per second", "token per sec", "tokens/sec",
# "requests per sec".
PER_SECOND = r"tokens?\s?/\s?s(?:ec)?\b|tokens? per sec(?:ond)?\b|\bper sec\b"
RATE = (
    r"(?<!memory )(?<!storage )(?<!model )(?<!model's )(?<!network )(?<!learning )(?<!battery )"
    r"(?<!representational )\bcapacity\b(?!\sof\s(?:the\s|a\s)?(?:model|network|memory)\b)|"
    r"(?<!synchronization )(?<!synchronisation )(?<!communication )(?<!sync )"
    r"(?<!checkpoint )(?<!checkpointing )(?<!aggregation )(?<!access )(?<!eviction )"
    # a band of a signal is no rate: "robustness to low-frequency corruptions"
    r"(?<!low-)(?<!high-)(?<!mid-)(?<!low )(?<!high )\bfrequenc(?:y|ies)\b(?!\sof\b)"
)

# A percentage that a model or method achieves, with no noun after it, is a score ("the best
# model achieves 0.72% and 5.38% in the two settings", "reaches 85.1% on ImageNet"): the verb
# is the word that names it; "achieves 30% lower latency" or "45% of peak" are not scores.
_PERCENT = r"\d+(?:\.\d+)?\s?\\?%"
# A figure measured on hardware is a speed or a utilisation, not a score.
HARDWARE_NAME = (
    r"(?:(?:an?|the|one|two|four|eight)\s)?(?:NVIDIA\s|AMD\s|Intel\s)?"
    r"(?:[AHVLTP]\d{2,3}|RTX|TPU|GPU|CPU|NPU|MI\d|Gaudi|Jetson)\w*\b"
)
ACHIEVED_SCORE = (
    r"\b(?:achiev\w*|attain\w*|obtain\w*|reach(?:es|ed|ing)?|scor(?:es|ed|ing))\s(?:only\s|"
    r"up to\s|over\s|about\s|nearly\s|around\s|an average of\s)?"
    # each score may carry its setting in brackets: "88.9% (Speech) and 65.8% (Phoneme)"
    rf"(?={_PERCENT}(?:\s\([^()]{{1,30}}\))?"
    rf"(?:(?:,\s?|\s(?:and|or)\s|,\s(?:and|or)\s){_PERCENT}(?:\s\([^()]{{1,30}}\))?)*"
    r"(?:\s(?:on|in|for|across|with|at|under|when|while|over)\b(?!\s" + HARDWARE_NAME + r")|"
    r"\s?[,.;)]|$))"
)
# What a smaller or cheaper model keeps of the original ("recovers 90% of the performance").
KEPT_VERB = r"\b(?:recover\w*|retain\w*|preserv\w*|maintain\w*|keep\w*|kept)\b"
# "completes only 14.41% of tasks", "solves 43% of the problems": the share of tasks a model
# completes is its success rate.
SOLVED_VERB = (
    r"\b(?:complet|solv|resolv|pass|answer|succeed|fix|accomplish)\w*\s(?:only\s|up to\s|"
    r"over\s|about\s|nearly\s|more than\s|around\s)?"
)
# "12% gain on CALVIN", "26.7% improvement in real-world setting": a gain measured on a named
# benchmark or in a setting, with no metric named, is a gain in task quality; so is one in a task
# named by its noun ("10% absolute improvement in vulnerability detection"), not in its speed.
GAIN_ON = (
    r"\b(?:gains?|improvements?)\s(?:on|in)\s(?:the\s)?(?:(?:[\w-]+\s){0,2}(?:settings?|"
    r"environments?|scenarios?|benchmarks?|datasets?|tasks?|domains?)\b|"
    r"(?:[\w-]+\s){0,2}(?:detection|classification|recognition|segmentation|retrieval)\b"
    r"(?!\s(?:latency|time|speed|throughput|costs?|memory|energy|efficiency)\b)|"
    rf"(?!{HARDWARE_NAME})"
    r"(?-i:[A-Z][\w-]*[A-Z0-9][\w-]*)\b)"
)
# "achieves near-original performance while pruning 20% of data", "removing 10%-30% of the data
# preserves the classifier performance": the share of the training data a method does without
# is a saving of compute.
DATA_PRUNED = (
    r"\b(?:prun|remov|discard|drop)\w*\s(?:only\s|up to\s|about\s|over\s)?\S+\s?of\s"
    r"(?:the\s)?(?:training\s)?data(?:set)?\b"
)
# "over 90% of users supported using X", "67.6% of preferences favor our method": the share of
# people (or their votes) preferring the method in a human evaluation is a quality.
PREFERRED_BY = (
    r"\bof\s(?:the\s|all\s)?(?:[\w-]+\s)?(?:users|participants|preferences|"
    r"annotators|raters|evaluators|experts|respondents|votes|judges|clinicians|readers)\s"
    r"(?:[\w-]+\s){0,3}?(?:prefer\w*|favou?r\w*|support\w*|chose|choose|rated|judged)\b"
)
# "on GSM8K: 96% vs. 61%; JEEBench: 80%", "ACC: 84%": a percentage right after a benchmark's or
# a measure's name (capitals or digits in it) and a colon is its score.
BENCHMARK_SCORE = (
    r"(?<![\w-])(?-i:[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*):(?=\s?\d+(?:\.\d+)?\s?\\?%)"
)

# A score without a unit is named by the benchmark it is measured on, by its capitals: "0.77 on
# GenEval and 78.73 on DPG-Bench", "MMLU-Pro improves by 0.93" (not hardware: "1.5 on H100").
# A model is no benchmark: "3.25 on LLaMA-7B", "MMLU-Pro" but not "GPT-4", "Qwen2-7B".
BENCH_NAME = (
    r"(?!(?:gpt|llama|qwen|mistral|mixtral|gemma|phi|opt|bert|roberta|vit|resnet|t5|bloom|"
    r"falcon|deepseek|claude)(?![a-z]))"
    r"(?-i:[A-Z][A-Za-z0-9]*(?:[A-Z0-9]|-[A-Z])[\w-]*)(?<!\d[BM])"
)
BENCHMARK_NAMED = (
    rf"(?<=\d\s)on\s(?:the\s)?(?!{HARDWARE_NAME}){BENCH_NAME}(?![\w-])|"
    rf"(?<![\w-])(?!{HARDWARE_NAME}){BENCH_NAME}(?=\s(?:improves|increases|rises|gains)\sby\s\d)"
)

# Words that name each metric; a value's metric must be named next to it in the quote.
METRIC_CUES: dict[str, re.Pattern[str]] = {
    "speedup": re.compile(
        r"speed\s?-?ups?|speeds? up|\bspeed\b|faster|slower|quicker|accelerat\w*|latenc\w*|"
        r"\bas (?:fast|slow|quick)\b|"
        r"\btime\b|\bslow(?:s|ed|ing|down)?\b|"
        r"wall-?clock|runtime|run-time|ttft|time-to-first|delay|\bseconds?\b|\d\s?m?s\b|\bhours?\b|"
        # times below a millisecond: "620ns", "2.5us", "80 μs", "80$\mu$s"
        r"\d\s?[nuμµ]s\b|\\mu\$\s?s\b|"
        r"\bdays?\b|\bweeks?\b|"
        r"\bminutes?\b|"
        r"decoding (?:speed|steps)|(?:inference|training|decoding|generation) speed|\btpot\b|"
        r"\bitl\b|\btbt\b|inter-token|\bjct\b|makespan|" + TIME_NOUN + "|" + SYSTEM_PERFORMANCE,
        re.I,
    ),
    "throughput": re.compile(
        r"throughput|goodput|requests?|queries|qps|" + PER_SECOND + "|"
        r"samples?\s?/\s?s|images?\s?/\s?s|fps|frames per second|tflops|capacity|frequenc|"
        r"concurrent\s(?:users|requests|sessions|clients|streams)|"
        r"\b[GT]OPS\b(?!/)|"
        r"peta\s?flops?|tera\s?flops?|pflops|flop/s|\bper (?:second|minute|hour)\b|"
        r"serv(?:e|es|ing)\b.{0,30}\bmore",
        re.I,
    ),
    "memory": re.compile(
        # (a cache's hit rate is no memory: "KV-cache hit rates approaching 100%")
        r"memory|footprint|kv[\s-]?cache(?![\s-]hit)|cache size|activations?\b|vram|"
        r"\b[GMKT]i?B\b|bandwidth|"
        # a cache named as a method ("MiniCache", "SnapKV"): what it compresses is memory
        r"(?-i:(?<=[a-z])(?:KV|Caches?)\b)|"
        r"storage|data movement|data transfers?|(?-i:\bD?RAM\b)|" + COMMUNICATED + "|"
        # a larger batch that fits is a memory gain ("supports up to 6x larger batch sizes")
        r"\b(?:larger|bigger)\sbatch(?:es|\ssizes?)\b",
        re.I,
    ),
    "energy": re.compile(
        r"energy|power|watts?\b|(?<![A-Za-z])[mk]?W\b|joules?|(?<![A-Za-z])[mk]?J\b|/\s?kJ\b|carbon|"
        r"emissions?|electricity|\bco2\b|battery life|/W\b",
        re.I,
    ),
    "cost": re.compile(
        rf"costs?\b|{DOLLAR}|price|dollars?|cheaper|expens\w*|gpu[\s-](?:hours|days)|budget|"
        + CALLS_COST,
        re.I,
    ),
    "quality": re.compile(
        r"accura\w*|perplexity|\bppl\b|bleu|rouge|\bf1\b|scores?\b|\berrors?\b|\bloss\b|quality|"
        r"win[\s-]rate|" + MEAN_AP + r"|top-?[15]|exact match|pass@\d|degrad\w*|"
        r"\bdrops?\b|\bwer\b|\bcer\b|\bc-index\b|cross[\s-]entropy|"
        r"fidelity|" + AVERAGE_PRECISION + r"|performance (?:drop|loss|gap|degradation)|recall|"
        r"precision|auc|\b[rg]?fid\b|\blpips\b|\bmusiq\b|\bclipiqa\b|bits[\s-]per[\s-](?:byte|character)|"
        r"success(?:ful(?:ly)?)?\b|rmse|\bmae\b|\bmse\b|\bmape\b|correlation|ssim|psnr|"
        r"retain\w*|preserv\w*|recover\w*|robustness|points?\b|(?<=\d\s)pp\b|(?<=\d)pp\b|gains?\b|"
        r"improvements?\b|performance|"
        r"\bndcg\b|\bmrr\b|\bm?iou\b|\bcider\b|\bmeteor\b|hallucination|"
        r"false (?:negatives?|positives?)|\bdice\b|intersection[\s-]over[\s-]union|"
        # a fit ("R2 = 0.84", "$R^2$ of 0.93") and a spread of errors ("mean absolute deviations"),
        # the share of tasks completed ("a completion rate of 0.79")
        r"completion rates?|\b(?:" + AREA_UNDER_CURVE + r")\b|"
        + RIGHT_RATE
        + "|"
        r"(?-i:(?<!\w)R(?:\^\{?2\}?|2)(?!\w))|(?-i:" + CORRELATION_SYMBOL + r")|"
        r"absolute deviations?|kappa|" + NAMED_MEASURE + "|"
        + PREFERRED_BY
        + "|"
        + SOLVED_VERB
        + r"(?=\d+(?:\.\d+)?\s?\\?%\sof\s)|"
        + ACHIEVED_SCORE
        + "|"
        + GAIN_ON
        + "|"
        + BENCHMARK_SCORE
        + "|"
        + BENCHMARK_NAMED
        + "|"
        r"improvements? (?:on|in) \w+|improvements? over [\w.-]+ on (?:the\s)?(?:[\w-]+\s){0,2}"
        r"(?:benchmarks?|datasets?|tasks?)\b",
        re.I,
    ),
    "size": re.compile(
        r"\bsize\b|smaller|compress\w*|\bcondens(?:e|es|ed|ing)\b|parameters|parameter counts?|"
        r"params|bits?\b|\bbpw\b|"
        r"prun\w*|sparsity|sparse|weights|storage",
        re.I,
    ),
    "compute": re.compile(
        r"flops?\b|macs?\b|comput\w*|operations|\bops\b|gops|tops\b|floating[\s-]point|"
        r"training budget|" + DATA_PRUNED + "|" + TOKEN_COMPUTE,
        re.I,
    ),
}
