"""Taxonomies known to the local model, by the content hash that prompts carry.

The build registers its taxonomy before asking; the local provider (a litellm custom provider)
finds it by the hash in the prompt. A taxonomy edit changes the hash, hence the cache key.
"""

from __future__ import annotations

from schemas.taxonomy import Taxonomy

_TAXONOMIES: dict[str, Taxonomy] = {}


def register_taxonomy(taxonomy: Taxonomy) -> str:
    from pipeline.prompts import taxonomy_hash

    digest = taxonomy_hash(taxonomy)
    _TAXONOMIES[digest] = taxonomy
    return digest


def find_taxonomy(digest: str) -> Taxonomy | None:
    if digest not in _TAXONOMIES:
        from pipeline.taxonomy import load_taxonomy

        register_taxonomy(load_taxonomy())
    return _TAXONOMIES.get(digest)
