"""Structured facts: named technique, cue techniques, models, hardware and reported results.

Results are read from the abstract's sentences: a figure with a unit ("2.3x", "45%", "30
tokens/s"), the metric named near it, the baseline after "over/than/compared to", and the clause
holding them as the quote, so every number of a value is in its quote.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.local_model.scoring import LeafScore
from pipeline.local_model.text import Document, quote_around

MAX_TECHNIQUES = 6
MAX_MODELS = 8
MAX_HARDWARE = 8
MAX_RESULTS = 8

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

_FIGURE = re.compile(
    r"(?:(?:up to|over|about|around|nearly|almost|by|of|at least|on average)\s)?"
    r"(\d+(?:[.,]\d+)?)\s?(?:-|–|~|to\s)?\s?(?:\d+(?:\.\d+)?\s?)?"
    r"(x|×|times|%|\s?percent|\s?tokens?/s|\s?tokens per second|\s?ms|\s?GB|\s?MB|\s?TOPS/W|"
    r"\s?TOPS|\s?GOPS|\s?FPS|\s?frames per second|\s?W\b|\s?mJ|\s?J\b)",
    re.IGNORECASE,
)
_METRICS = [
    ("speedup", re.compile(r"speed\s?-?up|faster|accelerat\w*|speeds? up", re.I)),
    ("throughput", re.compile(r"throughput|tokens?/s|tokens per second|goodput|fps|frames", re.I)),
    ("latency", re.compile(r"latency|latencies|response time|time-to-first|ttft", re.I)),
    ("memory", re.compile(r"memory|footprint|model size|storage|gb\b|mb\b", re.I)),
    ("energy", re.compile(r"energy|power|joules?|watts?|carbon|emission", re.I)),
    ("cost", re.compile(r"\bcost|price|dollars?|\$", re.I)),
    ("compression", re.compile(r"compress\w*|fewer parameters|parameters|sparsity|bits?\b", re.I)),
    ("accuracy", re.compile(r"accura\w*|top-1|f1|auc|bleu|perplexity|score|mmlu", re.I)),
    ("efficiency", re.compile(r"efficien\w*|utili[sz]ation|mfu", re.I)),
]
_BASELINE = re.compile(
    r"\b(?:over|than|compared (?:to|with)|relative to|versus|vs\.?|against)\s+"
    r"((?:the\s)?[\w][\w\-.+/]*(?:\s[A-Z0-9][\w\-.+/]*){0,3})"
)


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


def _metric(clause: str, unit: str) -> str:
    unit = unit.strip().lower()
    if unit in {"tokens/s", "token/s", "tokens per second", "fps", "frames per second"}:
        return "throughput"
    if unit in {"ms"}:
        return "latency"
    if unit in {"gb", "mb"}:
        return "memory"
    if unit in {"w", "mj", "j", "tops/w"}:
        return "energy" if unit != "tops/w" else "energy efficiency"
    for name, pattern in _METRICS:
        if pattern.search(clause):
            if name in {"memory", "energy", "cost", "latency"} and re.search(
                r"reduc|lower|less|sav|cut|decreas|fewer", clause, re.I
            ):
                return f"{name} reduction"
            return name
    return "speedup" if unit in {"x", "×", "times"} else "improvement"


def _baseline(after: str, before: str) -> str | None:
    """The compared system: "2x over vLLM" (after the figure) or "over FP16 of 3x" (before)."""
    match = _BASELINE.search(after)
    if not match:
        earlier = list(_BASELINE.finditer(before))
        if not earlier:
            return None
        match = earlier[-1]
    name = match.group(1).strip(" .,;")
    if name.lower().startswith("the "):
        name = name[4:]
    if not any(c.isupper() or c.isdigit() or c == "." for c in name.split(" ")[0]):
        return None
    return name[:120]


def results(doc: Document) -> list[dict[str, Any]]:
    """Reported figures with metric, value, baseline and a verbatim quote."""
    found: list[dict[str, Any]] = []
    for sentence in doc.body:
        for match in _FIGURE.finditer(sentence.text):
            # "by 45%" / "of 2x": the preposition belongs to the sentence, not the value.
            value = re.sub(r"^(?:by|of)\s+", "", match.group(0).strip(), flags=re.I)
            start, end = match.start(), match.end()
            quote = quote_around(sentence.text, start, end, limit=250)
            if value not in quote:
                quote = sentence.text[:400]
                if value not in quote:
                    continue
            after = sentence.text[end : end + 120]
            before = sentence.text[max(0, start - 60) : start]
            around = sentence.text[max(0, start - 80) : end + 60]
            found.append(
                {
                    "metric": _metric(around, match.group(2)),
                    "value": value[:80],
                    "baseline": _baseline(after, before),
                    "quote": quote,
                }
            )
            if len(found) == MAX_RESULTS:
                return found
    return found


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
        "results": results(doc),
    }
