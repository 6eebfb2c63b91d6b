"""The embedded default model as a litellm custom provider (`local/taxonomist`).

It reads the same rendered prompt a paid model gets (task tag, taxonomy hash, papers as JSON
lines inside <papers>) and answers with JSON that instructor parses and the schemas validate.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from typing import Any

from litellm import ModelResponse
from litellm.llms.custom_llm import CustomLLM, CustomLLMError
from litellm.types.utils import ChatCompletionMessageToolCall, Function, Message, Usage

from pipeline.local_model.keys import CORPUS, PAPERS, SECTION, TASK, TAXONOMY, message_text
from pipeline.local_model.registry import find_taxonomy

LOCAL_MODELS = ("local/taxonomist",)
_POSITION = re.compile(r'^\{"paper_id": ?"\d+"')


@cache
def _model_for(digest: str) -> Any:
    from pipeline.local_model import LocalModel

    taxonomy = find_taxonomy(digest)
    if taxonomy is None:
        raise CustomLLMError(
            status_code=400,
            message=f"local/taxonomist does not know taxonomy {digest}: register it first",
        )
    return LocalModel(taxonomy)


def answer(messages: list[dict[str, Any]], taxonomy: str | None = None) -> dict[str, Any]:
    """The local model's answer to a rendered stage prompt: {"items": [...]}.

    ``taxonomy``: the hash of the taxonomy to answer from when the prompt names none (a prompt
    rendered for a remote model, answered like the embedded model by a test server)."""
    text = message_text(messages)
    task = TASK.search(text)
    named = TAXONOMY.search(text)
    digest = named.group(1) if named else taxonomy
    if task and digest and task.group(1) == "synthesize":
        sections = SECTION.findall(text)
        if sections:
            return _write_section(digest, json.loads(sections[-1]))
    if task and digest and task.group(1) in ("induce", "propose"):
        corpus = CORPUS.findall(text)
        if corpus:
            request = json.loads(corpus[-1])
            if task.group(1) == "propose":
                return _propose(digest, request)
            return _induce(digest, request)
    found = PAPERS.findall(text)
    papers = found[-1] if found else None
    if not (task and digest and papers):
        raise CustomLLMError(
            status_code=400,
            message="local/taxonomist answers taxonomist stage prompts only "
            "(need a <task/> tag, a taxonomy hash and <papers>)",
        )
    model = _model_for(digest)
    items = []
    for number, line in enumerate(papers.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            paper = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CustomLLMError(
                status_code=400, message=f"<papers> line {number} is not JSON: {exc.msg}"
            ) from None
        items.append(_answer_one(model, task.group(1), paper))
    return {"items": items}


def _answer_one(model: Any, task: str, paper: dict[str, Any]) -> dict[str, Any]:
    title, abstract = paper.get("title", ""), paper.get("abstract", "")
    if task == "screen":
        result = model.screen(title, abstract)
    elif task == "classify":
        result = model.classify(title, abstract)
    elif task == "extract":
        result = model.extract(title, abstract)
    else:
        raise CustomLLMError(status_code=400, message=f"local/taxonomist has no task {task!r}")
    return {"paper_id": paper["paper_id"], **result}


def _write_section(digest: str, request: dict[str, Any]) -> dict[str, Any]:
    """Deterministic prose for one section from the structured data in the request."""
    from pipeline.local_model import mapreduce, synthesis
    from schemas.record import SectionText
    from schemas.survey import record_from_compact

    taxonomy = find_taxonomy(digest)
    if taxonomy is None:
        raise CustomLLMError(status_code=400, message=f"unknown taxonomy {digest}")
    records = [record_from_compact(p) for p in request.get("papers", [])]
    section = request["section"]
    kind = request.get("kind")
    previous = request.get("previous") or []
    starts = list(request.get("previous_paragraphs") or [])
    old = (
        SectionText(section=section, sentences=previous, paragraph_starts=starts)
        if previous
        else None
    )
    corpus, summaries = request.get("corpus"), request.get("summaries")
    if kind == "challenge-notes":  # map: notes on a batch of papers; reduce: merge notes
        notes = request.get("notes")
        sentences = mapreduce.merge_notes(notes) if notes else mapreduce.write_notes(records)
        return {"section": section, "sentences": sentences or ["No note on this batch."]}
    if kind == "introduction" and corpus is not None and summaries is not None:
        text = mapreduce.write_introduction(corpus, summaries, taxonomy)
    elif kind == "challenges" and corpus is not None and summaries is not None:
        text = mapreduce.write_challenges(corpus, summaries, request.get("notes") or [], taxonomy)
    elif kind == "conclusion" and corpus is not None and summaries is not None:
        text = mapreduce.write_conclusion(corpus, summaries, taxonomy)
    elif request.get("part"):
        part, kinds = request["part"], request.get("kinds") or {}
        text = mapreduce.write_part(str(kind), section, taxonomy, records, old, part, kinds)
    elif kind == "introduction":
        text = synthesis.write_introduction(records, taxonomy)
    elif kind == "surveys":
        text = synthesis.write_surveys_section(records, taxonomy)
    elif kind == "challenges":
        text = synthesis.write_challenges(records, taxonomy)
    elif kind == "conclusion":
        text = synthesis.write_conclusion(records, taxonomy)
    else:
        text = synthesis.write_section(taxonomy.leaf(section), records, old)
    answer: dict[str, Any] = {"section": section, "sentences": text.sentences}
    if text.paragraph_starts:
        answer["paragraph_starts"] = text.paragraph_starts
    return answer


def _induce(digest: str, request: dict[str, Any]) -> dict[str, Any]:
    """A taxonomy proposal for the whole corpus of the request (one batch: no merge step)."""
    from pipeline.local_model.induce import InduceRequest, induce

    taxonomy = find_taxonomy(digest)
    if taxonomy is None:
        raise CustomLLMError(status_code=400, message=f"unknown taxonomy {digest}")
    if not request.get("papers"):
        raise CustomLLMError(
            status_code=400,
            message="local/taxonomist induces from papers in one request (no merge step): "
            "send the whole corpus",
        )
    return induce(
        InduceRequest(
            papers=list(request["papers"]),
            levels=list(request.get("levels") or []),
            use_existing_leaves=bool(request.get("use_existing_leaves", True)),
            max_leaves=int(request.get("max_leaves") or 30),
        ),
        taxonomy,
    )


def _propose(digest: str, request: dict[str, Any]) -> dict[str, Any]:
    """Changes to the taxonomy for the classified papers of the request."""
    from pipeline.local_model.propose import propose

    taxonomy = find_taxonomy(digest)
    if taxonomy is None:
        raise CustomLLMError(status_code=400, message=f"unknown taxonomy {digest}")
    return propose(list(request.get("papers") or []), taxonomy)


def _usage(prompt: str, result: dict[str, Any]) -> tuple[int, int]:
    """Token estimates (4 characters a token), summed per paper so that totals do not depend
    on which papers shared a request (batches form in completion order)."""
    # a paper's position in its request ("paper_id":"7") is not counted: it depends on the batch
    lines = [_POSITION.sub('{"paper_id":""', line) for line in prompt.split("\n")]
    prompt_tokens = sum(len(line) // 4 + 1 for line in lines)
    items = result.get("items")
    if isinstance(items, list):
        completion = sum(
            len(json.dumps(item, ensure_ascii=False, sort_keys=True)) // 4 for item in items
        )
        return prompt_tokens, completion + 3
    return prompt_tokens, len(json.dumps(result, ensure_ascii=False, sort_keys=True)) // 4


class LocalProvider(CustomLLM):
    """litellm handler: builds a chat completion from ``answer``; deterministic, offline."""

    def completion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return self._respond(
            kwargs.get("messages") or [],
            kwargs.get("optional_params") or {},
            kwargs.get("model", LOCAL_MODELS[0]),
        )

    async def acompletion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return self.completion(*args, **kwargs)

    def _respond(
        self, messages: list[dict[str, Any]], params: dict[str, Any], model: str
    ) -> ModelResponse:
        result = answer(messages)
        content = json.dumps(result, ensure_ascii=False, sort_keys=True)
        prompt_tokens, completion_tokens = _usage(message_text(messages), result)
        tools = params.get("tools")
        if tools:
            name = tools[0].get("function", {}).get("name", "answer")
            message = Message(
                content=None,
                role="assistant",
                tool_calls=[
                    ChatCompletionMessageToolCall(
                        id="call_local",
                        type="function",
                        function=Function(name=name, arguments=content),
                    )
                ],
            )
            finish = "tool_calls"
        else:
            message = Message(content=content, role="assistant")
            finish = "stop"
        return ModelResponse(
            id="local",
            created=int(time.time()),
            model=model,
            object="chat.completion",
            choices=[{"index": 0, "message": message, "finish_reason": finish}],
            usage=Usage(
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                total_tokens=prompt_tokens + completion_tokens,
            ),
        )
