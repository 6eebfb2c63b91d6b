"""Induce: a taxonomy proposed from the corpus, asked through the model seam.

A remote model follows TnT-LLM: it proposes leaves for batches of papers, then one more request
merges the batch proposals (members kept) and the validators' re-asks refine the result. The
local model reads the whole corpus in one request (it clusters; there is nothing to merge).
Every request is cached like any stage answer, so a second run replays byte for byte.
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import TaxonomistError
from pipeline.seam import Seam
from schemas.induce import TaxonomyProposal

STAGE = "induce"
REMOTE_BATCH = 40
DEFAULT_MAX_LEAVES = 30


def is_local(model: str) -> bool:
    return model.startswith("local/")


async def induce_taxonomy(
    seam: Seam,
    papers: list[dict[str, str]],
    *,
    use_existing_leaves: bool = True,
    max_leaves: int = DEFAULT_MAX_LEAVES,
    batch_size: int | None = None,
) -> TaxonomyProposal:
    """The induced taxonomy of ``papers`` ({paper_id, title, abstract}), validated."""
    papers = sorted(papers, key=lambda p: p["paper_id"])
    if len(papers) < 2:
        raise TaxonomistError("taxonomy induce needs at least two relevant papers")
    levels = [level.id for level in seam.taxonomy.levels]
    by_id = {p["paper_id"]: p for p in papers}
    common = {
        "levels": levels,
        "use_existing_leaves": use_existing_leaves,
        "max_leaves": max_leaves,
    }
    model = seam.config(STAGE).model
    size = len(papers) if is_local(model) else (batch_size or REMOTE_BATCH)
    batches = [papers[i : i + size] for i in range(0, len(papers), size)]
    proposals: list[TaxonomyProposal] = []
    for number, batch in enumerate(batches, start=1):
        payload = {"papers": batch, **common}
        context = {"papers": {p["paper_id"]: p for p in batch}, "levels": levels}
        proposals.append(await _ask(seam, f"batch {number}/{len(batches)}", payload, context))
    if len(proposals) == 1:
        return proposals[0]
    merge: dict[str, Any] = {
        "proposals": [p.model_dump(mode="json") for p in proposals],
        **common,
    }
    return await _ask(seam, "merge", merge, {"papers": by_id, "levels": levels})


async def _ask(
    seam: Seam, item: str, payload: dict[str, Any], context: dict[str, Any]
) -> TaxonomyProposal:
    answer = await seam.ask_document(STAGE, item, payload, TaxonomyProposal, context)
    if answer.value is None:
        raise TaxonomistError(
            f"taxonomy induction failed ({item}): {answer.error}. Run again to retry; the "
            "answers that succeeded are cached"
        )
    assert isinstance(answer.value, TaxonomyProposal)
    return answer.value
