"""Section titles for clusters of papers: the contribution noun phrase most members share.

BERTopic names a topic by the class-based TF-IDF of its words (optionally of n-grams, or of
part-of-speech patterns such as adjectives + nouns); TnT-LLM asks a model for a short label
that covers the cluster. Without a tagger, the local model approximates noun phrases:

- candidates are the runs of content words (1 to 4) of titles and contribution sentences,
  broken at punctuation, function words and boilerplate ("we propose", "novel", "efficient");
  a boilerplate word that ends established terms ("learning") may end a phrase whose other
  words say what kind ("federated learning", not "deep learning" nor "learning");
- a phrase must end on a head noun. Whether a word is used as a head is measured on the corpus
  itself: a head is followed by punctuation, a preposition, a conjunction or a verb ("pruning
  of", "serving."), a modifier by another content word ("low-rank adaptation", "KV cache",
  "edge devices"); a word mostly used as a modifier, an adjective by its form ("-ive",
  "-able", "cost-effective", "resource-constrained") or a bare tool / vendor name
  ("PyTorch", "Ascend") does not end a name;
- a phrase's score weighs coverage (share of members whose title or contribution sentences
  use it) against distinctiveness (share of the papers using it that are members), as an
  F1 measure; a longer phrase takes its part's place when it keeps
  most of the part's uses among the members ("neural architecture search" over
  "architecture search");
- a phrase whose head is a setting word ("environments", "devices", "edge") names the context,
  not the contribution: the title becomes "<technique> for <setting>" when a technique phrase
  is shared too, and a second technique joins ("X and Y") only when a quarter of the members
  use it;
- the titles of a partition are chosen jointly (``SectionNamer.titles``): a phrase, and a
  head, belongs to the cluster it describes best, so two clusters never get near-duplicate
  titles ("LLM Serving", "Language Model Serving"); a word spread over many clusters
  ("architecture") gives way to a term that is the cluster's own ("Mixture-of-Experts"); a
  word mostly written inside a term ("experts") gives way to the term; and a mixed cluster
  that no phrase covers well is titled by its two main lines of work ("X and Y");
- a cluster left with a spread word ("Metrics") because the head it is about ("serving") is
  another cluster's takes that head with a modifier its own papers write with it
  ("Multi-tenant Serving", next to "LLM Serving").

Deterministic: sorted vocabularies, ties broken by the phrase.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pipeline.local_model.text import Document

# Words that never start, end or sit inside a name: English function words and the boilerplate
# of abstracts (what a paper does, how good it is), not the objects it is about.
_BOILERPLATE = {
    "paper", "propose", "proposed", "proposes", "approach", "approaches", "method", "methods",
    "result", "results", "show", "shows", "novel", "new", "existing", "work", "works", "study",
    "studies", "achieve", "achieves", "achieving", "achieved", "significant", "significantly",
    "improve", "improves", "improved", "improving", "compared", "state-of-the-art", "state",
    "art", "demonstrate", "demonstrates", "experiments", "experimental", "introduce",
    "introduces", "present", "presents", "code", "available", "github", "https", "com",
    "however", "also", "key", "various", "different", "extensive", "comprehensive",
    "effective", "effectively", "efficient", "efficiently", "efficiency", "high", "higher",
    "highly", "low", "lower", "better", "best", "good", "fast", "faster", "simple", "scalable",
    "lightweight", "accurate", "robust", "flexible", "unified", "general", "generic", "large",
    "larger", "small", "smaller", "recent", "modern", "traditional", "conventional", "current",
    "practical", "real", "world", "real-world", "important", "critical", "crucial",
    "first", "second", "third", "towards", "toward", "via", "using", "used", "use", "based",
    "leveraging", "leverages", "leverage", "enable", "enables", "enabling", "allows",
    "called", "named", "dubbed", "aim", "aims", "focus", "focuses", "address", "addresses",
    "addressing", "explore", "explores", "investigate", "investigates", "provide", "provides",
    "develop", "develops", "developed", "design", "designs", "designed", "make", "makes",
    "making", "reduce", "reduces", "reducing", "maintaining", "including", "particularly",
    "specifically", "notably", "respectively", "outperforms", "outperform", "outperforming",
    "overall", "additionally", "furthermore", "finally", "substantially", "substantial",
    "remarkable", "strong", "able", "capable", "typically", "often", "way", "ways", "set",
    "sets", "number", "variety", "range", "wide", "times", "x", "up", "lead", "leading",
    "end", "end-to-end", "like", "given", "multiple", "single", "possible",
    "improvement", "improvements", "speedup", "speedups", "accuracy", "performance",
    "tasks", "task", "challenge", "challenges", "problem", "problems", "issue", "issues",
    "technique", "techniques", "strategy", "strategies", "solution", "solutions",
    "framework", "frameworks", "scheme", "paradigm", "pipeline", "perspective", "insights",
    "analysis", "evaluation", "survey", "review", "overview", "report", "technical",
    "benchmark", "benchmarks", "dataset", "datasets", "baseline", "baselines", "impact",
    "understanding", "potential", "gap", "aspects", "ensuring", "effectiveness",
    "considerations", "directions", "direction", "future", "research", "llm", "llms",
    "ai", "dnn", "dnns", "cnn", "cnns", "model", "models", "network", "networks", "neural",
    "deep", "machine", "learning", "language", "data", "time", "cost", "costs", "quality",
    "while", "within", "across", "without", "enhanced", "enhancing", "enhance", "achievable",
    "previous", "prior", "rapid", "rapidly", "growing", "increasing", "increasingly",
    "emerging", "widely", "recently", "promising", "open", "source", "open-source",
}  # fmt: skip
# Words that may sit inside a longer name but never end one
# ("neural architecture search", "language model serving", "deep learning compilers").
_INNER_ONLY = {
    "model", "models", "network", "networks", "neural", "deep", "machine", "language", "data",
    "time", "llm", "llms", "ai", "dnn", "dnns", "cnn", "cnns",
}  # fmt: skip
# Words of the field's boilerplate that end established terms ("federated learning",
# "reinforcement learning", "contrastive learning"), though alone, or after the field's own words
# ("deep learning", "machine learning"), they name nothing: they may end a phrase of several
# words whose other words say what kind (``_term``), and still break runs of content words.
_TERM_ENDS = {"learning"}
# Heads that name where a technique runs rather than what it is: a name of their own only
# as the context ("<technique> for edge devices").
SETTING_HEADS = {
    "environment", "environments", "setting", "settings", "scenario", "scenarios",
    "device", "devices", "platform", "platforms", "edge", "cloud", "constraints",
    "conditions", "contexts", "applications", "domains", "phones", "microcontrollers",
}  # fmt: skip
# Words after which the previous content word ended its phrase (it was used as a head).
_HEAD_FOLLOWERS = {
    "of", "for", "in", "on", "with", "via", "by", "from", "under", "to", "and", "or", "is",
    "are", "was", "were", "has", "have", "can", "that", "which", "at", "as", "into", "over",
    "through", "while", "without", "across", "between", "among", "against", "beyond",
}  # fmt: skip
# Words after which a content word is a verb.
_SUBJECTS = {"we", "it", "which", "that", "they", "also", "this", "to"}
# Forms of English adjectives (and hyphenated compounds ending in a participle or adjective).
_ADJECTIVE_ENDINGS = (
    "ive", "able", "ible", "ous", "ful", "less", "ic", "ical", "ent", "ant", "ary", "ial",
    "ed", "ly", "aware", "free", "friendly", "wise", "like", "level", "grained", "scale",
)  # fmt: skip
_ADVERB_ENDINGS = (
    "ally", "ely", "tly", "ously", "ably", "ibly", "edly", "ingly", "rly", "ssly", "fully",
)  # fmt: skip
# Last parts of hyphenated adjectives.
_COMPOUND_ADJECTIVES = {
    "level", "aware", "free", "friendly", "based", "grained", "scale", "wise", "effective",
    "constrained", "efficient", "oriented", "driven", "like", "specific", "intensive", "bound",
}  # fmt: skip
_NOUN_ENDINGS = ("ment", "ion", "ness", "ity", "ing", "ism", "ure", "ance", "ence", "er", "or")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]|[.,;:!?()\[\]{}\"/]")
MAX_WORDS = 4
HEAD_SHARE = 0.35  # share of a phrase's uses that end a noun phrase, for it to end a name
JOIN_COVERAGE = 0.25  # share of members a second phrase needs to join the name
JOIN_SCORE = 0.75  # ... and this share of the first phrase's score
NEAR_BEST = 0.97  # phrases scoring this share of the best compete on coverage
MULTIWORD = 1.2  # score bonus per extra word (up to two)
JOIN_PRECISION = 0.4  # share of a joining phrase's papers that must be members
LONGER_KEEPS = 0.6  # a longer phrase replaces its part when it covers this share of its uses
# A cluster none of whose own phrases covers this share of its members is mixed (a survey would
# title it by its two main lines of work): its name joins the two phrases covering most of it.
MIXED_COVERAGE = 0.2
LINE_OF_WORK = 3  # papers a second phrase needs in a mixed cluster (a pair is no line of work)
OWN_TERM = 0.5  # share of a term's papers in the cluster for it to precede a spread word
# A cluster titled by a spread word ("Metrics": most of its papers in other clusters) because
# the head it is about ("serving") is another's may take that head with a modifier of its own
# ("Multi-tenant Serving"): the modifier's papers, at least this many, are mostly the
# cluster's (OWN_TERM). Two papers suffice here: the alternative is a word naming no topic.
QUALIFIED_PAPERS = 2
# Inner parts of hyphenated terms ("Mixture-of-Experts", "Text-to-Speech"), which no tool or
# vendor name has: such a term written capitalised is a term, not a name.
_TERM_PARTS = {"of", "to", "in", "on", "for", "and", "the", "by", "at", "with"}


def stop_words(extra: set[str]) -> set[str]:
    """scikit-learn's English stop words plus ``extra`` (induce's vectorisers use it too)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return set(ENGLISH_STOP_WORDS) | extra


class SectionNamer:
    """Noun phrases of the corpus, how each word is used, and the papers each phrase is in."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = list(docs)
        self.stop = stop_words(_BOILERPLATE)
        self.breaks = self.stop - _INNER_ONLY  # words that end a run of content words
        self.heads: Counter[str] = Counter()  # word -> uses that end a phrase
        self.modifiers: Counter[str] = Counter()  # word -> uses followed by a content word
        self.forms: dict[str, Counter[str]] = {}  # word -> its spellings mid-sentence
        self.uses: Counter[str] = Counter()  # word -> uses in abstracts
        self.verb_uses: Counter[str] = Counter()  # word -> uses right after a subject
        for doc in self.docs:
            for sentence in doc.sentences:
                self._count_uses(sentence.text)
                if not sentence.in_title:  # titles capitalise every word
                    self._count_verbs(sentence.text)
        papers: dict[str, set[int]] = {}
        self.written: dict[str, Counter[str]] = {}  # phrase -> its forms as written
        for i, doc in enumerate(self.docs):
            text = [s.text for s in doc.sentences if s.in_title or s.contribution] or [doc.title]
            for t in text:
                for key, form in self._phrases(t):
                    papers.setdefault(key, set()).add(i)
                    self.written.setdefault(key, Counter())[form] += 1
        self.papers = {p: frozenset(ids) for p, ids in sorted(papers.items())}
        # Terms joined by a function word, by their last part: "expert" -> mixture-of-expert.
        self.terms_ending: dict[str, list[str]] = {}
        for phrase in self.papers:
            parts = phrase.split("-")
            if " " not in phrase and len(parts) > 2 and _TERM_PARTS & set(parts[1:-1]):
                self.terms_ending.setdefault(parts[-1], []).append(phrase)
        # A phrase's key is singular ("mixture-of-expert"): its spellings are those of every
        # word with that key ("Mixture-of-Experts").
        self.key_forms: dict[str, Counter[str]] = {}
        for word, forms in sorted(self.forms.items()):
            self.key_forms.setdefault(phrase_key(word), Counter()).update(forms)

    # ------------------------------------------------------------------ word statistics
    def _count_uses(self, text: str) -> None:
        """Counts, for every phrase of 1 to 4 content words, the uses that end a phrase and
        those followed by another content word (the phrase then modifies a longer one)."""
        tokens = _TOKEN.findall(text)
        start = 0  # where the current run of content words began
        for j, token in enumerate(tokens):
            word = token.lower()
            if word in _TERM_ENDS and j > start:
                self._count_term_end(tokens, start, j)
            if not word[0].isalpha() or word in self.breaks:
                start = j + 1
                continue
            if j > 0:  # the spelling mid-sentence tells a name ("PyTorch") from a word
                self.forms.setdefault(word, Counter())[token] += 1
            counter = self._role_counter(tokens, j)
            if counter is None:
                continue  # followed by "the", "we", ...: says nothing
            for first in range(max(start, j - MAX_WORDS + 1), j + 1):
                if first == j == 0:
                    continue  # a sentence opener ("Importantly,") says nothing of its role
                counter[phrase_key(" ".join(tokens[first : j + 1]))] += 1

    def _role_counter(self, tokens: list[str], j: int) -> Counter[str] | None:
        """Where a phrase ending on tokens[j] counts: as a head when punctuation or a head
        follower comes next, as a modifier before another content word, nowhere otherwise."""
        after = tokens[j + 1].lower() if j + 1 < len(tokens) else "."
        if not after[0].isalpha() or after in _HEAD_FOLLOWERS:
            return self.heads
        if after not in self.breaks:
            return self.modifiers
        return None

    def _count_term_end(self, tokens: list[str], start: int, j: int) -> None:
        """Counts the uses of the phrases ending on a term end ("federated learning"), whose
        run of content words began at ``start``, as a head or a modifier like any phrase's."""
        counter = self._role_counter(tokens, j)
        if counter is None:
            return
        for first in range(max(start, j - MAX_WORDS + 1), j):
            counter[phrase_key(" ".join(tokens[first : j + 1]))] += 1

    def _count_verbs(self, text: str) -> None:
        """Uses of a word right after a subject: a pronoun, a relative ("a compiler that
        applies") or a name written capitalised ("FuseX fuses")."""
        tokens = _TOKEN.findall(text)
        for j, token in enumerate(tokens):
            word = token.lower()
            if not word[0].isalpha() or word in self.stop:
                continue
            self.uses[word] += 1
            before = tokens[j - 1] if j else ""
            name = before[:1].isupper() and not before.isupper() and before.lower() not in self.stop
            if before.lower() in _SUBJECTS or name:
                self.verb_uses[word] += 1

    def starts_phrase(self, word: str) -> bool:
        """Not mostly a verb ("applies", "fuses"): a name starts on a noun or a modifier."""
        return self.verb_uses[word] < 0.5 * max(1, self.uses[word])

    def head_share(self, phrase: str) -> float:
        """How often the phrase ends where it is used, smoothed towards its last word's share
        (or, for a word, towards what its form suggests)."""
        words = phrase.split()
        if len(words) > 1:
            prior = self.head_share(words[-1])
        else:
            prior = 0.5
            last = phrase.rsplit("-", 1)[-1]
            if last.endswith(_NOUN_ENDINGS) or last.endswith("s"):
                prior = 0.7
            if _adjective_form(phrase):
                prior = 0.2
        if len(words) == 1 and phrase.endswith(_ADVERB_ENDINGS):
            return 0.0  # "importantly", "specifically": adverbs end no noun phrase
        heads, modifiers = self.heads[phrase], self.modifiers[phrase]
        return (heads + 2 * prior) / (heads + modifiers + 2)

    def is_head(self, phrase: str) -> bool:
        """Used as the end of a noun phrase: seen ending one at least twice, and not mostly
        followed by the noun it modifies (an established compound such as "KV cache" is
        followed by more nouns about a third of the time, "edge" or "low-rank" almost always)."""
        return self.heads[phrase] >= 2 and self.head_share(phrase) >= HEAD_SHARE

    def is_vendor(self, word: str) -> bool:
        """A tool, vendor, model or chip name: written capitalised mid-sentence (not an
        acronym, which names a technique: NAS, KV), or with inner capitals (PyTorch, vLLM).
        ``word`` is a word or its key; a hyphenated term joined by a function word
        ("Mixture-of-Experts", "Text-to-Speech") is a term even when capitalised."""
        forms = self.key_forms.get(phrase_key(word))
        if not forms or _TERM_PARTS & set(word.split("-")[1:-1]):
            return False
        total = sum(forms.values())
        inner = sum(n for f, n in forms.items() if _inner_capitals(f))
        # Capitalised like a name ("Ascend"), not like an acronym with a small letter ("MoE").
        capital = sum(n for f, n in forms.items() if f[:1].isupper() and not _acronym(f))
        return inner >= 0.5 * total or capital >= 0.8 * total

    # ------------------------------------------------------------------------- phrases
    def _phrases(self, text: str) -> Iterable[tuple[str, str]]:
        """(key, form as written) of each candidate phrase of the text."""
        run: list[str] = []
        for token in [*_TOKEN.findall(text), "."]:
            word = token.lower()
            if word[0].isalpha() and word not in self.breaks:
                run.append(token)
                continue
            for size in range(1, MAX_WORDS + 1):
                for start in range(len(run) - size + 1):
                    words = run[start : start + size]
                    if words[-1].lower() in _INNER_ONLY:
                        continue  # "neural architecture search", not "large language model"
                    yield phrase_key(" ".join(words)), " ".join(map(_case, words))
            if word in _TERM_ENDS:  # "federated learning", not "deep learning" nor "learning"
                for start in range(max(0, len(run) - MAX_WORDS + 1), len(run)):
                    words = [*run[start:], token]
                    if _term(" ".join(words)):
                        yield phrase_key(" ".join(words)), " ".join(map(_case, words))
            run = []

    def surface(self, phrase: str) -> str:
        """The phrase as the papers write it most often (acronyms and names keep capitals)."""
        forms = self.written.get(phrase)
        return min(forms, key=lambda f: (-forms[f], f)) if forms else phrase

    def nameable(self, phrase: str) -> bool:
        """Ends on a head noun that is not a tool or vendor name, and starts on no vendor."""
        words = phrase.split()
        if any(c.isdigit() for c in words[-1]) or len(words[-1]) < 2:
            return False
        if "-" in words[-1] and words[-1].rsplit("-", 1)[1] in _COMPOUND_ADJECTIVES:
            return False  # "model-level", "cost-effective", "hardware-aware"
        return (
            self.is_head(phrase)
            and self.starts_phrase(words[0])
            and not self.is_vendor(words[-1])
            and not (len(words) == 1 and self.is_vendor(words[0]))
        )

    def setting(self, phrase: str) -> bool:
        return phrase.split()[-1] in SETTING_HEADS or phrase.split()[0] in SETTING_HEADS

    def ranked(self, members: Sequence[int], exclude: Iterable[str] = ()) -> list[str]:
        """Nameable phrases of the members, best first (see ``scores``)."""
        score = self.scores(members, exclude)
        return sorted(score, key=lambda p: (-score[p], p.count(" "), p))

    def scores(self, members: Sequence[int], exclude: Iterable[str] = ()) -> dict[str, float]:
        """Nameable phrases of the members and their score (coverage and precision, F1); a
        longer phrase takes its part's place when it keeps most of its uses."""
        group = set(members)
        n = max(1, len(group))
        needed = max(2, math.ceil(0.1 * n))
        banned = set(exclude)
        scores: dict[str, float] = {}
        for phrase, ids in self.papers.items():
            inside = len(ids & group)
            if inside < needed or phrase in banned or not self.nameable(phrase):
                continue
            # A phrase says more than a word, unless what it adds only rates or situates
            # ("cost-effective operator fusion" says no more than "operator fusion").
            nouns = sum(not _evaluative(w) for w in phrase.split()[:-1])
            bonus = MULTIWORD ** min(2, nouns)
            scores[phrase] = _f1(inside / len(ids), inside / n) * bonus
        for phrase in sorted(scores):
            inside = len(self.papers[phrase] & group)
            for part in _parts(phrase):
                added = [w for w in phrase.split() if w not in part.split()]
                if all(_evaluative(w) for w in added):
                    continue  # "cost-effective operator fusion" is no better a title
                if part in scores and inside >= LONGER_KEEPS * len(self.papers[part] & group):
                    scores[phrase] = max(scores[phrase], scores[part] * 1.05)
                    scores[part] *= 0.5
        return scores

    def precision(self, phrase: str, members: Sequence[int]) -> float:
        ids = self.papers.get(phrase, frozenset())
        return len(ids & set(members)) / max(1, len(ids))

    def coverage(self, phrase: str, members: Sequence[int]) -> float:
        ids = self.papers.get(phrase, frozenset())
        return len(ids & set(members)) / max(1, len(members))

    def titles(self, clusters: Sequence[Sequence[int]]) -> list[str]:
        """Section titles of a partition, chosen jointly rather than cluster by cluster. Each
        phrase belongs to the cluster it describes best (its score there: coverage against
        share of its papers, F1), and each head ("serving", "expert") to the cluster that best
        covers the papers of all its phrases ("LLM serving", "language model serving"); a
        cluster titles itself with the phrases it owns, so a phrase two clusters share names
        the one it fits best and the other is named by what sets it apart, and no two titles
        are near-duplicates (``near_duplicate``). The clusters with the most distinctive own
        phrase are named first. "" where nothing fits (the caller falls back).
        """
        from schemas.induce import restatement_key

        scores = [self.scores(members) for members in clusters]
        owner: dict[str, int] = {}
        for phrase in sorted(set().union(*scores)):
            owner[phrase] = max(
                range(len(clusters)),
                key=lambda c: (scores[c].get(phrase, 0.0), self.coverage(phrase, clusters[c]), -c),
            )
        head_papers: dict[str, set[int]] = {}
        for phrase in owner:
            for head in phrase_heads(phrase):
                head_papers.setdefault(head, set()).update(self.papers[phrase])
        head_owner = {
            head: max(range(len(clusters)), key=lambda c: (_f1_of(ids, clusters[c]), -c))
            for head, ids in sorted(head_papers.items())
        }
        own = [
            {p: v for p, v in sc.items()
             if owner[p] == c and all(head_owner[h] == c for h in phrase_heads(p))}
            for c, sc in enumerate(scores)
        ]  # fmt: skip
        order = sorted(range(len(clusters)), key=lambda c: (-max(own[c].values(), default=0), c))
        names = [""] * len(clusters)
        taken: set[str] = set()
        parts: list[str] = []
        for c in order:
            # A cluster whose phrases all describe another one better keeps its own ranking.
            name = self.title(clusters[c], taken, own[c], parts) or self.title(
                clusters[c], taken, scores[c], parts
            )
            name = self._qualified(clusters[c], name, scores[c], own[c], taken, parts) or name
            if name:
                names[c] = name
                taken.add(restatement_key(name))
                parts += title_parts(name)
        return names

    def _qualified(
        self,
        members: Sequence[int],
        name: str,
        score: dict[str, float],
        own: dict[str, float],
        taken: set[str],
        parts: list[str],
    ) -> str:
        """For a cluster titled by a spread word ("Metrics") while a phrase it covers better
        ("language model serving") is another cluster's, that phrase's head qualified by a
        modifier the cluster's papers write with it and other clusters' papers do not
        ("Multi-tenant Serving"); "" when the title is no spread word or no such modifier
        exists. The qualified head may share its head with the other cluster's title: the
        modifier is what sets the two apart."""
        from schemas.induce import restatement_key

        key = phrase_key(name) if name else ""
        if not key or key not in score or _term(key) or not self._spread(key, members):
            return ""
        lost = [p for p, v in score.items() if v > score[key] and p not in own]
        heads = {_core(p).split()[-1] for p in lost}
        qualified: dict[str, set[int]] = {}
        for phrase, ids in self.papers.items():
            words = [w for w in phrase.split() if w not in _INNER_ONLY and not _evaluative(w)]
            if (
                len(words) > 1 and words[-1] in heads and self.nameable(words[-1])
                and self.starts_phrase(words[0]) and not self.is_vendor(words[0])
            ):  # fmt: skip
                qualified.setdefault(" ".join(words), set()).update(ids)
        group = set(members)
        fits = [
            q for q, ids in sorted(qualified.items())
            if len(ids & group) >= QUALIFIED_PAPERS and len(ids & group) >= OWN_TERM * len(ids)
            and not any(phrase_heads(q) & phrase_heads(used) for used in parts)
        ]  # fmt: skip
        for q in sorted(fits, key=lambda q: (-len(qualified[q] & group), q.count(" "), q)):
            title = title_case(" ".join(self._written(w) for w in q.split()))
            if restatement_key(title) not in taken:
                return title
        return ""

    def _written(self, word: str) -> str:
        """A word as the papers write it mid-sentence, capitals kept only for acronyms and
        names ("KV", "multi-tenant")."""
        forms = self.forms.get(word)
        return _case(min(forms, key=lambda f: (-forms[f], f))) if forms else word

    def title(
        self,
        members: Sequence[int],
        taken: set[str],
        candidates: dict[str, float] | None = None,
        parts: Iterable[str] = (),
    ) -> str:
        """The members' section title (its key not in ``taken``, none of its phrases a near
        duplicate of one of ``parts``), or "" when nothing fits: "<technique> for <setting>",
        "<technique> and <technique>", one phrase, or a setting of the members' own. Phrases
        come from ``candidates`` (phrase -> score; by default ``scores(members)``). Among the
        phrases scoring near the best, the one covering most members comes first."""
        from schemas.induce import restatement_key

        used_parts = list(parts)
        score = {
            p: v
            for p, v in (self.scores(members) if candidates is None else candidates).items()
            if not any(near_duplicate(p, used) for used in used_parts)
        }
        if not score:
            return ""
        best = max(score.values())
        ranked = sorted(
            score,
            key=lambda p: (
                score[p] < NEAR_BEST * best,
                -self.coverage(p, members),
                -score[p],
                p.count(" "),
                p,
            ),  # fmt: skip
        )
        techniques = [p for p in ranked if not self.setting(p)]
        settings = [p for p in ranked if self.setting(p)]
        # A word most of whose papers are in other clusters ("architecture", "training") is
        # what the field is about rather than what the section is: it comes after the terms
        # that are mostly the members' own ("Mixture-of-Experts", "vision transformer").
        # A word the papers mostly write inside a term ("experts" of "Mixture-of-Experts")
        # is a fragment of it and comes last.
        fragments = [p for p in techniques if self.fragment(p)]
        techniques = [p for p in techniques if p not in fragments]
        own_terms = [p for p in techniques if _term(p) and self.precision(p, members) >= OWN_TERM]
        if own_terms:
            spread = [p for p in techniques if self._spread(p, members)]
            techniques = [p for p in techniques if p not in spread] + spread
        techniques += fragments

        own_settings = [p for p in settings if _term(p) and self.precision(p, members) >= OWN_TERM]

        def joins(phrase: str, first: str) -> bool:
            return not _restates(phrase, first) and (
                self.coverage(phrase, members) >= JOIN_COVERAGE
            )

        for first in techniques[:6] or settings[:1]:
            name = title_case(self.surface(first))
            # The setting it is about ("for edge devices"), or a second technique as shared
            # and nearly as distinctive; a second single word ("Budget") makes a list.
            context = next(
                (s for s in settings[:3] if joins(s, first) and score[s] >= 0.5 * score[first]),
                None,
            )
            second = next(
                (p for p in techniques[1:4] if " " in p and joins(p, first)
                 and score[p] >= JOIN_SCORE * score[first]
                 and self.precision(p, members) >= JOIN_PRECISION),
                None,
            )  # fmt: skip
            if second is None and self.coverage(first, members) < MIXED_COVERAGE:
                second = self._other_line(first, techniques, members)
            # A setting that is the members' own term and outscores the technique names the
            # section alone ("Mobile Devices", not "Domain for Mobile Devices").
            alone = next((s for s in own_settings if score[s] >= score[first]), None)
            if alone is not None and first not in own_terms:
                name, context, second = title_case(self.surface(alone)), None, None
            if context is not None and first in techniques:
                name = f"{name} for {title_case(self.surface(context))}"
            elif second is not None:
                name = f"{name} and {title_case(self.surface(second))}"
            if restatement_key(name) not in taken:
                return name
        return ""

    def fragment(self, word: str) -> bool:
        """A single word that ends a term joined by a function word ("Mixture-of-Experts")
        in at least half as many papers as use the word."""
        if _term(word):
            return False
        whole: set[int] = set()
        for term in self.terms_ending.get(word, ()):
            whole |= self.papers[term]
        return len(whole) >= 0.5 * len(self.papers.get(word, ()))

    def _spread(self, phrase: str, members: Sequence[int]) -> bool:
        """A single word most of whose papers are outside the members."""
        return not _term(phrase) and self.precision(phrase, members) < JOIN_PRECISION

    def _other_line(self, first: str, techniques: list[str], members: Sequence[int]) -> str | None:
        """For a mixed cluster, the phrase covering most of the members ``first`` does not
        (mostly members' papers, not restating it); None when no such phrase exists."""
        rest = set(members) - self.papers[first]
        others = [
            p for p in techniques
            if p != first and _term(p) and not _restates(p, first)
            and self.precision(p, members) >= JOIN_PRECISION
            and len(self.papers[p] & rest) >= max(LINE_OF_WORK, math.ceil(0.1 * len(members)))
        ]  # fmt: skip
        return min(others, key=lambda p: (-len(self.papers[p] & rest), p), default=None)

    def family(self, group: Sequence[int], leaf_name: str, taken: set[str]) -> str:
        """A sub-approach of a leaf: the group's best phrase that does not restate the leaf's
        name nor a family already named, multiword first; "" when none is shared."""
        ranked = self.ranked(group)
        for phrase in sorted(ranked, key=lambda p: " " not in p):  # stable: phrases first
            name = title_case(self.surface(phrase))
            if not _restates(phrase, leaf_name.lower()) and phrase_key(name) not in taken:
                return name
        return ""


def phrase_key(text: str) -> str:
    """Lower case, the last word singular: "Hardware Accelerators" -> "hardware accelerator"."""
    words = text.lower().split()
    last = words[-1]
    if len(last) > 3 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return " ".join([*words[:-1], last])


def phrase_heads(phrase: str) -> set[str]:
    """What a phrase names once the words any model-efficiency paper may add ("LLM", "language
    model", "neural") are dropped, and for a term joined by a function word its last part:
    "language model serving" and "LLM serving" -> serving; "Mixture-of-Experts" ->
    mixture-of-expert, expert. Two titles sharing one are near-duplicates."""
    core = _core(phrase)
    heads = {core}
    parts = core.split()[-1].split("-")
    if len(parts) > 2 and _TERM_PARTS & set(parts[1:-1]):
        heads.add(phrase_key(parts[-1]))
    return heads


def near_duplicate(a: str, b: str) -> bool:
    """Phrases (keys) that would title the same section: the same heads, one the other's
    initials ("MoE"), or a single word that is the other's head noun ("Pruning", "Structured
    Pruning")."""
    ha, hb = phrase_heads(a), phrase_heads(b)
    if ha & hb or _abbreviates(a, b):
        return True
    pairs = [(h, g) for h in ha for g in hb] + [(g, h) for h in ha for g in hb]
    return any(" " not in word and word == other.split()[-1] for word, other in pairs)


def title_parts(name: str) -> list[str]:
    """The phrases of a title ("Pruning for Edge Devices" -> pruning, edge device)."""
    return [phrase_key(part) for part in re.split(r" and | for ", name) if part]


def _f1_of(ids: Iterable[int], members: Sequence[int]) -> float:
    inside = len(set(ids) & set(members))
    return _f1(inside / max(1, len(set(ids))), inside / max(1, len(members))) if inside else 0.0


def _core(phrase: str) -> str:
    """The phrase's key without the words any paper of the field may add ("LLM", "model")."""
    words = phrase_key(phrase).split()
    return phrase_key(" ".join([w for w in words if w not in _INNER_ONLY] or words[-1:]))


def _term(phrase: str) -> bool:
    """Several words or a hyphenated compound, besides the field's own words ("LLM
    deployment" is no more a term than "deployment"): says more than a word."""
    core = _core(phrase)
    return " " in core or "-" in core


def _evaluative(word: str) -> bool:
    """A hyphenated adjective that rates or situates rather than classifies ("cost-effective",
    "hardware-aware", "model-level"), unlike "homomorphic" or "structured"."""
    return "-" in word and word.rsplit("-", 1)[1] in _COMPOUND_ADJECTIVES


def _adjective_form(word: str) -> bool:
    last = word.rsplit("-", 1)[-1]
    return last.endswith(_ADJECTIVE_ENDINGS) and not last.endswith(("ing", "ment", "ion"))


def _acronym(form: str) -> bool:
    """Written mostly in capitals: "NAS", "MoE", "LoRA" (not "Ascend", "PyTorch")."""
    letters = [c for c in form if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 0.5 * len(letters)


def _inner_capitals(form: str) -> bool:
    """A name written with capitals inside (PyTorch, DeepSpeed), not an acronym with a small
    letter or two (MoE, LoRA) nor a hyphenated compound (Mixture-of-Experts)."""
    letters = [c for c in form if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    inner = any(c.isupper() for c in form[1:])
    return inner and "-" not in form and upper < 0.5 * len(letters)


def _case(word: str) -> str:
    """A word as a title writes it: acronyms and names keep their capitals, others are lower."""
    keep = (word.isupper() and len(word) > 1) or any(c.isupper() for c in word[1:])
    return word if keep else word.lower()


def _f1(precision: float, coverage: float) -> float:
    """Harmonic mean of coverage (share of the members using the phrase) and precision (share
    of the papers using it that are members): a title covers its section and only it."""
    return 2 * precision * coverage / (precision + coverage)


def _parts(phrase: str) -> list[str]:
    words = phrase.split()
    return [
        " ".join(words[i : i + size])
        for size in range(1, len(words))
        for i in range(len(words) - size + 1)
    ]


def _restates(a: str, b: str) -> bool:
    """Phrases that share a word stem, or one of which abbreviates the other ("PTQ")."""
    stems = {w[:6] for w in re.split(r"[\s\-]+", a) if len(w) > 2}
    if any(w[:6] in stems for w in re.split(r"[\s\-]+", b) if len(w) > 2):
        return True
    return _abbreviates(a, b)


def _abbreviates(a: str, b: str) -> bool:
    """One phrase is the other's initials ("PTQ", "MoE")."""
    for short, long in ((a, b), (b, a)):
        initials = "".join(part[0] for part in re.split(r"[\s\-]+", long) if part)
        if " " not in short and len(short) > 1 and short in {initials, initials + "s"}:
            return True
    return False


def title_case(text: str) -> str:
    small = {"and", "of", "for", "in", "on", "the", "a", "an", "to", "with"}
    return " ".join(
        w if (any(c.isupper() for c in w) or (i and w in small)) else w[:1].upper() + w[1:]
        for i, w in enumerate(text.split())
    )
