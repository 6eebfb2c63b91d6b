"""Model requests in worker processes, for more requests in flight than one process can feed.

A request through litellm, the openai SDK and instructor costs ~9 ms of CPU in the process that
makes it (bench/llm_path.py), so one process keeps about 8 requests of a fast server (a local
vLLM answering in 100 ms) in flight. With several workers (``--workers``, automatic above 8
requests in flight) each request is made by one of N child processes, each an asyncio loop with
many requests in flight. The parent keeps everything else: the cache, the budget, the rate
limit, transport retries (a worker makes one attempt, with instructor's re-asks) and the counts.

Protocol: one JSON object per line on the child's stdin and stdout
(``python -m pipeline.seam.worker``).
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
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from pipeline.seam.request import Listener, ModelRequest, loose_batch, strict_batch
from pipeline.seam.retry import RemoteError
from schemas.stages import STAGE_MODELS

if TYPE_CHECKING:
    from schemas.taxonomy import Taxonomy

_ROOT = Path(__file__).resolve().parents[2]  # the project root, for `-m pipeline.seam.worker`
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


Entry = tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Listener]


class _Worker:
    """One child process, the requests it has in flight, and a thread each to write and read.

    Neither side ever blocks the other: the event loop only queues messages (a writer thread
    feeds the child's stdin) and a reader thread always drains the child's stdout.
    """

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        env["TAXONOMIST_WORKER_LOG_LEVEL"] = str(logging.getLogger().getEffectiveLevel())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.seam.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pending: dict[int, Entry] = {}
        self.taxonomies: set[str] = set()
        self.exited: str | None = None
        self._lock = threading.Lock()  # guards ``pending`` (event loop vs. reader thread)
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=self._write, name="taxonomist-worker-in", daemon=True).start()
        threading.Thread(target=self._read, name="taxonomist-worker-out", daemon=True).start()

    def send(self, message: dict[str, Any]) -> None:
        """Queue a message for the child (never blocks; ASCII JSON, so any text survives)."""
        if self.exited is not None:
            raise RemoteError(self.exited, transient=True)
        self._outbox.put((json.dumps(message) + "\n").encode())

    def _write(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (data := self._outbox.get()) is not None:
                stdin.write(data)
                stdin.flush()
        except OSError:  # the child is gone; the reader reports it
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            for line in stdout:
                reply = json.loads(line)
                with self._lock:
                    entry = (
                        self.pending.get(reply["id"])
                        if "event" in reply
                        else self.pending.pop(reply["id"], None)
                    )
                if entry is not None:
                    _deliver(entry, reply)
        except (ValueError, OSError):  # a torn line: the child died while writing
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
            code = self.process.wait()
            self.exited = f"a model worker process exited (exit code {code}); see its error output"
            self._outbox.put(None)
            with self._lock:
                pending, self.pending = self.pending, {}
            # the request itself may be fine: another worker tries it again
            for entry in pending.values():
                _deliver(entry, {"error": {"message": self.exited, "transient": True}})

    def cancel(self, request_id: int) -> None:
        """Ask the child to drop a request nobody waits for any more."""
        with contextlib.suppress(RemoteError):  # the child is gone: nothing to drop
            self.send({"cancel": request_id})

    def close(self, timeout: float = 5.0) -> None:
        self._outbox.put(None)  # the writer closes stdin: the child finishes and exits
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _deliver(entry: Entry, reply: dict[str, Any]) -> None:
    """From the reader thread: hand an event or a reply to the loop that waits for it."""
    loop, future, listener = entry
    with contextlib.suppress(RuntimeError):  # that loop is closed (e.g. Ctrl-C): nobody waits
        loop.call_soon_threadsafe(_settle, future, listener, reply)


def _settle(future: asyncio.Future[Any], listener: Listener, reply: dict[str, Any]) -> None:
    """On the caller's loop: count an event as it happens, or resolve the request's future."""
    event = reply.get("event")
    if event is not None:
        if event[0] == "request":
            listener.on_request()
        elif event[0] == "response":
            listener.on_response(float(event[1]), float(event[2]), event[3])
        elif event[0] == "reask":
            listener.on_reask()
        return
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
    """N worker processes; each request goes to the one with the fewest in flight.

    A worker that exits is replaced (its requests fail as transient, so they are retried), up
    to ``3 * size`` times over the pool's life; then requests fail with the reason.
    """

    def __init__(self, size: int):
        self.size = size
        self.workers = [_Worker() for _ in range(size)]
        self.requests = 0  # requests sent, over the pool's life
        self.respawns = 0
        self.max_respawns = 3 * size
        self._ids = itertools.count(1)

    def usable(self) -> bool:
        return self.respawns < self.max_respawns or any(w.exited is None for w in self.workers)

    def _pick(self) -> _Worker:
        for index, worker in enumerate(self.workers):
            # a process that has ended counts as exited even before its reader thread notices
            # (two killed at once: the second's EOF may come after the first's retry picks)
            if worker.exited is None and worker.process.poll() is not None:
                worker.exited = (
                    f"a model worker process exited (exit code {worker.process.returncode}); "
                    "see its error output"
                )
            if worker.exited is not None and self.respawns < self.max_respawns:
                self.workers[index] = _Worker()
                self.respawns += 1
        running = [worker for worker in self.workers if worker.exited is None]
        if not running:
            raise RemoteError(
                f"model worker processes keep exiting ({self.workers[0].exited}); "
                "run with --workers 1 to make requests in this process",
                transient=False,
            )
        return min(running, key=lambda w: len(w.pending))

    async def request(
        self, request: ModelRequest, taxonomy: Taxonomy, listener: Listener
    ) -> BaseModel:
        """Like ``model_request``, made by a worker; the value is re-validated here."""
        from pipeline.seam.prompts import taxonomy_hash

        ref = model_ref(request.response_model)
        if ref is None:
            raise ValueError(f"{request.response_model.__name__} cannot go to a worker")
        context = request.context
        config = request.config
        # validators need the taxonomy, and so does the embedded model (it answers by digest)
        digest = taxonomy_hash(taxonomy)
        message = {
            "stage": ref[0],
            "shape": ref[1],
            "config": dataclasses.asdict(config),
            "messages": request.messages,
            "papers": None if context is None else context.get("papers"),
            "taxonomy": digest,
        }
        worker = self._pick()
        if digest not in worker.taxonomies:
            worker.send({"taxonomy": digest, "data": taxonomy.model_dump(mode="json")})
            worker.taxonomies.add(digest)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        message["id"] = request_id = next(self._ids)
        with worker._lock:
            worker.pending[request_id] = (loop, future, listener)
        # every attempt inside the worker is bounded by the timeout; this bounds a lost reply
        deadline = config.timeout * (2 + config.max_reasks) + 30
        try:
            worker.send(message)
            self.requests += 1
            value = await asyncio.wait_for(future, timeout=deadline)
        except TimeoutError:
            raise RemoteError(
                f"no answer from a model worker within {deadline:.0f} s", transient=True
            ) from None
        finally:
            if not future.done() or future.cancelled():
                worker.cancel(request_id)  # Ctrl-C or the deadline: stop it in the worker too
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
    if _POOL is None or _POOL.size != size or not _POOL.usable():
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
