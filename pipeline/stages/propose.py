"""Propose: changes to the current taxonomy from the classified corpus, through the model seam.

One request carries every relevant paper with its current primary and leaves; the answer
(TaxonomyChanges) is validated against the taxonomy and the papers, and cached.
"""

from __future__ import annotations

from pipeline.errors import TaxonomistError
from pipeline.seam import Seam
from schemas.propose import TaxonomyChanges
from schemas.record import PaperRecord

STAGE = "propose"


async def propose_changes(seam: Seam, records: list[PaperRecord]) -> TaxonomyChanges:
    """Proposed changes for the classified relevant papers."""
    papers = [
        {"paper_id": r.id, "title": r.title, "abstract": r.abstract,
         "primary": r.primary or "", "leaves": list(r.leaves)}
        for r in sorted(records, key=lambda r: r.id)
        if r.relevant is True and r.primary
    ]  # fmt: skip
    if len(papers) < 2:
        raise TaxonomistError("taxonomy propose needs at least two classified relevant papers")
    context = {
        "papers": {p["paper_id"]: {"title": p["title"], "abstract": p["abstract"]} for p in papers},
        "taxonomy": seam.taxonomy,
    }
    answer = await seam.ask_document(STAGE, "corpus", {"papers": papers}, TaxonomyChanges, context)
    if answer.value is None:
        raise TaxonomistError(
            f"taxonomy proposal failed: {answer.error}. Run again to retry; answers that "
            "succeeded are cached"
        )
    assert isinstance(answer.value, TaxonomyChanges)
    return answer.value
