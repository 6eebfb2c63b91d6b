"""The scripted OpenAI server works with the real clients (litellm, instructor) over HTTP.

These tests also pin client behaviour that our retry and error handling relies on: which
exception each fault becomes, where Retry-After is found, and that `num_retries=0` means one
HTTP request.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import threading
import time
import urllib.request
from types import ModuleType
from typing import Any, cast

import instructor
import pytest
from instructor.core import InstructorRetryException
from pydantic import BaseModel, ConfigDict

from tests.openai_server import (
    Fault,
    Hang,
    Latency,
    Malformed,
    OpenAIServer,
    RecordedRequest,
    Reply,
)

MESSAGES = [{"role": "user", "content": "Classify: FlashAttention speeds up attention."}]


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str
    confidence: float


def call_args(server: OpenAIServer, model: str = "openai/test-model") -> dict[str, Any]:
    return {
        "model": model,
        "api_base": server.base_url,
        "api_key": "sk-test",
        "messages": MESSAGES,
        "num_retries": 0,
    }


# --------------------------------------------------------------------------- plain litellm


def test_completion_returns_scripted_text_and_records_request(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply("hello from the fake"))

    response = offline_litellm.completion(**call_args(openai_server), temperature=0)

    assert response.choices[0].message.content == "hello from the fake"
    assert response.usage.prompt_tokens == len(MESSAGES[0]["content"]) // 4
    assert response.usage.completion_tokens == len("hello from the fake") // 4
    [request] = openai_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.model == "test-model"
    assert request.messages == MESSAGES
    assert request.json["temperature"] == 0
    assert request.headers["Authorization"] == request.headers["authorization"] == "Bearer sk-test"
    assert openai_server.call_count == 1


async def test_acompletion_turns_an_object_into_json_content(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply({"category": "attention", "confidence": 0.9}))

    response = await offline_litellm.acompletion(**call_args(openai_server))

    content = response.choices[0].message.content
    assert json.loads(content) == {"category": "attention", "confidence": 0.9}
    assert response.choices[0].finish_reason == "stop"


def test_hosted_vllm_provider_uses_the_same_endpoint(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply("vllm says hi"))

    response = offline_litellm.completion(**call_args(openai_server, "hosted_vllm/test-model"))

    assert response.choices[0].message.content == "vllm says hi"
    [request] = openai_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.model == "test-model"


def test_streaming_reply_arrives_as_sse_chunks(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply("streamed answer"))

    chunks = list(offline_litellm.completion(**call_args(openai_server), stream=True))

    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "streamed answer"
    assert openai_server.requests[0].stream


def test_models_endpoint_lists_the_test_model(openai_server: OpenAIServer) -> None:
    with urllib.request.urlopen(f"{openai_server.base_url}/models", timeout=5) as response:
        listing = json.load(response)

    assert [m["id"] for m in listing["data"]] == ["test-model"]


def test_responder_callable_sees_each_request(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    def echo(request: RecordedRequest) -> Reply:
        return Reply(f"#{request.index}: {request.last_message()['content']}")

    openai_server.respond_with(echo)

    first = offline_litellm.completion(**call_args(openai_server))
    second = offline_litellm.completion(**call_args(openai_server))

    assert first.choices[0].message.content == f"#0: {MESSAGES[0]['content']}"
    assert second.choices[0].message.content == f"#1: {MESSAGES[0]['content']}"


# --------------------------------------------------------------------------- faults


def test_429_is_rate_limit_error_with_retry_after_in_litellm_response_headers(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Fault(429, headers={"Retry-After": "7"}))

    with pytest.raises(offline_litellm.RateLimitError) as caught:
        offline_litellm.completion(**call_args(openai_server))

    assert caught.value.status_code == 429
    # litellm rebuilds exc.response without the provider's headers; the real ones are here:
    assert caught.value.litellm_response_headers["retry-after"] == "7"
    assert "retry-after" not in caught.value.response.headers
    assert openai_server.call_count == 1


def test_500_is_internal_server_error(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Fault(500))

    with pytest.raises(offline_litellm.InternalServerError):
        offline_litellm.completion(**call_args(openai_server))

    assert openai_server.call_count == 1


def test_openai_sdk_retries_twice_unless_num_retries_is_zero(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    # retry-after-ms keeps the SDK's back-off to 1 ms so the default behaviour is cheap to show.
    openai_server.script(Fault(503, headers={"retry-after-ms": "1"}))
    openai_server.repeat_last = True
    args = call_args(openai_server)
    del args["num_retries"]

    with pytest.raises(offline_litellm.ServiceUnavailableError):
        offline_litellm.completion(**args)

    retry_counts = [r.headers["x-stainless-retry-count"] for r in openai_server.requests]
    assert retry_counts == ["0", "1", "2"]


def test_hang_past_timeout_is_litellm_timeout(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Hang(30))
    started = time.monotonic()

    with pytest.raises(offline_litellm.Timeout):
        offline_litellm.completion(**call_args(openai_server), timeout=0.5)

    assert time.monotonic() - started < 5
    assert openai_server.call_count == 1


def test_dropped_connection_is_a_connection_error(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Hang(0))

    # litellm maps the SDK's APIConnectionError to InternalServerError for openai/ models.
    with pytest.raises((offline_litellm.APIConnectionError, offline_litellm.InternalServerError)):
        offline_litellm.completion(**call_args(openai_server))


def test_exhausted_script_answers_400_and_is_reported(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply("only one"))
    offline_litellm.completion(**call_args(openai_server))

    with pytest.raises(offline_litellm.BadRequestError, match="script exhausted at request #1"):
        offline_litellm.completion(**call_args(openai_server))

    assert len(openai_server.script_errors) == 1
    openai_server.script_errors.clear()  # expected here; the fixture fails tests that leave one


# --------------------------------------------------------------------------- instructor

WORKING_MODES = [
    instructor.Mode.JSON,
    instructor.Mode.MD_JSON,
    instructor.Mode.JSON_SCHEMA,
    instructor.Mode.TOOLS,
]
MCP_INSTALLED = importlib.util.find_spec("mcp") is not None


def async_client(litellm: ModuleType, mode: instructor.Mode) -> instructor.AsyncInstructor:
    # from_litellm's overloads can't tell mypy that acompletion makes an async client.
    return cast(instructor.AsyncInstructor, instructor.from_litellm(litellm.acompletion, mode=mode))


def mode_args(server: OpenAIServer, mode: instructor.Mode) -> dict[str, Any]:
    """Call arguments; TOOLS mode skips litellm's MCP gateway check, which imports `mcp`."""
    args = call_args(server)
    if mode is instructor.Mode.TOOLS:
        args["_skip_mcp_handler"] = True
    return args


@pytest.mark.parametrize("mode", WORKING_MODES, ids=lambda m: m.name)
async def test_instructor_mode_returns_validated_model(
    offline_litellm: ModuleType, openai_server: OpenAIServer, mode: instructor.Mode
) -> None:
    openai_server.script(Reply(Label(category="attention", confidence=0.9)))
    client = async_client(offline_litellm, mode)

    label = await client.chat.completions.create(
        response_model=Label, **mode_args(openai_server, mode)
    )

    assert label.model_dump() == {"category": "attention", "confidence": 0.9}
    [request] = openai_server.requests
    if mode is instructor.Mode.TOOLS:
        assert request.tools[0]["function"]["name"] == "Label"
    else:
        assert not request.tools


@pytest.mark.parametrize("mode", WORKING_MODES, ids=lambda m: m.name)
async def test_instructor_reasks_after_malformed_answer(
    offline_litellm: ModuleType, openai_server: OpenAIServer, mode: instructor.Mode
) -> None:
    openai_server.script(
        Malformed('{"category": "attention", "confidence": '),
        Reply({"category": "attention", "confidence": 0.5}),
    )
    client = async_client(offline_litellm, mode)

    label, completion = await client.chat.completions.create_with_completion(
        response_model=Label, max_retries=2, **mode_args(openai_server, mode)
    )

    assert label.model_dump() == {"category": "attention", "confidence": 0.5}
    first, second = openai_server.requests
    assert len(second.messages) > len(first.messages)  # the re-ask carries the error back
    assert "attention" in second.text()
    assert completion.usage.prompt_tokens > 0


async def test_tools_mode_without_skip_flag_needs_the_mcp_package(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply({"category": "attention", "confidence": 0.9}))
    client = async_client(offline_litellm, instructor.Mode.TOOLS)
    create = client.chat.completions.create(response_model=Label, **call_args(openai_server))

    if MCP_INSTALLED:
        assert (await create).category == "attention"
    else:
        with pytest.raises(InstructorRetryException, match="No module named 'mcp'"):
            await create
        assert openai_server.call_count == 0


async def test_instructor_max_retries_counts_reasks_not_attempts(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply({"category": "attention"}))  # confidence missing, every time
    openai_server.repeat_last = True
    client = async_client(offline_litellm, instructor.Mode.JSON)

    with pytest.raises(InstructorRetryException):
        await client.chat.completions.create(
            response_model=Label, max_retries=2, **call_args(openai_server)
        )

    assert openai_server.call_count == 3  # the first attempt plus max_retries re-asks


async def test_instructor_wraps_transport_errors(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Fault(429, headers={"Retry-After": "3"}))
    client = async_client(offline_litellm, instructor.Mode.JSON)

    with pytest.raises(InstructorRetryException) as caught:
        await client.chat.completions.create(
            response_model=Label, max_retries=1, **call_args(openai_server)
        )

    cause = caught.value.__cause__
    assert isinstance(cause, offline_litellm.RateLimitError)
    assert cause.litellm_response_headers["retry-after"] == "3"
    assert openai_server.call_count == 1


# --------------------------------------------------------------------------- concurrency


async def test_concurrent_calls_overlap(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Reply("ok"))
    openai_server.repeat_last = True
    calls = 20
    await offline_litellm.acompletion(**call_args(openai_server))  # first call pays lazy imports
    openai_server.reset()
    openai_server.latency = 0.1

    responses = await asyncio.gather(
        *(offline_litellm.acompletion(**call_args(openai_server)) for _ in range(calls))
    )

    assert [r.choices[0].message.content for r in responses] == ["ok"] * calls
    # Overlap is proven by the server's in-flight peak, not by wall time (noisy shared machines).
    assert openai_server.max_in_flight >= 10
    assert openai_server.in_flight == 0


async def test_latency_action_delays_one_answer(
    offline_litellm: ModuleType, openai_server: OpenAIServer
) -> None:
    openai_server.script(Latency(0.3, then=Reply("late")))
    started = time.monotonic()

    response = await offline_litellm.acompletion(**call_args(openai_server))

    assert response.choices[0].message.content == "late"
    assert time.monotonic() - started >= 0.3


# --------------------------------------------------------------------------- lifecycle


def test_stop_interrupts_hanging_requests_and_leaves_no_threads() -> None:
    before = {t.name for t in threading.enumerate()}
    server = OpenAIServer([Hang(60)]).start()
    port = server.port
    client = socket.create_connection(("127.0.0.1", port), timeout=5)
    body = json.dumps({"model": "m", "messages": []}).encode()
    client.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    deadline = time.monotonic() + 5
    while server.in_flight == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.in_flight == 1

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 2
    assert client.recv(1024) == b""  # dropped without an answer
    client.close()
    leftover = {t.name for t in threading.enumerate()} - before
    assert not [name for name in leftover if name.startswith("openai-server")]


def test_base_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = OpenAIServer().base_url


def test_outside_network_is_refused() -> None:
    # 0.0.0.0 is not loopback to the guard, yet would only ever reach this machine.
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="openai_server"):
        sock.connect(("0.0.0.0", 9))
