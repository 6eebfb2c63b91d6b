"""The one seam between stages and models: `Seam.ask` renders a stage's prompt, looks the
answer up in the cache, otherwise asks the model (litellm + instructor, retried, budgeted,
rate-limited, possibly in worker processes) and stores the validated answer.

Stages import only what this module exports; nothing in the seam imports a stage.
"""

from pipeline.seam.ask import Answer, Seam
from pipeline.seam.budget import OUTPUT_TOKENS_PER_ITEM, Estimate, request_cost
from pipeline.seam.cache import AnswerCache, resolve_cache_dir
from pipeline.seam.settings import DEFAULT_MODEL, AskSettings, ModelConfig

__all__ = [
    "DEFAULT_MODEL",
    "OUTPUT_TOKENS_PER_ITEM",
    "Answer",
    "AnswerCache",
    "AskSettings",
    "Estimate",
    "ModelConfig",
    "Seam",
    "request_cost",
    "resolve_cache_dir",
]
