"""Structured facts: named technique, vocabulary techniques, models, hardware and results.

Results come from pipeline.local_model.results: a figure, the metric the words next to it name,
the baseline after "over/than/compared to", and the sentence holding them as the quote; through
pipeline.local_model.result_head, which adds a learned head's decisions only when its weights
ship (none do: cross-validation found no held-out gain, README "A learned head").
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.local_model.result_head import results
from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.techniques import vocabulary_techniques
from pipeline.local_model.text import Document

MAX_TECHNIQUES = 6
MAX_MODELS = 8
MAX_HARDWARE = 8

_NAMED = re.compile(
    r"\b(?:propose|present|introduce|design|develop|call|name[d]?|dub(?:bed)?|build)\s+"
    r"(?:a\s|an\s|the\s)?(?:[\w-]+\s){0,5}?(?:called\s|named\s|namely\s|dubbed\s)?"
    r"([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*(?:[-+.][A-Za-z0-9]+)*)",
)
_TITLE_NAME = re.compile(r"^\s*([A-Za-z0-9][\w.+^{}$-]*(?:\s[\w.+-]+){0,2})\s*:")
_FAMILY = (
    r"(?:Code\s?Llama|TinyLlama|LLaMA|Llama|GPT|OPT|BLOOM|Falcon|Mistral|Mixtral|Qwen|Gemma|Phi|"
    r"Flan-T5|T5|DistilBERT|RoBERTa|DeBERTa|ALBERT|BERT|ResNet|VGG|MobileNet|EfficientNet|"
    r"MobileViT|ViT|DeiT|Swin|CLIP|Stable Diffusion|SDXL|DiT|Whisper|DeepSeek|Vicuna|BitNet|YOLO|"
    r"ConvNeXt|Mamba|PaLM|Chinchilla|ChatGLM|GLM|Baichuan|InternLM|LLaVA|Claude|Gemini|"
    r"Transformer-XL|Inception|U-Net|SAM|Pythia|StarCoder|OLMo|MiniCPM|StableLM|Nemotron|Yi)"
)
# Name parts after the family: versions, sizes ("7B", "8x7B"), variants ("Instruct", "Next").
_NAME_PART = (
    rf"(?:\d+(?:\.\d+)*[BMK]?|\d+x\d+[BM]|[vVrR]\d+(?:\.\d+)*|[A-Z]{{1,2}}/\d+|"
    r"XL|XXL|Large|large|Base|base|Small|small|Tiny|Mini|Medium|Next|Turbo|Flash|Sonnet|Opus|"
    rf"Haiku|Pro|Ultra|Instruct|Chat|Coder|Distill|Math|Vision|VL|o|hf|{_FAMILY}\d*(?:\.\d+)?)"
)
_MODELS = re.compile(
    rf"(?<![\w-]){_FAMILY}\d*(?:\.\d+)?(?:(?:-|\s)(?={_NAME_PART}(?![\w.]))?{_NAME_PART})*"
    r"(?![\w])"
)
_HARDWARE = re.compile(
    r"(?<![\w-])(?:(?:NVIDIA|AMD|Intel|Google|Apple|Qualcomm|Huawei)\s)?"
    r"(?:(?:Tesla\s)?(?:A100|H100|H200|H800|A800|V100|P100|P40|P4|K80|T4|L4|L40S?|A10G?|A6000|"
    r"A40)(?:[\s-]\d+\s?GB)?|Titan\s(?:RTX|Xp?|V)|RTX\s?\d{4}(?:\sTi)?|(?:AGX\s)?(?:Orin|Xavier)|"
    r"GH200|GB200|B200|Jetson(?:\s(?:Nano|Orin|Xavier|TX2|AGX)\w*)*|Raspberry\sPi(?:\s\d)?|"
    r"Snapdragon(?:\s\d+\w*)?|TPU\s?v\d\w*|TPUs?|MI\d{3}X?|Gaudi\s?\d?|Ascend(?:\s\d+\w*)?|"
    r"M[1-4](?:[-\s](?:Pro|Max|Ultra))?|Xeon(?:\s\w+)?|EPYC|Alveo(?:\s\w+)?|Versal|Zynq(?:\s\w+)?|"
    r"Cerebras|Groq|SambaNova|Graviton\d?|Cortex-[AM]\d+|STM32\w*|FPGAs?|ASICs?|NPUs?|"
    r"Frontier|Summit|Fugaku)(?![\w])",
)
_GENERIC_HARDWARE = re.compile(r"(?<![\w-])(?:GPUs?|CPUs?|mobile phones?|smartphones?)(?![\w])")


def named_technique(doc: Document) -> str | None:
    """The paper's own name for its technique ("we propose FedSpine", "T-MAC: ...")."""
    match = _TITLE_NAME.match(doc.title)
    if match and len(match.group(1)) <= 40 and any(c.isupper() for c in match.group(1)):
        return match.group(1)
    for sentence in doc.body:
        if sentence.contribution:
            named = _NAMED.search(sentence.text)
            if named:
                return named.group(1)
    return None


def _distinct(items: list[str], limit: int) -> list[str]:
    """Each name once (a plural counts as its singular); a bare family name ("GPT") is dropped
    when a fuller name of it ("GPT-4") is listed."""
    seen: dict[str, str] = {}
    for item in items:
        key = item.lower().strip().removesuffix("s")
        if key and key not in seen:
            seen[key] = item.strip()
    names = list(seen.values())
    fuller = [
        n for n in names if not any(o != n and re.match(re.escape(n) + r"[\s-]", o) for o in names)
    ]
    return fuller[:limit]


_COMPARED_BEFORE = re.compile(
    r"\b(?:than|over|compared (?:to|with)|relative to|against|versus|vs\.?|outperform\w*|"
    r"beat\w*|surpass\w*)\s(?:(?:the|a|an|on|with|using)\s){0,2}"
    r"(?:(?:NVIDIA|AMD|Intel|Google|Apple)\s)?$",
    re.I,
)


def _measured(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Hardware the paper targets or measures on: a name that only ever appears as the compared
    baseline ("beats NVIDIA A100 GPU") is left out."""
    spans = [(m.group(0), m.start()) for m in pattern.finditer(text)]
    own = {
        n.lower()
        for n, start in spans
        if not _COMPARED_BEFORE.search(text[max(0, start - 40) : start])
    }
    return [n for n, _ in spans if n.lower() in own]


def extract_facts(doc: Document, scores: dict[str, LeafScore], leaves: list[str]) -> dict[str, Any]:
    """Techniques (own name + vocabulary), models, measured hardware and results of a paper.

    ``scores`` and ``leaves`` are the classification's; techniques come from the vocabulary
    kept beside the taxonomy (pipeline/local_model/techniques.py), not from bare cue words."""
    del scores, leaves  # kept in the signature: the stage is called with the analysis
    text = f"{doc.title}\n{doc.abstract}"
    name = named_technique(doc)
    techniques = ([name] if name else []) + vocabulary_techniques(doc.title, doc.abstract)
    hardware = _measured(text, _HARDWARE) or _measured(text, _GENERIC_HARDWARE)
    return {
        "techniques": _distinct(techniques, MAX_TECHNIQUES),
        "models": _distinct([m.group(0) for m in _MODELS.finditer(text)], MAX_MODELS),
        "hardware": _distinct(hardware, MAX_HARDWARE),
        "results": results(doc, name),
    }
