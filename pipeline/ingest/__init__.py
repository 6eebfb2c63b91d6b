"""Ingest: read dumps (Daily Papers listings, JSON Lines, CSV, BibTeX) into a Corpus.

from pipeline.ingest import ingest, IngestResult
result = ingest([Path("dumps")], known_keys={"p0123456789ab": "frantar2022gptq"})
result.corpus, result.report
"""

from pipeline.ingest.run import IngestResult, ingest

__all__ = ["IngestResult", "ingest"]
