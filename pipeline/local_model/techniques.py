"""The technique vocabulary kept beside the taxonomy: named techniques as a reader writes them.

The local model lists a paper's own method name, then the techniques of this vocabulary that
its title and abstract mention (title first, then in order of appearance) — never a bare cue
word such as "operator" or "ssds". Each entry is (name shown, pattern matched); an upper-case
acronym is matched case-sensitively, so "NAS" does not match "nas" inside a word.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

VOCABULARY: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, flags))
    for name, pattern, flags in (
        # model level
        ("quantization", r"\bquanti[sz]\w*", _I),
        ("pruning", r"\bprun(?:e|es|ed|ing)\b", _I),
        ("structured sparsity", r"\b(?:structured|N:M|2:4) sparsity\b", _I),
        ("sparse attention", r"\bsparse attention\b", _I),
        ("knowledge distillation", r"\bdistill\w*", _I),
        ("low-rank factorization", r"\blow[\s-]rank\b", _I),
        ("LoRA", r"\b(?:Q?LoRA)\b", 0),
        ("parameter-efficient fine-tuning", r"\bparameter[\s-]efficient\b|\bPEFT\b", _I),
        ("mixture of experts", r"\bmixture[\s-]of[\s-]experts\b|\bMoE\b", _I),
        ("early exit", r"\bearly[\s-]exit\w*", _I),
        ("token pruning", r"\btoken (?:pruning|dropping|reduction|merging)\b", _I),
        ("speculative decoding", r"\bspeculative (?:decoding|sampling|inference)\b", _I),
        ("neural architecture search", r"\bneural architecture search\b|\bNAS\b", 0),
        ("KV cache compression", r"\bKV[\s-]?cache (?:compression|quantization|eviction)\b", _I),
        ("linear attention", r"\blinear attention\b", _I),
        ("state space model", r"\bstate[\s-]space models?\b", _I),
        ("mixed precision", r"\bmixed[\s-]precision\b", _I),
        ("binarization", r"\bbinari[sz]\w*|\bbinary neural networks?\b", _I),
        ("weight sharing", r"\bweight sharing\b", _I),
        ("efficient architecture", r"\blightweight (?:architecture|model|network)s?\b", _I),
        # system level
        ("kernel fusion", r"\b(?:kernel|operator) fusion\b|\bfused kernels?\b", _I),
        ("PagedAttention", r"\bPagedAttention\b|\bpaged attention\b", _I),
        ("FlashAttention", r"\bFlashAttention\w*", _I),
        ("continuous batching", r"\bcontinuous batching\b|\biteration-level scheduling\b", _I),
        ("request scheduling", r"\b(?:request|job|task) scheduling\b", _I),
        ("prefill-decode disaggregation", r"\bdisaggregat\w*", _I),
        ("offloading", r"\boffload\w*", _I),
        ("tensor parallelism", r"\btensor parallel\w*", _I),
        ("pipeline parallelism", r"\bpipeline parallel\w*", _I),
        ("data parallelism", r"\bdata parallel\w*", _I),
        ("ZeRO", r"\bZeRO\b", 0),
        ("activation checkpointing",
         r"\b(?:activation|gradient) checkpointing\b|\brecomput\w*", _I),
        ("gradient accumulation", r"\bgradient accumulation\b", _I),
        ("prefix caching", r"\b(?:prefix|prompt|context|KV) caching\b", _I),
        ("compiler optimization", r"\bcompil(?:er|ation)\b", _I),
        ("federated learning", r"\bfederated\b", _I),
        ("serverless inference", r"\bserverless\b", _I),
        ("autoscaling", r"\bauto-?scaling\b", _I),
        ("communication overlap",
         r"\b(?:communication|computation)[\s-](?:computation )?overlap\w*", _I),
        ("communication compression",
         r"\bgradient compression\b|\bcommunication compression\b", _I),
        # hardware level
        ("FPGA accelerator", r"\bFPGAs?\b", 0),
        ("ASIC accelerator", r"\bASICs?\b", 0),
        ("processing-in-memory", r"\b(?:processing|computing|compute)[\s-]in[\s-]memory\b|"
                                 r"\bin-memory computing\b|\bPIM\b", _I),
        ("systolic array", r"\bsystolic arrays?\b", _I),
        ("dataflow architecture", r"\bdataflow\b", _I),
        ("spiking neural network", r"\bspiking\b|\bSNNs?\b", _I),
        ("approximate computing", r"\bapproximate comput\w*", _I),
        ("hardware-software co-design", r"\bco-?design\w*", _I),
        ("analog computing", r"\banalog (?:computing|accelerator|in-memory)\w*", _I),
        ("photonic computing", r"\bphotonic\w*", _I),
    )
)  # fmt: skip


def vocabulary_techniques(title: str, abstract: str) -> list[str]:
    """Vocabulary techniques a paper mentions: those of its title first, then by position."""
    found: list[tuple[int, int, str]] = []
    for part, text in enumerate((title, abstract)):
        for name, pattern in VOCABULARY:
            match = pattern.search(text)
            if match:
                found.append((part, match.start(), name))
    ordered: list[str] = []
    for _, _, name in sorted(found):
        if name not in ordered:
            ordered.append(name)
    return ordered
