"""The kind of contribution: method, system, hardware, analysis, survey, position or resource.

Rules read the title first (authors name the kind there: "A Survey of", "Benchmarking",
"An FPGA Accelerator"), then the sentences stating the contribution. Where a word is ambiguous
("framework"), the level of the paper's primary leaf decides (a model-level framework is a method).
"""

from __future__ import annotations

import re

from pipeline.local_model.text import Document

_I = re.IGNORECASE


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![A-Za-z])", _I)


_SURVEY_TITLE = _words(
    r"survey\w*", r"review", r"overview", r"tutorial", r"primer", r"literature study",
    r"systemati[sz]ation", r"a comprehensive review", r"landscape of",
)  # fmt: skip
_SURVEY_BODY = _words(
    r"(?:this|our|the present) (?:survey|review|overview)", r"we survey", r"we review",
    r"(?:systematic|comprehensive|extensive) (?:literature )?(?:survey|review|overview)",
    r"literature review", r"survey paper", r"we (?:summari[sz]e|categori[sz]e) (?:existing|recent)",
)  # fmt: skip
_POSITION_TITLE = _words(
    r"position paper", r"vision and the road ahead", r"the road ahead", r"perspectives?",
    r"manifesto", r"call to action", r"challenges and opportunities", r"hype", r"misnomer",
    r"future trends", r"opportunities and challenges", r"the case for",
)  # fmt: skip
_POSITION_BODY = _words(
    r"(?:this|our) position paper", r"we argue", r"we advocate", r"we call (?:for|on)",
    r"we envision", r"this vision paper", r"we outline (?:a|our) vision",
)  # fmt: skip
_ANALYSIS_TITLE = _words(
    r"benchmark\w*", r"measurement", r"characteri[sz]\w*", r"empirical", r"study", r"studies",
    r"analysis", r"analy[sz]ing", r"understanding", r"evaluat\w*", r"what works",
    r"are we there yet", r"how (?:does|do|well|far|much|many|efficient|predictable)",
    r"scaling laws?", r"scales? predictably", r"performance model\w*", r"roofline", r"comparative",
    r"exploring", r"investigating", r"lessons", r"revisiting", r"debunking", r"limits?",
    r"trade-?offs", r"insights", r"profiling", r"unveiled", r"demystif\w*",
    r"examination", r"dissect\w*", r"dilemma", r"progress in",
)  # fmt: skip
_ANALYSIS_BODY = _words(
    r"we (?:conduct|perform|present|carry out|provide) (?:a|an|the first)?\s?(?:\w+\s){0,3}"
    r"(?:study|analysis|evaluation|measurement|characteri[sz]ation|benchmark\w*|investigation|"
    r"comparison|examination)",
    r"we (?:characteri[sz]e|benchmark|measure|quantify|calculate|estimate)",
    r"we systematically (?:study|evaluate|analy[sz]e)",
    r"our (?:study|analysis|findings|results) (?:reveal|show)s?",
    r"(?:this|our) (?:study|analysis)",
    r"scaling laws?", r"empirical study", r"we hypothesi[sz]e", r"(?:by )?quantifying the",
)  # fmt: skip
_HARDWARE_TITLE = _words(
    r"accelerators?", r"chips?", r"FPGAs?", r"ASICs?", r"processors?", r"circuits?",
    r"in-memory computing", r"processing-in-memory", r"PIM", r"compute-in-memory", r"NPUs?",
    r"systolic", r"multiply-(?:add|accumulate)",
    r"(?:tensor|matrix) (?:processing |computing )?engines?",
    r"hardware architecture", r"microarchitecture", r"silicon", r"neuromorphic hardware",
    r"memristor\w*", r"SoC", r"system on chip", r"dataflow architecture",
)  # fmt: skip
_HARDWARE_BODY = _words(
    r"we (?:propose|present|design|implement|introduce) (?:a|an)\s(?:\w+\s){0,4}"
    r"(?:accelerator|chip|processor|architecture on FPGA|FPGA|ASIC|circuit|hardware)",
    r"RTL", r"Verilog", r"tape-?out", r"\d+\s?nm (?:technology|process|CMOS)", r"mm2", r"mm\^2",
    r"TOPS/W", r"synthesi[sz]ed", r"post-layout",
)  # fmt: skip
_SYSTEM_TITLE = _words(
    r"systems?", r"engine", r"serving", r"runtime", r"library", r"compiler", r"platform",
    r"infrastructure", r"operating system", r"scheduler", r"scheduling",
    r"checkpointing", r"virtual machine", r"toolkit", r"stack", r"cluster",
)  # fmt: skip
_SYSTEM_BODY = _words(
    r"(?:serving|inference|training) (?:system|engine|framework|runtime)",
    r"we (?:build|implement|design and implement|develop and open-source|prototype)",
    r"end-to-end system", r"(?:built|implemented) (?:on top of|in|atop)",
    r"integrated (?:into|with) (?:vLLM|PyTorch|DeepSpeed|Megatron|SGLang|TensorRT)",
    r"a (?:\w+\s){0,2}system (?:that|for|which)", r"open-source (?:system|library|framework)",
    r"(?:a|an) (?:[\w-]+\s){0,3}(?:system|engine|runtime|library|platform)\b",
    r"production (?:clusters?|deployment|systems?)",
)  # fmt: skip
_RESOURCE_TITLE = _words(
    r"dataset(?! distillation| condensation| pruning)", r"corpus", r"workload (?:dataset|traces?)",
    r"traces",
    r"toolkit", r"toolbox", r"model zoo", r"leaderboard",
)  # fmt: skip
_RESOURCE_BODY = _words(
    r"we (?:release|open-source|publish|present|introduce) (?:a|an|the)?\s?(?:\w+\s){0,3}"
    r"(?:dataset|corpus|traces|toolkit|library)",
)  # fmt: skip


_METHOD_BODY = _words(
    r"we (?:propose|introduce|present|develop|design|devise) (?:a|an|two|three|the)?\s?"
    r"(?:\w+\s){0,3}(?:method|approach|algorithm|technique|scheme|strategy|strategies|"
    r"methods|approaches|algorithms|techniques|model|models|architecture|recipe|paradigm|"
    r"mechanism|policy|loss)",
    r"(?:novel|new) (?:method|approach|algorithm|technique|scheme|paradigm|architecture)",
)  # fmt: skip

# Leaves whose contributions are mostly software systems.
_SYSTEM_LEAVES = {"system.serving", "system.memory", "system.distributed", "system.compiler"}
# Prior for "method" by the primary leaf's level: most model-level papers propose methods.
_METHOD_PRIOR = {"model": 2.0, "system": 1.0, "hardware": 0.5}
# Serving, memory, distributed and compiler papers are mostly systems even when the abstract
# never says "system": the leaf alone is nearly enough evidence.
SYSTEM_LEAF_BONUS = 2.0
# Evidence a kind other than method needs.
MIN_EVIDENCE = 2.0


def _score(
    doc: Document, title: re.Pattern[str] | None, body: re.Pattern[str], title_weight: float = 3.0
) -> float:
    score = title_weight if title is not None and title.search(doc.title) else 0.0
    for sentence in doc.body_matching(body):
        score += 1.5 if sentence.contribution else 0.75
    return score


def kind_of(doc: Document, primary_level: str | None, primary_leaf: str | None) -> str:
    """The kind of the paper's contribution (one of schemas.stages.KINDS)."""
    survey = _score(doc, _SURVEY_TITLE, _SURVEY_BODY)
    if survey >= 3.0:
        return "survey"
    if _score(doc, _POSITION_TITLE, _POSITION_BODY) >= 3.0:
        return "position"
    resource = _score(doc, _RESOURCE_TITLE, _RESOURCE_BODY, title_weight=4.5)
    analysis = _score(doc, _ANALYSIS_TITLE, _ANALYSIS_BODY)
    hardware = _score(doc, _HARDWARE_TITLE, _HARDWARE_BODY)
    system = _score(doc, _SYSTEM_TITLE, _SYSTEM_BODY)
    method = _METHOD_PRIOR.get(primary_level or "", 1.0) + _score(doc, None, _METHOD_BODY)
    # The primary leaf's level resolves words that several kinds use.
    if primary_level == "hardware" and primary_leaf != "hardware.characterization":
        hardware += 2.0
    elif primary_leaf == "hardware.characterization":
        analysis += 1.5
    elif primary_leaf in _SYSTEM_LEAVES:
        # A title that names another kind ("A Dataset for ...", "Evaluating ...") keeps it.
        named_other = _ANALYSIS_TITLE.search(doc.title) or _RESOURCE_TITLE.search(doc.title)
        system += 1.5 if named_other else SYSTEM_LEAF_BONUS
    elif primary_leaf == "system.energy":
        analysis += 1.0  # energy papers mostly measure and account
    elif primary_level == "model":
        system -= 1.5
        hardware -= 1.5
    candidates = {
        "method": method,
        "resource": resource,
        "analysis": analysis,
        "hardware": hardware,
        "system": system,
    }
    # Ties go to the first listed: a method unless another kind has more evidence.
    best = max(candidates, key=lambda kind: candidates[kind])
    return best if candidates[best] >= MIN_EVIDENCE else "method"
