"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

Tests point litellm (``openai/…`` or ``hosted_vllm/…`` models with ``api_base=server.base_url``)
at it, so retries, timeouts and parsing are exercised over real HTTP without a real provider.

Scripting: give the server a queue of actions (consumed one per chat-completion request, in
order) or a callable ``responder(request) -> Action``. When the queue runs dry the server answers
HTTP 400 with a message naming the request, and records the mistake in ``server.script_errors``
(the ``openai_server`` fixture fails the test at teardown if that list is not empty). 400 is
deliberate: litellm maps it to ``BadRequestError``, which retry logic must not retry, so an
under-scripted test fails fast instead of looping. Pass ``repeat_last=True`` to repeat the last
action forever instead.

Actions:
- ``Reply(obj_or_text)``: a dict / list / pydantic model becomes a tool call when the request has
  ``tools`` (instructor TOOLS mode), otherwise JSON text in ``message.content``. A ``str`` is
  always sent as ``message.content`` verbatim.
- ``Fault(status, headers=…, body=…)``: an HTTP error, with an OpenAI-style error body by default.
- ``Hang(seconds)``: send nothing for ``seconds`` (past the client's timeout), then drop the
  connection. ``Hang(0)`` drops it at once.
- ``Malformed(text)``: ``text`` as the content, or as the tool-call arguments when ``tools`` were
  sent, so that JSON parsing/validation fails on the client.
- ``Latency(seconds, then=action)``: wait, then perform ``then``. ``server.latency`` adds a delay
  to every chat-completion request as well.

Batches (``/v1/files`` upload and content, ``/v1/batches`` create and retrieve): an uploaded
JSONL file of chat-completion requests is answered line by line with the same script or
responder when the batch is created; ``server.batch_outcome`` scripts what retrieving it shows:
``"completed"`` (every line answered), ``"expired"`` (only the first ``server.batch_done_items``
lines answered, the rest in the error file) or ``"failed"`` (no output file).
``server.batch_polls`` retrieves answer ``in_progress`` before the outcome. Batch lines are
recorded in ``server.batch_lines``, not among ``chat_requests``.

Example::

    with OpenAIServer([Fault(429, headers={"Retry-After": "1"}), Reply({"label": "ok"})]) as srv:
        litellm.completion(model="openai/test-model", api_base=srv.base_url, api_key="sk-test",
                           messages=[{"role": "user", "content": "hi"}], num_retries=0)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeAlias

from pydantic import BaseModel

__all__ = [
    "Action",
    "Fault",
    "Hang",
    "Headers",
    "Latency",
    "Malformed",
    "OpenAIServer",
    "RecordedRequest",
    "Reply",
    "Responder",
]

FILES_PATHS = frozenset({"/v1/files", "/files"})
BATCHES_PATHS = frozenset({"/v1/batches", "/batches"})
CHAT_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})
MODELS_PATHS = frozenset({"/v1/models", "/models"})
STOP_TIMEOUT_S = 5.0


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Reply:
    """A successful completion: structured ``content`` (dict/list/model) or plain text (``str``)."""

    content: Any
    finish_reason: str | None = None
    tool: bool | None = None  # None: tool call iff the request has tools; True/False forces it
    tool_name: str | None = None  # default: the tool named by tool_choice, else the first tool
    usage: Mapping[str, int] | None = None  # overrides the estimated usage


@dataclass(frozen=True)
class Fault:
    """An HTTP error response; ``body`` defaults to an OpenAI-style ``{"error": {...}}``."""

    status: int = 500
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Hang:
    """Answer nothing for ``seconds`` (interrupted when the server stops), then drop the socket."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Malformed:
    """Broken model output: ``text`` as content, or as tool-call arguments if tools were sent."""

    text: str = '{"label": "unterminated'


@dataclass(frozen=True)
class Latency:
    """Wait ``seconds``, then perform ``then``."""

    seconds: float
    then: Action


Action: TypeAlias = Reply | Fault | Hang | Malformed | Latency


class Headers(Mapping[str, str]):
    """Request headers; look-ups ignore case (``h["Authorization"] == h["authorization"]``)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = {name.lower(): value for name, value in items}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request as the server saw it."""

    index: int  # 0-based position among all requests to this server
    method: str
    path: str
    headers: Headers  # case-insensitive; iterates lower-cased names
    body: Any  # parsed JSON, or None (no body / not JSON)
    raw_body: bytes
    received_at: float  # time.monotonic()

    @property
    def is_chat(self) -> bool:
        return self.method == "POST" and self.path in CHAT_PATHS

    @property
    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    @property
    def model(self) -> str | None:
        return self.json.get("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.json.get("messages") or [])

    @property
    def tools(self) -> list[dict[str, Any]]:
        return list(self.json.get("tools") or [])

    @property
    def stream(self) -> bool:
        return bool(self.json.get("stream"))

    def text(self) -> str:
        """All message contents concatenated (text parts of multi-part contents included)."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)

    def last_message(self) -> dict[str, Any]:
        return self.messages[-1] if self.messages else {}


Responder: TypeAlias = Callable[[RecordedRequest], Action]


def _content_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return json.dumps(content)


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _tool_name(request: RecordedRequest, reply: Reply | Malformed) -> str:
    if isinstance(reply, Reply) and reply.tool_name:
        return reply.tool_name
    choice = request.json.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name:
            return str(name)
    for tool in request.tools:
        name = (tool.get("function") or {}).get("name")
        if name:
            return str(name)
    return "tool"


def _serialise(content: Any) -> str:
    if isinstance(content, BaseModel):
        return content.model_dump_json()
    return json.dumps(content)


# --------------------------------------------------------------------------- server


class OpenAIServer:
    """Scripted OpenAI-compatible server; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        script: Iterable[Action] | Responder | None = None,
        *,
        latency: float = 0.0,
        repeat_last: bool = False,
        model_ids: Iterable[str] = ("test-model",),
    ) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._queue: deque[Action] = deque()
        self._responder: Responder | None = None
        self._last: Action | None = None
        self._requests: list[RecordedRequest] = []
        self._sockets: set[socket.socket] = set()
        self._in_flight = 0
        self._max_in_flight = 0
        self._ids = itertools.count(1)
        self.script_errors: list[str] = []
        self.latency = latency  # seconds added to every chat-completion request
        self.repeat_last = repeat_last
        self.model_ids = list(model_ids)
        # batch API state (see the module docstring)
        self.batch_outcome = "completed"
        self.batch_done_items = 0
        self.batch_polls = 0
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_lines: list[RecordedRequest] = []
        self._batch_finals: dict[str, dict[str, Any]] = {}
        self._batch_polls_left: dict[str, int] = {}
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        if callable(script):
            self.respond_with(script)
        elif script is not None:
            self.script(*script)

    # -- scripting

    def script(self, *actions: Action) -> None:
        """Replace the queue of actions (and any responder) with ``actions``."""
        with self._lock:
            self._responder = None
            self._queue = deque(actions)
            self._last = None

    def enqueue(self, *actions: Action) -> None:
        """Append ``actions`` to the queue."""
        with self._lock:
            self._queue.extend(actions)

    def respond_with(self, responder: Responder) -> None:
        """Answer every chat-completion request with ``responder(request)``."""
        with self._lock:
            self._responder = responder
            self._queue.clear()

    # -- observations (thread-safe snapshots)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in arrival order (GET /v1/models included)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.is_chat]

    @property
    def call_count(self) -> int:
        """Number of chat-completion requests received."""
        return len(self.chat_requests)

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        """Peak number of chat-completion requests being handled at the same time."""
        with self._lock:
            return self._max_in_flight

    def reset(self) -> None:
        """Forget recorded requests, the concurrency peak and script errors (not the script)."""
        with self._lock:
            self._requests.clear()
            self._max_in_flight = self._in_flight
            self.script_errors.clear()

    # -- lifecycle

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("OpenAIServer is not started: call start() or use `with`")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``: pass as litellm's ``api_base``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> OpenAIServer:
        if self._httpd is not None:
            raise RuntimeError("OpenAIServer already started")
        self._stopping.clear()
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"openai-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake hanging handlers, close open connections, join threads (bounded)."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self._stopping.set()
        httpd.shutdown()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:  # idle keep-alive connections block their handler in readline()
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        thread.join(STOP_TIMEOUT_S)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for worker in httpd.workers():
            worker.join(max(0.0, deadline - time.monotonic()))
        self._httpd = self._thread = None
        leaked = [w.name for w in httpd.workers() if w.is_alive()]
        if thread.is_alive() or leaked:
            raise RuntimeError(
                f"OpenAIServer threads did not stop within {STOP_TIMEOUT_S}s: "
                f"{[thread.name] if thread.is_alive() else []}{leaked}"
            )

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- used by the handler

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_index(self) -> int:
        with self._lock:
            return len(self._requests)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _track(self, sock: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._sockets.add if open_ else self._sockets.discard)(sock)

    def _choose(self, request: RecordedRequest) -> Action:
        with self._lock:
            responder = self._responder
            if responder is None:
                if self._queue:
                    self._last = self._queue.popleft()
                    return self._last
                if self.repeat_last and self._last is not None:
                    return self._last
                last = _content_text(request.last_message().get("content"))[:200]
                message = (
                    f"openai_server: script exhausted at request #{request.index} "
                    f"(last message: {last!r}); add actions with server.script()/enqueue() "
                    "or pass repeat_last=True"
                )
                self.script_errors.append(message)
                return Fault(400, body={"error": {"message": message, "type": "script_exhausted"}})
        try:
            return responder(request)
        except Exception as exc:  # a broken responder is a test bug: surface it, don't hang
            message = f"openai_server: responder raised {exc!r} on request #{request.index}"
            with self._lock:
                self.script_errors.append(message)
            return Fault(400, body={"error": {"message": message, "type": "responder_error"}})

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server is stopping; True if the sleep ran to the end."""
        return not self._stopping.wait(seconds) if seconds > 0 else True

    def _completion(self, request: RecordedRequest, action: Reply | Malformed) -> dict[str, Any]:
        as_tool = bool(request.tools)
        if isinstance(action, Reply):
            if isinstance(action.content, str):
                as_tool = False if action.tool is None else action.tool
                payload = action.content
            else:
                as_tool = as_tool if action.tool is None else action.tool
                payload = _serialise(action.content)
        else:
            payload = action.text
        message: dict[str, Any] = {"role": "assistant", "content": None if as_tool else payload}
        if as_tool:
            message["tool_calls"] = [
                {
                    "id": f"call_{next(self._ids)}",
                    "type": "function",
                    "function": {"name": _tool_name(request, action), "arguments": payload},
                }
            ]
        finish = action.finish_reason if isinstance(action, Reply) else None
        usage = {
            "prompt_tokens": _estimate_tokens(request.text()),
            "completion_tokens": _estimate_tokens(payload),
        }
        if isinstance(action, Reply) and action.usage:
            usage.update(action.usage)
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model or "test-model",
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": finish or ("tool_calls" if as_tool else "stop"),
                }
            ],
            "usage": usage,
        }

    # -- batch API

    def _store_file(self, data: bytes, purpose: str, name: str) -> dict[str, Any]:
        with self._lock:
            file_id = f"file-{next(self._ids)}"
            self.files[file_id] = data
        return _file_object(file_id, data, purpose, name)

    def _create_batch(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        input_id = body.get("input_file_id")
        with self._lock:
            data = self.files.get(str(input_id))
            batch_id = f"batch_{next(self._ids)}"
        if data is None:
            return 404, _error(f"openai_server: no file {input_id!r}", "not_found")
        lines = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
        outcome = self.batch_outcome
        done = len(lines) if outcome == "completed" else 0
        if outcome == "expired":
            done = min(self.batch_done_items, len(lines))
        outputs: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(lines):
            if number >= done:
                error = {"code": "batch_expired", "message": "not done in the window"}
                errors.append(json.dumps({"custom_id": line["custom_id"], "error": error}))
                continue
            request = RecordedRequest(
                index=-1,
                method="POST",
                path="/v1/chat/completions",
                headers=Headers(),
                body=line["body"],
                raw_body=json.dumps(line["body"]).encode(),
                received_at=time.monotonic(),
            )
            with self._lock:
                self.batch_lines.append(request)
            action = self._choose(request)
            while isinstance(action, Latency):
                action = action.then
            if isinstance(action, Reply | Malformed):
                response = {"status_code": 200, "body": self._completion(request, action)}
            else:
                status = action.status if isinstance(action, Fault) else 500
                response = {"status_code": status, "body": _error("injected fault")}
            outputs.append(
                json.dumps(
                    {
                        "id": f"resp_{number}",
                        "custom_id": line["custom_id"],
                        "response": response,
                        "error": None,
                    }
                )
            )
        final: dict[str, Any] = {"status": outcome}
        if outcome != "failed":
            if outputs:
                final["output_file_id"] = self._store_file(
                    ("\n".join(outputs) + "\n").encode(), "batch_output", "output.jsonl"
                )["id"]
            if errors:
                final["error_file_id"] = self._store_file(
                    ("\n".join(errors) + "\n").encode(), "batch_output", "errors.jsonl"
                )["id"]
        else:
            final["errors"] = {"object": "list", "data": [{"code": "failed", "message": "x"}]}
        final["request_counts"] = {
            "total": len(lines),
            "completed": done,
            "failed": len(lines) - done,
        }
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body.get("endpoint"),
            "input_file_id": input_id,
            "completion_window": body.get("completion_window", "24h"),
            "status": "validating",
            "created_at": int(time.time()),
            "output_file_id": None,
            "error_file_id": None,
            "errors": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        with self._lock:
            self.batches[batch_id] = batch
            self._batch_finals[batch_id] = final
            self._batch_polls_left[batch_id] = self.batch_polls
        return 200, batch

    def _retrieve_batch(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return 404, _error(f"openai_server: no batch {batch_id!r}", "not_found")
            if self._batch_polls_left[batch_id] > 0:
                self._batch_polls_left[batch_id] -= 1
                batch["status"] = "in_progress"
            else:
                batch.update(self._batch_finals[batch_id])
            return 200, dict(batch)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # never block interpreter exit; stop() joins them explicitly
    # socketserver's default listen backlog of 5 drops SYNs when many clients connect at once,
    # and each dropped SYN costs the client a 1 s retransmit: a fake latency spike.
    request_queue_size = 256
    owner: OpenAIServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._workers: list[threading.Thread] = []
        self._workers_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"openai-server-conn-{client_address[1]}",
            daemon=True,
        )
        with self._workers_lock:
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
        worker.start()

    def workers(self) -> list[threading.Thread]:
        with self._workers_lock:
            return list(self._workers)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real providers do
    # Headers and body go out in separate writes; with Nagle's algorithm and the client's
    # delayed ACK each response would wait ~40 ms on loopback: a fake latency.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, True)

    def finish(self) -> None:
        self.server.owner._track(self.connection, False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base-class name
        pass  # keep test output clean; requests are recorded instead

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        owner = self.server.owner
        self._read_request()
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        if parts and parts[0] == "v1":
            parts = parts[1:]
        if len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            data = owner.files.get(parts[1])
            if data is None:
                self._send_json(404, _error(f"openai_server: no file {parts[1]!r}", "not_found"))
            else:
                self._send(200, data.decode(), {"Content-Type": "application/jsonl"})
        elif len(parts) == 2 and parts[0] == "files" and parts[1] in owner.files:
            self._send_json(200, _file_object(parts[1], owner.files[parts[1]], "batch", "f"))
        elif len(parts) == 2 and parts[0] == "batches":
            self._send_json(*owner._retrieve_batch(parts[1]))
        elif path in MODELS_PATHS:
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "openai-server"}
                for m in owner.model_ids
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, _error(f"openai_server: no route GET {self.path}", "not_found"))

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        owner = self.server.owner
        request = self._read_request()
        if request.path in FILES_PATHS:
            self._upload(request)
            return
        if request.path in BATCHES_PATHS:
            self._send_json(*owner._create_batch(request.json))
            return
        if not request.is_chat:
            self._send_json(404, _error(f"openai_server: no route POST {self.path}", "not_found"))
            return
        if not isinstance(request.body, dict):
            self._send_json(400, _error("openai_server: request body is not a JSON object"))
            return
        owner._enter()
        try:
            if not owner._sleep(owner.latency):
                return self._drop()
            self._perform(request, owner._choose(request))
        finally:
            owner._leave()

    def _perform(self, request: RecordedRequest, action: Action) -> None:
        owner = self.server.owner
        while isinstance(action, Latency):
            if not owner._sleep(action.seconds):
                return self._drop()
            action = action.then
        if isinstance(action, Fault):
            body = (
                action.body
                if action.body is not None
                else _error(
                    f"openai_server: injected fault {action.status}", _error_type(action.status)
                )
            )
            self._send(action.status, body, action.headers)
        elif isinstance(action, Hang):
            owner._sleep(action.seconds)
            self._drop()
        elif isinstance(action, Reply | Malformed):
            completion = owner._completion(request, action)
            if request.stream:
                self._send_stream(completion, request)
            else:
                self._send_json(200, completion)
        else:
            message = f"openai_server: unknown action {action!r}"
            owner.script_errors.append(message)
            self._send_json(400, _error(message))

    def _upload(self, request: RecordedRequest) -> None:
        """POST /v1/files: multipart/form-data with ``purpose`` and ``file``."""
        from email.parser import BytesParser
        from email.policy import HTTP

        head = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.raw_body)
        fields: dict[str, tuple[str, bytes]] = {}
        for part in message.iter_parts() if message.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename() or ""
            fields[str(name)] = (filename, part.get_payload(decode=True) or b"")
        if "file" not in fields:
            self._send_json(400, _error("openai_server: upload has no 'file' part"))
            return
        purpose = fields.get("purpose", ("", b"batch"))[1].decode()
        filename, data = fields["file"]
        self._send_json(200, self.server.owner._store_file(data, purpose, filename))

    # -- plumbing

    def _read_request(self) -> RecordedRequest:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = RecordedRequest(
            index=owner._next_index(),
            method=self.command,
            path=self.path.split("?")[0],
            headers=Headers(self.headers.items()),
            body=body,
            raw_body=raw,
            received_at=time.monotonic(),
        )
        owner._record(request)
        return request

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, payload, {})

    def _send(self, status: int, body: str | Mapping[str, Any], headers: Mapping[str, str]) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        names = {k.lower() for k in headers}
        if "content-type" not in names:
            self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(data)

    def _send_stream(self, completion: dict[str, Any], request: RecordedRequest) -> None:
        """Server-sent events: role chunk, content or tool-call chunk, finish chunk, [DONE]."""
        choice = completion["choices"][0]
        message = choice["message"]
        base = {k: completion[k] for k in ("id", "created", "model", "system_fingerprint")}
        base["object"] = "chat.completion.chunk"

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        events = [chunk({"role": "assistant", "content": ""})]
        if message.get("tool_calls"):
            calls = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
            events.append(chunk({"tool_calls": calls}))
        else:
            events.append(chunk({"content": message["content"]}))
        events.append(chunk({}, choice["finish_reason"]))
        if (request.json.get("stream_options") or {}).get("include_usage"):
            events.append({**base, "choices": [], "usage": completion["usage"]})
        payload = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(payload.encode())))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(payload.encode())


def _file_object(file_id: str, data: bytes, purpose: str, name: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": len(data),
        "created_at": int(time.time()),
        "filename": name,
        "purpose": purpose,
        "status": "processed",
    }


def _error_type(status: int) -> str:
    return {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found",
        429: "rate_limit_exceeded",
    }.get(status, "server_error")


def _error(message: str, type_: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": None}}
