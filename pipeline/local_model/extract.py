"""Structured facts: named technique, cue techniques, models, hardware and reported results.

Results come from pipeline.local_model.results: a figure, the metric the words next to it name,
the baseline after "over/than/compared to", and the sentence holding them as the quote.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.results import results
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
_MODELS = re.compile(
    r"(?<![\w-])(?:LLaMA|Llama|GPT|OPT|BLOOM|Falcon|Mistral|Mixtral|Qwen|Gemma|Phi|T5|Flan-T5|BERT|"
    r"RoBERTa|DeBERTa|DistilBERT|ALBERT|ResNet|VGG|MobileNet|EfficientNet|ViT|DeiT|Swin|CLIP|"
    r"Stable Diffusion|SDXL|DiT|Whisper|DeepSeek|Vicuna|BitNet|YOLO|ConvNeXt|Mamba|PaLM|Chinchilla|"
    r"GLM|ChatGLM|Baichuan|InternLM|LLaVA|Claude|Gemini|Transformer-XL|Inception|U-Net|SAM|"
    r"MobileViT|TinyLlama|Pythia|StarCoder|CodeLlama|OLMo|MiniCPM|Yi)"
    r"(?:[-\s]?(?:\d+(?:\.\d+)*|v\d+|[Vv]ariant|[A-Z]{1,2}/\d+|XL|XXL|Large|Base|Small|Tiny|Mini|"
    r"Turbo|o|Instruct|Chat))*"
    r"(?:[-\s]\d+(?:\.\d+)?[BM])?(?![\w])",
)
_HARDWARE = re.compile(
    r"(?<![\w-])(?:(?:NVIDIA|AMD|Intel|Google|Apple|Qualcomm|Huawei)\s)?"
    r"(?:A100|H100|H200|H800|A800|V100|P100|T4|L4|L40S?|A10G?|A6000|RTX\s?\d{4}(?:\sTi)?|"
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
    seen: dict[str, str] = {}
    for item in items:
        key = item.lower().strip()
        if key and key not in seen:
            seen[key] = item.strip()
    return list(seen.values())[:limit]


def extract_facts(doc: Document, scores: dict[str, LeafScore], leaves: list[str]) -> dict[str, Any]:
    """Techniques, models, hardware and results of a paper."""
    text = f"{doc.title}\n{doc.abstract}"
    techniques: list[str] = []
    name = named_technique(doc)
    if name:
        techniques.append(name)
    for leaf in leaves:
        score = scores.get(leaf)
        if score:
            ranked = sorted(score.hits, key=lambda h: -h.weight)
            techniques.extend(h.text.lower() for h in ranked[:2])
    hardware = [m.group(0) for m in _HARDWARE.finditer(text)]
    if not hardware:
        hardware = [m.group(0) for m in _GENERIC_HARDWARE.finditer(text)]
    return {
        "techniques": _distinct(techniques, MAX_TECHNIQUES),
        "models": _distinct([m.group(0) for m in _MODELS.finditer(text)], MAX_MODELS),
        "hardware": _distinct(hardware, MAX_HARDWARE),
        "results": results(doc, name),
    }
