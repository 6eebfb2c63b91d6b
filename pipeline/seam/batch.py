"""``--batch``: a paper stage's cache misses as one provider batch, at the batch price.

The misses are cut into requests exactly as the normal path cuts them (``Seam.ask``'s cutter,
in paper-id order), written as one JSONL file of ``/v1/chat/completions`` requests,
uploaded (``litellm.acreate_file``) and sent as one batch (``litellm.acreate_batch``). The batch
id is stored under ``.taxonomist/batches/`` keyed by stage and the digest of the JSONL file, so an
interrupted run resumes polling (``litellm.aretrieve_batch``) instead of paying twice. Returned
items are parsed as JSON and validated with the stage's response model — the same validators and
context as the normal path — and cached exactly as it caches them; an item that is invalid or
missing (an expired batch with some items done, a failed batch) is asked again through the
normal path.

Pricing: litellm's batch price of the model (``input_cost_per_token_batches``) when its price map
has one, else litellm's normal price × 0.5 (OpenAI's and Anthropic's batch discount); which one
is recorded in the run log's ``pricing`` of the stage.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ValidationError

from pipeline.atomic import write_text_atomic
from pipeline.errors import ProviderFatal
from pipeline.seam.answers import Answer, Miss, answer_record, index_entry
from pipeline.seam.budget import batch_price, split_model
from pipeline.seam.cache import canonical_json
from pipeline.seam.context import context_overflow
from pipeline.seam.request import loose_batch, numbered
from pipeline.seam.settings import ModelConfig, answer_tokens

if TYPE_CHECKING:
    from pipeline.seam.budget import Budget
    from pipeline.seam.cache import AnswerCache
    from pipeline.seam.prompts import Prompt
    from pipeline.seam.settings import AskSettings
    from schemas.run import StageStats
    from schemas.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

# litellm providers whose batch API litellm.acreate_batch implements (OpenAI's format).
BATCH_PROVIDERS = ("openai", "azure", "hosted_vllm", "litellm_proxy", "mistral", "xai")
BATCH_MODES = ("json", "json_object_schema")
TERMINAL = ("completed", "expired", "failed", "cancelled")


def check_batchable(config: ModelConfig) -> None:
    """Refuse ``--batch`` for a model or mode it cannot work with, before anything is sent."""
    provider, _ = split_model(config.model)
    if provider not in BATCH_PROVIDERS:
        raise ProviderFatal(
            f"--batch: litellm has no batch API for provider {provider!r} (model "
            f"{config.model!r}); use one of {', '.join(BATCH_PROVIDERS)}, or run without --batch"
        )
    if config.mode not in BATCH_MODES:
        raise ProviderFatal(
            f"--batch works with --mode {' or '.join(BATCH_MODES)}, not {config.mode!r}: "
            "change --mode or run without --batch"
        )


def request_body(
    config: ModelConfig,
    stage: str,
    messages: list[dict[str, str]],
    item_model: type[BaseModel],
    n: int,
) -> dict[str, Any]:
    """The body of one chat-completion request, as the normal path's JSON modes send it."""
    from pipeline.seam.modes import schema_message
    from pipeline.seam.providers import max_output_tokens, response_model

    schema = response_model(loose_batch(item_model)).model_json_schema()
    shown = [dict(m) for m in messages]
    text = schema_message(schema)
    if shown and shown[0].get("role") == "system":
        shown[0]["content"] = f"{shown[0]['content']}\n{text}"
    else:
        shown.insert(0, {"role": "system", "content": text})
    response_format: dict[str, Any] = {"type": "json_object"}
    if config.mode == "json_object_schema":
        response_format["schema"] = schema
    return {
        "model": split_model(config.model)[1],
        "messages": shown,
        "temperature": config.temperature,
        "max_tokens": min(answer_tokens(stage, n), max_output_tokens(config.model)),
        "response_format": response_format,
    }


class Seam(Protocol):
    """What a batch run uses of the seam (pipeline.seam.ask.Seam), named here so the two
    modules do not import each other."""

    taxonomy: Taxonomy
    cache: AnswerCache
    settings: AskSettings
    budget: Budget
    stats: dict[str, StageStats]

    async def _preflight(self) -> None: ...

    async def _ask_batch(
        self,
        stage: str,
        config: ModelConfig,
        prompt: Prompt,
        item_model: type[BaseModel],
        batch: list[Miss],
    ) -> dict[str, Answer]: ...


class BatchRun:
    """One stage's provider batch: build, send (or resume), poll, validate, cache, re-ask."""

    def __init__(
        self,
        seam: Seam,
        stage: str,
        config: ModelConfig,
        prompt: Prompt,
        item_model: type[BaseModel],
    ):
        self.seam = seam
        self.stage = stage
        self.config = config
        self.prompt = prompt
        self.item_model = item_model
        provider, _ = split_model(config.model)
        self.kwargs: dict[str, Any] = {"custom_llm_provider": provider}
        if config.api_base:
            self.kwargs["api_base"] = config.api_base

    async def run(self, chunks: list[list[Miss]]) -> dict[str, Answer]:
        """Answers for the misses, cut into requests (``chunks``) as the normal path cuts them."""
        check_batchable(self.config)
        lines: list[str] = []
        sent: dict[str, tuple[list[Miss], list[dict[str, Any]]]] = {}
        normal: list[list[Miss]] = []
        for number, chunk in enumerate(chunks):
            shown = numbered([paper for paper, _, _ in chunk])
            messages = self.prompt.render(self.seam.taxonomy, shown, self.config.embedded)
            if context_overflow(self.config, self.stage, messages, len(chunk)):
                normal.append(chunk)  # the normal path splits it until it fits
                continue
            custom_id = f"{self.stage}-{number}"
            body = request_body(self.config, self.stage, messages, self.item_model, len(chunk))
            lines.append(
                canonical_json(
                    {
                        "custom_id": custom_id,
                        "method": "POST",
                        "url": "/v1/chat/completions",
                        "body": body,
                    }
                )
            )
            sent[custom_id] = (chunk, shown)
        answers: dict[str, Answer] = {}
        retry: list[list[Miss]] = list(normal)
        if lines:
            data = ("\n".join(lines) + "\n").encode()
            refused = self._over_budget(
                [
                    (json.loads(line)["body"]["messages"], len(sent[cid][0]))
                    for cid, line in zip(sent, lines, strict=True)
                ]
            )
            if refused:
                return {
                    paper["paper_id"]: Answer(paper["paper_id"], None, refused)
                    for chunk in chunks
                    for paper, _, _ in chunk
                }
            outputs = await self._send_and_wait(data, len(lines))
            for custom_id, (chunk, shown) in sent.items():
                output = outputs.get(custom_id)
                if output is None:
                    retry.append(chunk)  # not done (expired or failed batch): the normal path
                    continue
                got, invalid = self._validate(chunk, shown, output)
                answers.update(got)
                if invalid:
                    self.seam.stats[self.stage].reasks += len(invalid)
                    retry.extend([miss] for miss in invalid)
            # every returned answer is cached: a new run makes a new batch of what is left
            self._state_path(data).unlink(missing_ok=True)
        if retry:
            parts = await asyncio.gather(
                *(
                    self.seam._ask_batch(
                        self.stage, self.config, self.prompt, self.item_model, chunk
                    )
                    for chunk in retry
                )
            )
            for part in parts:
                answers.update(part)
        return answers

    # ------------------------------------------------------------------------ provider side
    def _over_budget(self, requests: list[tuple[list[dict[str, str]], int]]) -> str | None:
        """Why --max-cost refuses the whole batch (its estimate at the batch price), or None."""
        budget = self.seam.budget
        if budget.max_cost is None:
            return None
        from pipeline.seam.budget import request_tokens

        total = 0.0
        for messages, n in requests:
            tokens_in, tokens_out = request_tokens(self.stage, messages, n)
            cost, _ = batch_price(self.config.model, tokens_in, tokens_out)
            if cost is None:
                raise ProviderFatal(
                    f"--max-cost cannot be enforced: litellm has no price for model "
                    f"{self.config.model!r}. Drop --max-cost for self-hosted models, or use a "
                    "priced model name."
                )
            total += cost
        if budget.spent + budget.reserved + total <= budget.max_cost:
            return None
        budget.exhausted = True
        return (
            f"--max-cost {budget.max_cost:.4f} USD would be exceeded by the '{self.stage}' "
            f"batch (spent {budget.spent:.4f}, batch ~{total:.4f} at the batch price). "
            "Finished answers are cached: raise --max-cost or use a cheaper --model to continue."
        )

    def _state_path(self, data: bytes) -> Path:
        digest = hashlib.sha256(data).hexdigest()[:24]
        return self.seam.settings.batch_dir / f"{self.stage}-{digest}.json"

    async def _send_and_wait(self, data: bytes, n_requests: int) -> dict[str, dict[str, Any]]:
        """The provider's answers by custom_id (successful lines only)."""
        from pipeline.seam.providers import litellm_module

        litellm = litellm_module()
        await self.seam._preflight()
        stats = self.seam.stats[self.stage]
        state = self._state_path(data)
        batch_id = None
        if state.is_file():
            try:
                batch_id = json.loads(state.read_text(encoding="utf-8"))["batch_id"]
                logger.info("--batch: resuming batch %s of stage %s", batch_id, self.stage)
            except (ValueError, KeyError, TypeError):
                batch_id = None
        if batch_id is None:
            uploaded = await litellm.acreate_file(
                file=(f"{self.stage}.jsonl", data), purpose="batch", **self.kwargs
            )
            batch = await litellm.acreate_batch(
                completion_window="24h",
                endpoint="/v1/chat/completions",
                input_file_id=uploaded.id,
                **self.kwargs,
            )
            batch_id = batch.id
            state.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(
                state,
                canonical_json(
                    {
                        "batch_id": batch_id,
                        "input_file_id": uploaded.id,
                        "stage": self.stage,
                        "model": self.config.model,
                        "requests": n_requests,
                    }
                )
                + "\n",
            )
            stats.calls += n_requests
        stats.batches += 1
        while True:
            batch = await litellm.aretrieve_batch(batch_id=batch_id, **self.kwargs)
            if batch.status in TERMINAL:
                break
            await asyncio.sleep(self.seam.settings.batch_poll_seconds)
        outputs: dict[str, dict[str, Any]] = {}
        if batch.output_file_id:
            content = await litellm.afile_content(file_id=batch.output_file_id, **self.kwargs)
            for line in content.content.decode("utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    response = item.get("response") or {}
                    if response.get("status_code") == 200 and isinstance(
                        response.get("body"), dict
                    ):
                        outputs[str(item["custom_id"])] = response["body"]
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # an unreadable line: its papers are asked again
        if batch.status != "completed":
            logger.warning(
                "--batch: batch %s of stage %s ended %s with %d of %d requests answered; "
                "the rest are asked through the normal path",
                batch_id,
                self.stage,
                batch.status,
                len(outputs),
                n_requests,
            )
        return outputs

    # ----------------------------------------------------------------------- answers
    def _validate(
        self, chunk: list[Miss], shown: list[dict[str, Any]], body: dict[str, Any]
    ) -> tuple[dict[str, Answer], list[Miss]]:
        stats = self.seam.stats[self.stage]
        usage = body.get("usage") or {}
        tokens_in = float(usage.get("prompt_tokens") or 0)
        tokens_out = float(usage.get("completion_tokens") or 0)
        stats.input_tokens += int(tokens_in)
        stats.output_tokens += int(tokens_out)
        cost, pricing = batch_price(self.config.model, tokens_in, tokens_out)
        stats.pricing = pricing
        if cost is None:
            stats.cost_known = False
        else:
            stats.cost_usd = round(stats.cost_usd + cost, 8)
            self.seam.budget.charge(cost)
        items: list[Any] = []
        try:
            content = body["choices"][0]["message"]["content"]
            parsed = json.loads(content, strict=False)
            items = parsed.get("items", []) if isinstance(parsed, dict) else []
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            items = []
        papers = [paper for paper, _, _ in chunk]
        position_of = {p["paper_id"]: s["paper_id"] for p, s in zip(papers, shown, strict=True)}
        by_id: dict[str, dict[str, Any]] = {}
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("paper_id"), str | int):
                pid = position_of.get(str(item["paper_id"]), str(item["paper_id"]))
                by_id.setdefault(pid, {**item, "paper_id": pid})
        context = {"papers": {s["paper_id"]: s for s in shown}, "taxonomy": self.seam.taxonomy}
        share = {
            "input_tokens": tokens_in / len(chunk),
            "output_tokens": tokens_out / len(chunk),
            "cost_usd": (cost or 0.0) / len(chunk),
        }
        answers: dict[str, Answer] = {}
        invalid: list[Miss] = []
        to_store: list[tuple[str, dict[str, Any]]] = []
        for (paper, key, fingerprint), position in zip(chunk, shown, strict=True):
            item = by_id.get(position["paper_id"])
            try:
                if item is None:
                    raise ValueError("the answer has no item for this paper")
                value = self.item_model.model_validate(item, context=context)
                value = value.model_copy(update={"paper_id": paper["paper_id"]})
            except (ValidationError, ValueError):
                invalid.append((paper, key, fingerprint))
                continue
            answers[paper["paper_id"]] = Answer(paper["paper_id"], value)
            to_store.append(
                (key, answer_record(self.stage, self.config.model, value, share, fingerprint))
            )
            to_store.append(
                index_entry(self.stage, self.config.model, paper["paper_id"], fingerprint)
            )
        self.seam.cache.set_many(to_store)
        return answers, invalid
