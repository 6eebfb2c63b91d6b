"""Model requests in worker processes, for more requests in flight than one process can feed.

A request through litellm, the openai SDK and instructor costs ~9 ms of CPU in the process that
makes it (bench/llm_path.py), so one process keeps about 8 requests of a fast server (a local
vLLM answering in 100 ms) in flight. With several workers (``--workers``, automatic above 8
requests in flight) each request is made by one of N child processes, each an asyncio loop with
many requests in flight. The parent keeps everything else: the cache, the budget, the rate
limit, transport retries (a worker makes one attempt, with instructor's re-asks) and the counts.

Protocol: one JSON object per line on the child's stdin and stdout (``python -m pipeline.worker``).
  parent -> worker  {"taxonomy": digest, "data": taxonomy}          once per taxonomy and worker
                    {"id", "stage", "shape", "config", "messages", "papers", "taxonomy"}
  worker -> parent  {"id", "events", "value"} or {"id", "events", "error"}
``events`` replays what the request did (attempts sent, bills, re-asks) to the parent's counters;
``error`` says how to treat a failure (transient or not, Retry-After, the error's class names).
API keys reach workers only through the inherited environment, never through the protocol.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from pipeline.request import Listener, ModelRequest, loose_batch, strict_batch
from pipeline.retry import RemoteError
from schemas.stages import STAGE_MODELS

if TYPE_CHECKING:
    from schemas.taxonomy import Taxonomy

_ROOT = Path(__file__).resolve().parent.parent
_SHAPES = {"batch": loose_batch, "one": strict_batch}


def model_ref(response_model: type[BaseModel]) -> tuple[str, str] | None:
    """(stage, shape) of a paper-stage response model a worker can rebuild; None otherwise."""
    for stage, item_model in STAGE_MODELS.items():
        for shape, factory in _SHAPES.items():
            if response_model is factory(item_model):
                return stage, shape
    return None


def response_model_of(stage: str, shape: str) -> type[BaseModel]:
    return _SHAPES[shape](STAGE_MODELS[stage])


class _Worker:
    """One child process and the requests it has in flight."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        env["TAXONOMIST_WORKER_LOG_LEVEL"] = str(logging.getLogger().getEffectiveLevel())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pending: dict[
            int, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Listener]
        ] = {}
        self.taxonomies: set[str] = set()
        self.exited: str | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="taxonomist-worker-reader", daemon=True).start()

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        data = (json.dumps(message, ensure_ascii=False) + "\n").encode()
        with self._lock:
            self.process.stdin.write(data)
            self.process.stdin.flush()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            reply = json.loads(line)
            with self._lock:
                entry = self.pending.pop(reply["id"], None)
            if entry is not None:
                _deliver(entry, reply)
        code = self.process.wait()
        self.exited = f"a model worker process exited (exit code {code}); see its error output"
        with self._lock:
            pending, self.pending = self.pending, {}
        for entry in pending.values():
            _deliver(entry, {"events": [], "error": {"message": self.exited, "transient": False}})

    def close(self, timeout: float = 5.0) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):  # the worker is gone already
                self.process.stdin.close()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _deliver(
    entry: tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Listener], reply: dict[str, Any]
) -> None:
    """From a reader thread: hand a reply to the loop that waits for it."""
    loop, future, listener = entry
    with contextlib.suppress(RuntimeError):  # that loop is closed (e.g. Ctrl-C): nobody waits
        loop.call_soon_threadsafe(_settle, future, listener, reply)


def _settle(future: asyncio.Future[Any], listener: Listener, reply: dict[str, Any]) -> None:
    """On the caller's loop: replay the request's events, then resolve its future."""
    for event in reply.get("events", []):
        if event[0] == "request":
            listener.on_request()
        elif event[0] == "response":
            listener.on_response(float(event[1]), float(event[2]), event[3])
        elif event[0] == "reask":
            listener.on_reask()
    if future.done():  # the caller was cancelled (e.g. Ctrl-C): nothing to deliver
        return
    error = reply.get("error")
    if error is not None:
        future.set_exception(
            RemoteError(
                error["message"],
                transient=bool(error.get("transient")),
                retry_after=error.get("retry_after"),
                classes=tuple(error.get("classes", ())),
            )
        )
    else:
        future.set_result(reply["value"])


class WorkerPool:
    """N worker processes; each request goes to the one with the fewest in flight."""

    def __init__(self, size: int):
        self.size = size
        self.workers = [_Worker() for _ in range(size)]
        self.requests = 0  # requests sent, over the pool's life
        self._ids = itertools.count(1)

    def alive(self) -> bool:
        return any(worker.exited is None for worker in self.workers)

    async def request(
        self, request: ModelRequest, taxonomy: Taxonomy, listener: Listener
    ) -> BaseModel:
        """Like ``model_request``, made by a worker; the value is re-validated here."""
        from pipeline.prompts import taxonomy_hash

        context = request.context
        ref = model_ref(request.response_model)
        if ref is None:
            raise ValueError(f"{request.response_model.__name__} cannot go to a worker")
        running = [worker for worker in self.workers if worker.exited is None]
        if not running:
            raise RemoteError(self.workers[0].exited or "no model worker", transient=False)
        worker = min(running, key=lambda w: len(w.pending))
        # validators need the taxonomy, and so does the embedded model (it answers by digest)
        digest = taxonomy_hash(taxonomy)
        if digest not in worker.taxonomies:
            worker.send({"taxonomy": digest, "data": taxonomy.model_dump(mode="json")})
            worker.taxonomies.add(digest)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        request_id = next(self._ids)
        self.requests += 1
        with worker._lock:
            worker.pending[request_id] = (loop, future, listener)
        try:
            worker.send(
                {
                    "id": request_id,
                    "stage": ref[0],
                    "shape": ref[1],
                    "config": dataclasses.asdict(request.config),
                    "messages": request.messages,
                    "papers": None if context is None else context.get("papers"),
                    "taxonomy": digest,
                }
            )
        except OSError as exc:  # the worker died before it could read the request
            with worker._lock:
                worker.pending.pop(request_id, None)
            raise RemoteError(worker.exited or f"model worker: {exc}", transient=False) from None
        try:
            value = await future
        finally:
            with worker._lock:
                worker.pending.pop(request_id, None)
        return request.response_model.model_validate(value, context=context)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


_POOL: WorkerPool | None = None


def worker_pool(size: int) -> WorkerPool:
    """The process's worker pool of ``size`` workers, started on first use and kept until exit
    (a worker pays litellm's import once, ~3 s, then serves every later request)."""
    global _POOL
    if _POOL is None or _POOL.size != size or not _POOL.alive():
        if _POOL is not None:
            _POOL.close()
        _POOL = WorkerPool(size)
    return _POOL


@atexit.register
def close_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.close()
        _POOL = None
