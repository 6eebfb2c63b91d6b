"""Taxonomies known to the local model, by the content hash that prompts carry.

The seam registers its taxonomy when it is made (and in each worker process); the local
provider (a litellm custom provider) finds it by the hash in the prompt. A taxonomy edit
changes the hash, hence the cache key; local_model_version() puts the model's own code and its
learned weights into the key of its answers.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from schemas.taxonomy import Taxonomy, taxonomy_hash

_TAXONOMIES: dict[str, Taxonomy] = {}

# The embedded model's context window, in input tokens. It reads requests in-process with no
# window of its own, so its ceiling only bounds a request's size in memory (~4 MB of JSON): a
# section's papers, or all papers for the introduction, challenges and conclusion, go in one
# request unless a corpus is very large. Remote models keep DEFAULT_CONTEXT_TOKENS (32k) or
# --context-tokens.
CONTEXT_TOKENS = 1_000_000


@cache
def local_model_version() -> str:
    """Hash of the local model's source and weights (its answers are a function of them)."""
    return model_digest(Path(__file__).resolve().parent)


def model_digest(root: Path) -> str:
    """Hash of the model files in ``root`` (a copy of pipeline/local_model) and the schemas."""
    project = Path(__file__).resolve().parent.parent.parent
    # Its own modules and the ones its answers are built with (prose helpers, schemas).
    # The learned weights (weights.json) and the paper encoder (its tokenizer's .json; the model
    # file's sha256 is written in embedding.py) are part of the model like its code.
    sources = (
        sorted(root.glob("*.py"))
        + sorted(root.glob("*.json"))
        + sorted(root.glob("*.npy"))
        + [
            project / "schemas" / "names.py",
            project / "schemas" / "stages.py",
            project / "schemas" / "survey.py",
            project / "schemas" / "record.py",
        ]
    )
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def register_taxonomy(taxonomy: Taxonomy) -> str:
    digest = taxonomy_hash(taxonomy)
    _TAXONOMIES.pop(digest, None)  # re-registered: now the latest
    _TAXONOMIES[digest] = taxonomy
    return digest


def latest_taxonomy() -> str | None:
    """The hash of the taxonomy registered last (what a test server answering like the embedded
    model uses for a remote model's prompt, which names no taxonomy hash)."""
    return next(reversed(_TAXONOMIES), None)


def find_taxonomy(digest: str) -> Taxonomy | None:
    return _TAXONOMIES.get(digest)
