"""A model worker process (``python -m pipeline.seam.worker``): see pipeline/seam/workers.py.

Reads requests as JSON lines on stdin, makes each one with ``model_request`` (many in flight on
one asyncio loop) and writes one JSON line per answer to the original stdout. Anything else that
is printed goes to stderr. Ctrl-C is left to the parent; end of input (the parent closed the
pipe, or died) ends the worker, abandoning what is still in flight.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import signal
import sys
from typing import IO, Any

from pipeline.local_model.registry import register_taxonomy
from pipeline.seam.request import Listener, ModelRequest, model_request
from pipeline.seam.retry import is_transient, provider_error, retry_after_seconds, short_error
from pipeline.seam.settings import ModelConfig
from pipeline.seam.workers import response_model_of
from schemas.taxonomy import Taxonomy


def describe(exc: BaseException) -> dict[str, Any]:
    """How the parent should treat a failed request (message redacted by short_error)."""
    cause = provider_error(exc)
    return {
        "message": short_error(exc),
        "transient": is_transient(exc),
        "retry_after": retry_after_seconds(exc),
        "classes": [cls.__name__ for cls in type(cause).__mro__],
    }


def write(out: IO[str], line: str) -> None:
    out.write(line + "\n")
    out.flush()


async def handle(message: dict[str, Any], taxonomies: dict[str, Taxonomy], out: IO[str]) -> None:
    """Make one request; each attempt, bill and re-ask is reported as it happens (the parent
    charges its budget per response), then the value or the error."""
    request_id = message["id"]

    def event(*fields: Any) -> None:
        write(out, json.dumps({"id": request_id, "event": list(fields)}))

    listener = Listener(
        on_request=lambda: event("request"),
        on_response=lambda tokens_in, tokens_out, cost: event(
            "response", tokens_in, tokens_out, cost
        ),
        on_reask=lambda: event("reask"),
    )
    try:
        papers = message.get("papers")
        context = None
        if papers is not None:
            context = {"papers": papers, "taxonomy": taxonomies[message["taxonomy"]]}
        request = ModelRequest(
            config=ModelConfig(**message["config"]),
            messages=message["messages"],
            response_model=response_model_of(message["stage"], message["shape"]),
            context=context,
        )
        value = await model_request(request, listener)
        reply = json.dumps({"id": request_id, "value": value.model_dump(mode="json")})
    except Exception as exc:  # reported to the parent, which retries or records the failure
        reply = json.dumps({"id": request_id, "error": describe(exc)})
    write(out, reply)


async def serve(out: IO[str]) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**28)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    taxonomies: dict[str, Taxonomy] = {}
    tasks: dict[int, asyncio.Task[None]] = {}
    while line := await reader.readline():
        message = json.loads(line)
        if "cancel" in message:  # the parent stopped waiting (Ctrl-C, or its deadline)
            task = tasks.get(message["cancel"])
            if task is not None:
                task.cancel()
        elif "id" not in message:
            taxonomy = taxonomies[message["taxonomy"]] = Taxonomy.model_validate(message["data"])
            register_taxonomy(taxonomy)  # for the embedded model, which looks it up by digest
        else:
            task = tasks[message["id"]] = asyncio.create_task(handle(message, taxonomies, out))
            task.add_done_callback(functools.partial(_forget, tasks, message["id"]))


def _forget(tasks: dict[int, asyncio.Task[None]], request_id: int, _: object) -> None:
    tasks.pop(request_id, None)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    from pipeline.redact import install_logging
    from pipeline.seam.providers import litellm_module

    install_logging(int(os.environ.get("TAXONOMIST_WORKER_LOG_LEVEL", logging.WARNING)))
    litellm_module()
    asyncio.run(serve(out))
    out.flush()
    os._exit(0)  # skip interpreter teardown: abandoned requests and client sessions


if __name__ == "__main__":
    main()
