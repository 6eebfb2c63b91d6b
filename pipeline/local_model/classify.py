"""Leaves and primary leaf from cue scores, each leaf backed by a verbatim quote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.text import Document, quote_around

# A secondary leaf must reach this share of the primary's score and this absolute score.
SECONDARY_SHARE = 0.45
SECONDARY_MIN = 3.0
# A leaf from another level than the primary needs a little more.
CROSS_LEVEL_SHARE = 0.55
MAX_LEAVES = 4
# A leaf that narrows another (an FPGA design is an accelerator on an FPGA): when both are
# chosen and the narrower one has most of the score, it is the primary.
NARROWER = {"hardware.accelerator": "hardware.fpga"}
NARROWER_SHARE = 0.6
# For these primaries the other leaf names the workload, not a contribution: a distributed
# training system trains models, it does not make training algorithms cheaper.
WORKLOAD_OF = {"system.distributed": ("model.training",)}
# Pruning what an input is split into (tokens, patches, frames) is input-adaptive computation,
# not model pruning (the taxonomy contract: model.dynamic holds "token pruning/merging/dropping"):
# a paper whose bare "pruning" words name its own modules ("ST-Prune", "Temporal Pruning") is
# model.dynamic first when it prunes tokens and no weights, channels, heads or layers. Only over
# the leaves that such papers' other words pile up on: pruning, and the efficient architecture a
# token-reducing ViT is built as ("Hourglass Tokenizer", "Graph-based Token Propagation"); not
# over KV-cache eviction or reasoning-length control, which drop tokens too but are their own
# leaves (over all labelled papers: 9 primaries to a gold leaf, none away; with the other model
# leaves too, 2 more to a gold leaf and 6 away).
INPUT_PRUNING_LEADS = ("model.pruning", "model.architecture")
_INPUT_PRUNED = re.compile(
    r"\b(?:token|patch|frame)s?[\s-](?:level\s)?(?:prun\w*|merg\w*|drop\w*|reduction|"
    r"compression|sparsi\w*|skipp\w*|eviction)|"
    r"\b(?:prun|drop|merg|discard|remov|skipp?)\w*\s(?:[\w-]+\s){0,3}"
    r"(?:tokens|patches|frames)\b",
    re.I,
)
_MODEL_PRUNED = re.compile(
    r"\b(?:weight|channel|filter|head|neuron|parameter|expert|layer|depth|width|block|"
    r"structured|unstructured|magnitude|network|model)[\s-]pruning\b|"
    r"\bprun\w*\s(?:[\w-]+\s){0,2}(?:weights|channels|filters|heads|neurons|parameters|"
    r"experts|layers|blocks|connections)\b|\bN:M\b|\b2:4\b|\blottery\b",
    re.I,
)
# Distilling a dataset (dataset distillation or condensation: a small synthetic training set
# that trains a model as well as the full one) is data-efficient training (model.training in
# the contract), not knowledge distillation from a teacher into a student: a paper that distils
# data and names no teacher, student or knowledge distillation is model.training first. Over all
# labelled papers: 3 primaries to a gold leaf, none away.
_DATA_DISTILLED = re.compile(
    r"\b(?:dataset|data)\s(?:distillation|condensation)\b|\bdistilled\s(?:datasets?|data)\b",
    re.I,
)
_KNOWLEDGE_DISTILLED = re.compile(
    r"\bteachers?\b|\bstudents?\b|\bknowledge\sdistillation\b|\bself-distillation\b", re.I
)
# A title that names quantization ("SLMQuant: Benchmarking Small Language Model Quantization",
# "BitTP: ... with BitLLM", "4-bit", "binarized") when the efficient-architecture leaf, the
# catch-all of model-level work, leads: the paper is about quantizing that architecture. Over all
# labelled papers: 2 primaries to a gold leaf, none away.
_QUANTIZED_TITLE = re.compile(
    r"quant(?!um)|\b\d(?:\.\d+)?-?bits?\b|\blow-?bit\b|\bbinari[sz]\w*|"
    r"\bbinary\s(?:neural|networks?|weights)|\bternary\b|\bINT[48]\b|\bFP[48]\b|Bit(?:Net|LLM)",
    re.I,
)
# The same for pruning and distillation: a title that names pruning ("Structural Pruning of Large
# Vision Language Models", "... by Aggressively Pruning Experts") or distillation ("Step-wise
# On-policy Distillation for Small Language Model Agents") when the efficient-architecture leaf
# leads (its cues fire on what gets pruned, experts, layers, a ViT, or on the small model
# distilled into) is about pruning or distilling that architecture. Only when the technique's
# cues weigh at least TITLED_SHARE of the architecture's (a title word alone does not make a
# paper about it), and not where the title says the paper does without it ("Distillation-Free",
# "Without Pruning") or prunes or distils data (a dataset distillation is model.training).
TITLED_SHARE = 0.5
_PRUNED_TITLE = re.compile(r"\bprun(?:e|es|ed|ing)\b", re.I)
_DISTILLED_TITLE = re.compile(r"\bdistil\w*", re.I)
_NOT_TITLED = re.compile(
    r"\b(?:without|no|w/o)\s(?:[\w-]+\s)?(?:prun|distil)\w*|\b(?:prun|distil)\w*-free\b|"
    r"\b(?:prun|distil)\w*\s(?:the\s)?(?:training\s)?(?:data|datasets?|set|corpus)\b|"
    r"\bdata(?:set)?\s(?:prun|distil)\w*",
    re.I,
)

# A generator (diffusion, flow matching, video or world model) that caches and reuses its own
# features across denoising steps ("feature caching", "LayerCache", "X-Cache: cross-chunk block
# caching") skips recomputation where the input allows it: input-adaptive computation
# (model.dynamic), not a KV cache (a paper that names one stays where its cues put it), a memory
# system, a distributed system or an architecture search. Over the leads such papers' other words
# pile up on; not over distillation, decoding or compilers, which such papers also are.
CACHED_STEPS_LEADS = (
    "model.nas",
    "model.architecture",
    "model.training",
    "model.pruning",
    "model.kv_cache",
    "system.memory",
    "system.distributed",
)
_GENERATOR = re.compile(
    r"\bdiffusion\s(?:models?|transformers?|polic(?:y|ies)|sampling|inference|backbones?|"
    r"language\smodels?|LLMs?)\b|\b(?:video|image|latent|audio)\sdiffusion\b|"
    r"\bflow[\s-]matching\b|\bDiTs?\b|\bdenoising\s(?:steps?|process|networks?|trajector\w+)\b|"
    r"\b(?:video|image|3D|4D|audio|text-to-image|text-to-video)\s(?:generation|synthesis|editing)\b|"
    r"\bworld\smodels?\b",
    re.I,
)
# What is cached: the generator's own features, outputs or steps (case-insensitive), or a
# method named "...Cache" ("LayerCache", "X-Cache", "Fast3Dcache").
_STEPS_CACHED = re.compile(
    r"(?i:\b(?:feature|step|timestep|layer|block|activation|residual|attention|output|chunk)s?"
    r"[\s-](?:level\s)?cach\w*|"
    r"\bcach\w*\s(?:and\s(?:reus\w*\s)?)?(?:the\s)?(?:[\w-]+\s){0,2}(?:features|activations|"
    r"outputs|residuals|representations|(?:time)?steps|layers|blocks)\b|"
    # "cache-based acceleration", "cache-or-recompute decisions", "cache, predict, and recompute"
    r"\bcach\w*[\s-](?:based\s)?accelerat\w*|\bcach\w*,?[\s-](?:or[\s-]|and\s)?"
    r"(?:recomput|reus|predict)\w*)|"
    r"(?<=[a-z0-9-])Cache\b|\b[A-Z][\w-]*cache\b",
)
# ... and reused across the steps of the generation, not across training iterations, requests or
# the blocks of one network ("adjacent steps", "timesteps", "the denoising process").
_ACROSS_STEPS = re.compile(
    r"\b(?:denoising|sampling|diffusion|inference|generation|adjacent|consecutive|neighbou?ring|"
    r"successive|later|earlier|previous|future)\s(?:time)?steps\b|\btimesteps?\b|"
    r"\bacross\s(?:[\w-]+\s){0,2}(?:time)?steps\b|\bstep[\s-](?:wise|level)\b|"
    r"\b(?:iterative|multi-step)\s(?:sampling|denoising)\b|\b(?:sampling|denoising)\s"
    r"(?:process|trajector(?:y|ies))\b",
    re.I,
)
# A key-value cache, or the devices the work is spread over (a distributed generator that caches
# stale activations to hide communication is a distributed system first).
_NOT_STEPS_CACHED = re.compile(
    r"\bKV\b|\bkey[\s-]value\b|\bmulti-?GPUs?\b|\b(?:across|on)\s(?:\d+\s|multiple\s)?(?:GPUs|devices)\b|"
    r"\bparallelism\b|\bdistribut(?:ed|es?|ing)\s(?:[\w-]+\s){0,2}(?:across|over|among|to)\b",
    re.I,
)


@dataclass(frozen=True)
class Choice:
    """The classification of one paper."""

    primary: str
    leaves: list[str]
    evidence: dict[str, str]


def rank_leaves(scores: dict[str, LeafScore], order: list[str]) -> list[LeafScore]:
    """Leaves by score, title evidence breaking ties, then taxonomy order."""
    position = {leaf: i for i, leaf in enumerate(order)}
    return sorted(
        scores.values(), key=lambda s: (-s.score, -s.title_score, position.get(s.leaf, 0))
    )


def choose_leaves(scores: dict[str, LeafScore], order: list[str]) -> list[str]:
    """Primary first, then the secondary leaves that are a substantial part of the paper."""
    ranked = [s for s in rank_leaves(scores, order) if s.score > 0]
    if not ranked:
        return [order[0]]
    top = ranked[0]
    level = top.leaf.split(".", 1)[0]
    chosen = [top.leaf]
    for candidate in ranked[1:]:
        if candidate.leaf in WORKLOAD_OF.get(top.leaf, ()):
            continue
        share = SECONDARY_SHARE if candidate.leaf.split(".", 1)[0] == level else CROSS_LEVEL_SHARE
        if candidate.score >= max(SECONDARY_MIN, share * top.score):
            chosen.append(candidate.leaf)
        if len(chosen) == MAX_LEAVES:
            break
    narrower = NARROWER.get(top.leaf)
    if narrower in chosen and scores[narrower].score >= NARROWER_SHARE * top.score:
        chosen.remove(narrower)
        chosen.insert(0, narrower)
    return chosen


def evidence_quote(doc: Document, score: LeafScore | None) -> str:
    """The sentence (or clause) holding the leaf's strongest cue; the title when none."""
    hit = score.best_hit() if score else None
    if hit is None:
        return doc.title.strip() or doc.abstract.strip()[:200]
    sentence = doc.sentences[hit.sentence]
    return quote_around(sentence.text, hit.start, hit.end)


def _says(doc: Document, unless: re.Pattern[str], *does: re.Pattern[str]) -> bool:
    """Do the title and abstract say every one of ``does`` and nowhere ``unless``?"""
    text = f"{doc.title}. {doc.abstract}"
    return all(p.search(text) for p in does) and not unless.search(text)


def _distils_data(doc: Document) -> bool:
    """Does the paper distil a dataset, and no model into a student?"""
    return _says(doc, _KNOWLEDGE_DISTILLED, _DATA_DISTILLED)


def _prunes_inputs(doc: Document) -> bool:
    """Does the paper prune tokens, patches or frames, and no part of the model?"""
    return _says(doc, _MODEL_PRUNED, _INPUT_PRUNED)


def _caches_steps(doc: Document) -> bool:
    """Is the paper a generator that caches its own features and reuses them across the steps of
    generation, with no KV cache and no devices to spread the work over?"""
    return _says(doc, _NOT_STEPS_CACHED, _GENERATOR, _ACROSS_STEPS, _STEPS_CACHED)


def _cued(scores: dict[str, LeafScore], leaf: str) -> bool:
    score = scores.get(leaf)
    return bool(score and score.score > 0)


def _contract_primary(doc: Document, scores: dict[str, LeafScore], lead: str) -> str | None:
    """The leaf the taxonomy contract gives the paper's contribution where the cue scores' lead
    is known to mistake it (token pruning, feature caching in a generator, dataset distillation,
    a quantized architecture), or None."""
    if lead in INPUT_PRUNING_LEADS and _cued(scores, "model.dynamic") and _prunes_inputs(doc):
        return "model.dynamic"
    if lead in CACHED_STEPS_LEADS and _caches_steps(doc):
        return "model.dynamic"
    if lead == "model.distillation" and "model.training" in scores and _distils_data(doc):
        return "model.training"
    if (
        lead == "model.architecture"
        and _cued(scores, "model.quantization")
        and _QUANTIZED_TITLE.search(doc.title)
    ):
        return "model.quantization"
    if lead == "model.architecture" and not _NOT_TITLED.search(doc.title):
        if _titled_technique(doc, scores, "model.pruning", _PRUNED_TITLE):
            return "model.pruning"
        if _titled_technique(doc, scores, "model.distillation", _DISTILLED_TITLE) and not (
            _distils_data(doc)
        ):
            return "model.distillation"
    return None


def _titled_technique(
    doc: Document, scores: dict[str, LeafScore], leaf: str, titled: re.Pattern[str]
) -> bool:
    """Does the title name the technique of ``leaf``, and do its cues weigh at least
    TITLED_SHARE of the leading architecture's?"""
    score = scores.get(leaf)
    top = scores["model.architecture"].score
    return bool(titled.search(doc.title) and score and score.score >= TITLED_SHARE * top > 0)


def classify_scores(doc: Document, scores: dict[str, LeafScore], order: list[str]) -> Choice:
    """Pick leaves and quotes for a paper from its leaf scores."""
    leaves = choose_leaves(scores, order)
    first = _contract_primary(doc, scores, leaves[0])
    if first:
        leaves = [first, *[leaf for leaf in leaves if leaf != first]][:MAX_LEAVES]
    evidence = {leaf: evidence_quote(doc, scores.get(leaf)) for leaf in leaves}
    return Choice(primary=leaves[0], leaves=leaves, evidence=evidence)
