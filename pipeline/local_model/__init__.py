"""The embedded offline model: answers screen, classify and extract from a paper's own text.

It is pure and deterministic: cues are compiled once per taxonomy, each answer depends only on
the title, the abstract and the taxonomy, and nothing is read or written at call time.

    lm = LocalModel(taxonomy)
    lm.screen(title, abstract)    # {"relevant", "kind", "reason", "confidence"}
    lm.classify(title, abstract)  # {"primary", "leaves", "evidence": [{"leaf", "quote"}]}
    lm.extract(title, abstract)   # {"techniques", "models", "hardware", "results"}
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pipeline.local_model.classify import Choice, classify_scores, evidence_quote
from pipeline.local_model.extract import extract_facts
from pipeline.local_model.kind import kind_of
from pipeline.local_model.learned import LearnedModel, decide, shipped_model
from pipeline.local_model.lexicon import Lexicon, compile_out_of_scope, compile_taxonomy
from pipeline.local_model.scoring import LeafScore, score_leaves
from pipeline.local_model.screen import RelevanceSignal, reason, relevance_signal
from pipeline.local_model.text import Document, make_document
from schemas.taxonomy import Taxonomy

__all__ = ["Analysis", "LocalModel"]

_CACHE_SIZE = 4096  # a corpus of a few thousand papers passes all stages analysed once


@dataclass(frozen=True)
class Analysis:
    """Everything the model reads from one paper; the three stages are views of it."""

    doc: Document
    scores: dict[str, LeafScore]
    signal: RelevanceSignal
    choice: Choice
    kind: str
    relevant: bool
    confidence: float | None = None  # calibrated; None when no learned weights apply
    rule_leaves: tuple[str, ...] = ()  # the cue rules' leaves, before the learned heads


class LocalModel:
    """Cue-based classifier over a taxonomy; see the module docstring for the API.

    With learned weights (the shipped ones by default, when they cover the taxonomy's leaves)
    the learned heads choose the secondary leaves and give a confidence (see learned.decide);
    ``rules_only=True`` answers from the cue rules alone.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        learned: LearnedModel | None = None,
        *,
        rules_only: bool = False,
    ) -> None:
        self.taxonomy = taxonomy
        self.lexicon: Lexicon = compile_taxonomy(taxonomy)
        self.out_of_scope: Lexicon = compile_out_of_scope(taxonomy)
        self.order = taxonomy.leaf_ids
        if learned is None and not rules_only:
            learned = shipped_model()
        self.learned = learned if learned is not None and learned.covers(self.order) else None
        # The three stages read the same paper: analyse it once (bounded, no I/O).
        self._recent: OrderedDict[tuple[str, str], Analysis] = OrderedDict()
        self._lock = threading.Lock()  # the provider may call from several threads

    def analyse(self, title: str, abstract: str) -> Analysis:
        """Score a paper against every leaf (memoised for the most recent papers)."""
        key = (title, abstract)
        with self._lock:
            cached = self._recent.get(key)
            if cached is not None:
                self._recent.move_to_end(key)
                return cached
        doc = make_document(title, abstract)
        scores = score_leaves(doc, self.lexicon)
        choice = classify_scores(doc, scores, self.order)
        signal = relevance_signal(doc, scores, score_leaves(doc, self.out_of_scope))
        relevant, confidence, rule_leaves = signal.relevant, None, tuple(choice.leaves)
        if self.learned is not None:
            prediction = self.learned.predict(doc, scores, signal, choice.leaves)
            decision = decide(self.learned, prediction, self.order, signal, choice.primary)
            relevant, confidence = decision.relevant, decision.confidence
            evidence = {leaf: evidence_quote(doc, scores.get(leaf)) for leaf in decision.leaves}
            choice = Choice(decision.leaves[0], decision.leaves, evidence)
        kind = kind_of(doc, self.taxonomy.level_of(choice.primary), choice.primary)
        analysis = Analysis(doc, scores, signal, choice, kind, relevant, confidence, rule_leaves)
        with self._lock:
            self._recent[key] = analysis
            if len(self._recent) > _CACHE_SIZE:
                self._recent.popitem(last=False)
        return analysis

    def screen(self, title: str, abstract: str) -> dict[str, Any]:
        """Relevance and kind: {"relevant": bool, "kind": str, "reason": str}."""
        a = self.analyse(title, abstract)
        top = a.choice.primary if a.scores.get(a.choice.primary, None) else None
        answer: dict[str, Any] = {
            "relevant": a.relevant,
            "kind": a.kind,
            "reason": reason(a.signal, top, title, a.relevant),
        }
        if a.confidence is not None:
            answer["confidence"] = a.confidence
        return answer

    def classify(self, title: str, abstract: str) -> dict[str, Any]:
        """Primary leaf, 1-4 leaves and a verbatim quote per leaf."""
        a = self.analyse(title, abstract)
        return {
            "primary": a.choice.primary,
            "leaves": list(a.choice.leaves),
            "evidence": [
                {"leaf": leaf, "quote": a.choice.evidence[leaf]} for leaf in a.choice.leaves
            ],
        }

    def extract(self, title: str, abstract: str) -> dict[str, Any]:
        """Techniques, models, hardware and results (numbers quoted verbatim)."""
        a = self.analyse(title, abstract)
        return extract_facts(a.doc, a.scores, a.choice.leaves)
