"""The one seam for models: every stage asks through ``Seam.ask``.

``ask`` renders the stage's prompt, looks each paper's answer up in the cache, and sends the
misses — several papers per call — to the model through litellm with instructor (response model
validated with the paper and the taxonomy as context). Transient provider errors are retried with
tenacity; invalid answers are re-asked by instructor with the validator's message; an item of a
multi-paper call that fails validation is re-asked alone. Validated answers are cached per paper.
litellm is imported only when a call is actually needed, so a fully cached run never pays for it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import random
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.errors import BudgetExceeded, ProviderFatal, ReplayMiss
from pipeline.local_model.keys import key_view
from pipeline.local_model.registry import register_taxonomy
from pipeline.seam.answers import (
    Answer,
    Miss,
    answer_record,
    cached_value,
    digest,
    index_entry,
    key_messages,
    why,
)
from pipeline.seam.budget import Budget, Estimate
from pipeline.seam.cache import AnswerCache, cache_key
from pipeline.seam.context import (
    SAFETY,
    BatchCutter,
    check_ceiling,
    context_overflow,
    input_tokens,
    item_tokens,
)
from pipeline.seam.prompts import Prompt, load_prompt
from pipeline.seam.ratelimit import RateLimiter
from pipeline.seam.request import (
    Listener,
    ModelRequest,
    loose_batch,
    model_request,
    numbered,
    strict_batch,
)
from pipeline.seam.retry import (
    backoff_seconds,
    fatal_errors_stop,
    is_transient,
    short_error,
)
from pipeline.seam.settings import AskSettings, ModelConfig, answer_tokens
from pipeline.seam.workers import WorkerPool, model_ref, worker_pool
from schemas.run import FailedPaper, StageStats
from schemas.stages import STAGE_MODELS
from schemas.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

# Requests of a model that may fail (after all their retries) before any has succeeded, before
# the run stops as an outage instead of failing every paper one by one.
OUTAGE_REQUESTS = 3


@functools.cache
def _schema_digest(model: type[BaseModel]) -> str:
    """Digest of a response model's JSON schema (pydantic recomputes the schema on every call)."""
    return digest(model.model_json_schema())


class Seam:
    """Asks models for stage answers; owns the cache, retries, budget and per-stage counts."""

    def __init__(
        self,
        cache: AnswerCache,
        taxonomy: Taxonomy,
        models: dict[str, ModelConfig],
        settings: AskSettings | None = None,
        prompt_loader: Callable[[str], Prompt] = load_prompt,
    ):
        self.cache = cache
        self.taxonomy = taxonomy
        self.models = models
        self.settings = settings or AskSettings()
        # progress(stage, planned, done): called as papers are planned and answered.
        self.progress: Callable[[str, int, int], None] | None = None
        self._prompt_loader = prompt_loader
        self.stats: dict[str, StageStats] = {}
        self.failures: list[FailedPaper] = []
        self.estimates: dict[str, Estimate] = {}
        self.budget = Budget(self.settings.max_cost)
        self._rng = random.Random(0)
        self._semaphore = asyncio.Semaphore(max(1, self.settings.concurrency))
        self._limiter = RateLimiter(self.settings.requests_per_minute)
        register_taxonomy(taxonomy)  # the embedded model finds it by the hash in its prompt
        self._preflight_task: asyncio.Future[None] | None = None
        self._succeeded: dict[str, bool] = {}
        self._failed_requests: dict[str, int] = {}

    # ----------------------------------------------------------------------------------- public
    def config(self, stage: str) -> ModelConfig:
        return self.models.get(stage) or self.models.get("default") or ModelConfig()

    async def ask(
        self,
        stage: str,
        papers: list[dict[str, str]],
        on_batch: Callable[[dict[str, Answer], bool], None] | None = None,
    ) -> dict[str, Answer]:
        """Validated answers of ``stage`` for papers ({paper_id, title, abstract}), by paper id.

        ``on_batch(answers, cached)`` is called with the cache hits and as each request
        finishes, so a caller can start the next stage before this one is done. Requests start
        while the rest of the papers are still being looked up in the cache; batches are the
        misses in paper-id order, ``batch_size`` at a time.
        """
        config = self.config(stage)
        prompt = self._prompt_loader(stage)
        item_model = STAGE_MODELS[stage]
        stats = self.stats.setdefault(stage, StageStats(model=config.model))
        stats.papers += len(papers)
        self._report_progress(stage, len(papers), 0)
        schema_digest = _schema_digest(item_model)
        answers: dict[str, Answer] = {}
        misses: list[Miss] = []
        parameters = config.parameters()
        dispatch = not (self.settings.replay or self.settings.dry_run)
        as_batch = self.settings.batch  # --batch: every miss goes in one provider batch
        tasks: list[asyncio.Future[dict[str, Answer]]] = []
        cutter: BatchCutter[Miss] = BatchCutter(config.batch_size, self.room(stage))
        chunks: list[list[Miss]] = []  # --batch: the requests, cut as the normal path cuts them

        async def run(batch: list[Miss]) -> dict[str, Answer]:
            result = await self._ask_batch(stage, config, prompt, item_model, batch)
            self._report_progress(stage, 0, len(batch))
            if on_batch is not None:
                on_batch(result, False)
            return result

        try:
            for paper in sorted(papers, key=lambda p: p["paper_id"]):
                key, taxonomy_digest = self._keyed(stage, paper, item_model)
                # Cached answers pass the same checks as fresh ones (an imported cache is input).
                context = {"papers": {paper["paper_id"]: paper}, "taxonomy": self.taxonomy}
                value = cached_value(self.cache.get(key), item_model, context)
                if value is not None:
                    stats.cache_hits += 1
                    answers[paper["paper_id"]] = Answer(paper["paper_id"], value, cached=True)
                    continue
                fingerprint = self._fingerprint(
                    parameters, prompt, paper, schema_digest, taxonomy_digest
                )
                reason = why(self.cache, stage, config.model, fingerprint, new="new paper")
                stats.why[reason] = stats.why.get(reason, 0) + 1
                misses.append((paper, key, fingerprint))
                for batch in cutter.add(misses[-1], item_tokens(paper)):
                    if dispatch and as_batch:
                        chunks.append(batch)  # sent together below, as one provider batch
                    elif dispatch:
                        tasks.append(asyncio.ensure_future(run(batch)))
                        await asyncio.sleep(0)  # let the request start before the next lookups
        except BaseException:  # nothing may keep running for a lookup that failed
            for task in tasks:
                task.cancel()
            raise
        rest = cutter.flush()
        if dispatch and rest and as_batch:
            chunks.append(rest)
        elif dispatch and rest:
            tasks.append(asyncio.ensure_future(run(rest)))
        self._report_progress(stage, 0, len(answers))
        if on_batch is not None:
            on_batch(dict(answers), True)
        if not misses:
            return answers
        if self.settings.replay:
            first = misses[0][0]
            raise ReplayMiss(
                f"--replay: {len(misses)} answer(s) of stage '{stage}' for model "
                f"'{config.model}' are not in the cache (first: {first['title'][:80]!r}). "
                "Run without --replay to ask the model, or load recorded answers with "
                "`taxonomist cache import FILE`."
            )
        if self.settings.dry_run:
            estimate = self.estimates.setdefault(stage, Estimate())
            sizer: BatchCutter[dict[str, str]] = BatchCutter(cutter.size, cutter.room)
            planned = [b for item, _, _ in misses for b in sizer.add(item, item_tokens(item))]
            for papers_of_call in [*planned, sizer.flush()]:
                if papers_of_call:
                    messages = prompt.render(
                        self.taxonomy, numbered(list(papers_of_call)), config.embedded
                    )
                    estimate.add_request(
                        stage, config.model, messages, len(papers_of_call), as_batch
                    )
            return answers

        results = list(await asyncio.gather(*tasks))
        if as_batch:
            from pipeline.seam.batch import BatchRun

            result = await BatchRun(self, stage, config, prompt, item_model).run(chunks)
            self._report_progress(stage, 0, len(misses))
            if on_batch is not None:
                on_batch(result, False)
            results.append(result)
        for batch_answers in results:
            answers.update(batch_answers)
        for paper, _, _ in misses:
            answer = answers.get(paper["paper_id"])
            if answer is None or answer.value is None:
                stats.failed += 1
                error = answer.error if answer else "no answer"
                self.failures.append(
                    FailedPaper(
                        stage=stage,
                        paper_id=paper["paper_id"],
                        title=paper["title"],
                        error=error or "no answer",
                    )
                )
        return answers

    # ------------------------------------------------------------------------------- batching
    async def _ask_batch(
        self,
        stage: str,
        config: ModelConfig,
        prompt: Prompt,
        item_model: type[BaseModel],
        batch: list[Miss],
    ) -> dict[str, Answer]:
        if len(batch) == 1:
            return await self._ask_one(stage, config, prompt, item_model, batch[0])
        papers = [paper for paper, _, _ in batch]
        shown = numbered(papers)
        context = {"papers": {p["paper_id"]: p for p in shown}, "taxonomy": self.taxonomy}
        messages = prompt.render(self.taxonomy, shown, config.embedded)
        if context_overflow(config, stage, messages, len(batch)):  # split in halves until it fits
            half = len(batch) // 2
            parts = await asyncio.gather(
                self._ask_batch(stage, config, prompt, item_model, batch[:half]),
                self._ask_batch(stage, config, prompt, item_model, batch[half:]),
            )
            return {**parts[0], **parts[1]}
        position_of = {p["paper_id"]: s["paper_id"] for p, s in zip(papers, shown, strict=True)}
        answers: dict[str, Answer] = {}
        retry_alone: list[Miss] = []
        try:
            loose, usage = await self._call(
                stage, config, messages, loose_batch(item_model), None, len(batch)
            )
        except ProviderFatal:
            raise
        except Exception as exc:  # the whole call failed after retries: try each paper alone
            if not is_transient(exc) and not isinstance(exc, BudgetExceeded):
                retry_alone = list(batch)
            else:
                return {
                    p["paper_id"]: Answer(p["paper_id"], None, short_error(exc)) for p in papers
                }
            usage = {}
            loose = None
        if loose is not None:
            by_id: dict[str, dict[str, Any]] = {}
            for item in getattr(loose, "items", []):
                if isinstance(item, dict) and isinstance(item.get("paper_id"), str | int):
                    # the position as shown, or the paper's own id (accepted as well)
                    pid = position_of.get(str(item["paper_id"]), str(item["paper_id"]))
                    by_id.setdefault(pid, {**item, "paper_id": pid})
            share = {k: v / len(batch) for k, v in usage.items()}
            to_store: list[tuple[str, dict[str, Any]]] = []
            for (paper, key, fingerprint), position in zip(batch, shown, strict=True):
                item = by_id.get(position["paper_id"])
                try:
                    if item is None:
                        raise ValueError("the answer has no item for this paper")
                    value = item_model.model_validate(item, context=context)
                    value = value.model_copy(update={"paper_id": paper["paper_id"]})
                except (ValidationError, ValueError):
                    retry_alone.append((paper, key, fingerprint))
                    continue
                answers[paper["paper_id"]] = Answer(paper["paper_id"], value)
                to_store.append(
                    (key, answer_record(stage, config.model, value, share, fingerprint))
                )
                to_store.append(index_entry(stage, config.model, paper["paper_id"], fingerprint))
            self.cache.set_many(to_store)
        if retry_alone:
            self.stats[stage].reasks += len(retry_alone) if loose is not None else 0
            singles = await asyncio.gather(
                *(self._ask_one(stage, config, prompt, item_model, m) for m in retry_alone)
            )
            for single in singles:
                answers.update(single)
        return answers

    async def _ask_one(
        self,
        stage: str,
        config: ModelConfig,
        prompt: Prompt,
        item_model: type[BaseModel],
        miss: Miss,
    ) -> dict[str, Answer]:
        paper, key, fingerprint = miss
        pid = paper["paper_id"]
        shown = numbered([paper])
        # the position as shown, or the paper's own id: both name this paper
        context = {
            "papers": {shown[0]["paper_id"]: shown[0], pid: shown[0]},
            "taxonomy": self.taxonomy,
        }
        messages = prompt.render(self.taxonomy, shown, config.embedded)
        overflow = context_overflow(config, stage, messages, 1)
        if overflow:
            return {pid: Answer(pid, None, overflow)}
        try:
            answer, usage = await self._call(
                stage, config, messages, strict_batch(item_model), context, 1
            )
        except ProviderFatal:
            raise
        except Exception as exc:  # recorded as this paper's failure; the run goes on
            return {pid: Answer(pid, None, short_error(exc))}
        value = answer.items[0].model_copy(update={"paper_id": pid})  # type: ignore[attr-defined]
        self.cache.set_many(
            [
                (key, answer_record(stage, config.model, value, usage, fingerprint)),
                index_entry(stage, config.model, pid, fingerprint),
            ]
        )
        return {pid: Answer(pid, value)}

    def room(self, stage: str, fixed: dict[str, Any] | None = None) -> int:
        """Tokens left for data in a request of ``stage``: its ceiling less the fixed prompt
        (with ``fixed`` as the one document of a one-document stage)."""
        prompt = self._prompt_loader(stage)
        config = self.config(stage)
        messages = prompt.render(self.taxonomy, [] if fixed is None else [fixed], config.embedded)
        return int(config.ceiling * SAFETY) - input_tokens(stage, messages)

    def _report_progress(self, stage: str, planned: int, done: int) -> None:
        if self.progress is not None:
            self.progress(stage, planned, done)

    # ------------------------------------------------------------------- one-document stages
    def document_key(
        self, stage: str, payload: dict[str, Any], response_model: type[BaseModel]
    ) -> str:
        """The cache key of one item's answer: a paper of a paper stage, or a survey section."""
        return self._keyed(stage, payload, response_model)[0]

    def _keyed(
        self, stage: str, payload: dict[str, Any], response_model: type[BaseModel]
    ) -> tuple[str, str]:
        """The cache key of one item's answer, and a digest of what it reads of the taxonomy.

        The key covers what the model reads for this item. A remote model reads the rendered
        messages (the static system text by its digest: the instructions and the leaves it
        shows). The embedded model reads the item's own message and the parts of the taxonomy
        its answer can depend on for this item (pipeline/local_model/keys.py: for a paper, the
        leaf ids and the cues found in its text), so a taxonomy edit re-asks only the items it
        can change; its code and weights are in the key's parameters."""
        config = self.config(stage)
        prompt = self._prompt_loader(stage)
        messages = prompt.render(self.taxonomy, numbered([payload]), config.embedded)
        material: dict[str, Any] = {
            "model": config.model,
            "stage": stage,
            "prompt": prompt.hash,
            "schema": _schema_digest(response_model),
            "parameters": config.parameters(),
        }
        if config.embedded:
            view = key_view(self.taxonomy, messages)
            material["messages"] = [m for m in messages if m["role"] != "system"]
            material["taxonomy"] = view
            taxonomy = digest(view)
        else:
            material["messages"] = key_messages(messages)
            taxonomy = digest(material["messages"][0])
        return cache_key(material), taxonomy

    async def ask_document(
        self,
        stage: str,
        item_id: str,
        payload: dict[str, Any],
        response_model: type[BaseModel],
        context: dict[str, Any],
    ) -> Answer:
        """One request whose answer is one ``response_model`` (cached like paper answers)."""
        config = self.config(stage)
        prompt = self._prompt_loader(stage)
        stats = self.stats.setdefault(stage, StageStats(model=config.model))
        stats.papers += 1
        self._report_progress(stage, 1, 0)
        key, taxonomy_digest = self._keyed(stage, payload, response_model)
        cached = cached_value(self.cache.get(key), response_model, context)
        if cached is not None:
            stats.cache_hits += 1
            self._report_progress(stage, 0, 1)
            return Answer(item_id, cached, cached=True)
        fingerprint = {
            "paper_id": item_id,
            "prompt": prompt.hash,
            "taxonomy": taxonomy_digest,
            "data": digest(payload),  # the section's papers and previous text
        }
        reason = why(self.cache, stage, config.model, fingerprint, new="new section")
        stats.why[reason] = stats.why.get(reason, 0) + 1
        if self.settings.replay:
            raise ReplayMiss(
                f"--replay: the answer of stage '{stage}' for {item_id!r} (model "
                f"'{config.model}') is not in the cache. Run without --replay to ask the model, "
                "or load recorded answers with `taxonomist cache import FILE`."
            )
        messages = prompt.render(self.taxonomy, [payload], config.embedded)
        if self.settings.dry_run:
            self.estimates.setdefault(stage, Estimate()).add_request(
                stage, config.model, messages, 1
            )
            return Answer(item_id, None, "dry run")
        try:
            value, usage = await self._call(stage, config, messages, response_model, context, 1)
        except ProviderFatal:
            raise
        except Exception as exc:  # recorded as this item's failure; the run goes on
            error = short_error(exc)
            stats.failed += 1
            self.failures.append(
                FailedPaper(stage=stage, paper_id=item_id, title=item_id, error=error)
            )
            self._report_progress(stage, 0, 1)
            return Answer(item_id, None, error)
        self._report_progress(stage, 0, 1)
        self.cache.set_many(
            [
                (key, answer_record(stage, config.model, value, usage, fingerprint)),
                index_entry(stage, config.model, item_id, fingerprint),
            ]
        )
        return Answer(item_id, value)

    # ------------------------------------------------------------------------------ the call
    async def _call(
        self,
        stage: str,
        config: ModelConfig,
        messages: list[dict[str, str]],
        response_model: type[BaseModel],
        context: dict[str, Any] | None,
        n_items: int,
    ) -> tuple[BaseModel, dict[str, float]]:
        """One model request (plus re-asks and transport retries); returns value and usage."""
        stats = self.stats[stage]
        usage = {"input_tokens": 0.0, "output_tokens": 0.0, "cost_usd": 0.0}

        def on_request() -> None:
            stats.calls += 1

        def on_response(prompt_tokens: float, completion_tokens: float, cost: float | None) -> None:
            stats.input_tokens += int(prompt_tokens)
            stats.output_tokens += int(completion_tokens)
            usage["input_tokens"] += prompt_tokens
            usage["output_tokens"] += completion_tokens
            if cost is None:
                stats.cost_known = False
            else:
                stats.cost_usd = round(stats.cost_usd + cost, 8)
                usage["cost_usd"] += cost
                self.budget.charge(cost)

        def on_reask() -> None:
            stats.reasks += 1

        listener = Listener(on_request, on_response, on_reask)
        await self._preflight()
        tokens = check_ceiling(stage, config.model, config.ceiling, messages)
        stats.largest_request_tokens = max(stats.largest_request_tokens, tokens)
        async with self._semaphore:
            # The estimate of every call in flight is reserved until its bill arrives, so
            # concurrent calls cannot overshoot the budget together.
            reserved = self.budget.reserve(stage, config.model, messages, n_items)
            try:
                sized = dataclasses.replace(config, max_tokens=answer_tokens(stage, n_items))
                request = ModelRequest(sized, messages, response_model, context)
                value = await self._attempts(stage, request, listener)
            finally:
                self.budget.release(reserved)
        return value, usage

    async def _preflight(self) -> None:
        """Check every model of the run once, before its first request (seam/preflight.py)."""
        if self._preflight_task is None:
            from pipeline.seam.preflight import preflight

            configs = [self.config(stage) for stage in STAGE_MODELS] + list(self.models.values())
            self._preflight_task = asyncio.ensure_future(asyncio.to_thread(preflight, configs))
        await asyncio.shield(self._preflight_task)

    def _outage_check(self, model: str, exc: BaseException) -> None:
        """Stop the run when a model's first requests all failed after their retries.

        A provider that answers 500 (or times out) to everything would otherwise fail every paper
        one by one, each after the full retry schedule.
        """
        if self._succeeded.get(model) or not is_transient(exc):
            return
        self._failed_requests[model] = self._failed_requests.get(model, 0) + 1
        if self._failed_requests[model] >= OUTAGE_REQUESTS:
            raise ProviderFatal(
                f"model {model!r} failed its first {OUTAGE_REQUESTS} requests, each after "
                f"{self.settings.retry.attempts} attempts (last: {short_error(exc)}): the "
                "provider or server looks down; check it and run again. Nothing was published; "
                "answers finished so far are cached."
            ) from None

    async def _attempts(self, stage: str, request: ModelRequest, listener: Listener) -> BaseModel:
        """One request with tenacity's transport retries (instructor re-asks inside)."""
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

        policy = self.settings.retry
        stats = self.stats[stage]

        def wait(state: Any) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return backoff_seconds(policy, state.attempt_number, exc or Exception(), self._rng)

        def before_sleep(_: Any) -> None:
            stats.retries += 1

        config = request.config
        pool = self._pool(config, request.response_model)
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception(is_transient),
                stop=stop_after_attempt(max(1, policy.attempts)),
                wait=wait,
                before_sleep=before_sleep,
                reraise=True,
            ):
                with attempt, fatal_errors_stop(config.model):
                    await self._limiter.wait()
                    if pool is not None:
                        value = await pool.request(request, self.taxonomy, listener)
                    else:
                        value = await model_request(request, listener)
        except ProviderFatal:
            raise
        except Exception as exc:
            self._outage_check(config.model, exc)
            raise
        self._succeeded[config.model] = True
        return value

    def _pool(self, config: ModelConfig, response_model: type[BaseModel]) -> WorkerPool | None:
        """The worker processes for this request, or None to make it in this process."""
        workers = self.settings.worker_count(config)
        if workers < 2 or model_ref(response_model) is None:
            return None
        return worker_pool(workers)

    # --------------------------------------------------------------- cache records and "why"
    def _fingerprint(
        self,
        parameters: dict[str, Any],
        prompt: Prompt,
        paper: dict[str, str],
        schema_digest: str,
        taxonomy_digest: str,
    ) -> dict[str, Any]:
        """What shaped one answer, for the run report's "why" (``taxonomy_digest``: of the part
        of the taxonomy the model reads for this paper)."""
        return {
            "paper_id": paper["paper_id"],
            "prompt": prompt.hash,
            "taxonomy": taxonomy_digest,
            "paper": digest(paper),
            "schema": schema_digest,
            "parameters": digest(parameters),
        }
