"""Preflight and error classes: an unusable model is found before the first request, and errors
that every request would repeat are never retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.atomic import write_text_atomic
from pipeline.errors import ProviderFatal
from pipeline.seam.preflight import check_server, preflight
from pipeline.seam.retry import fatal_action, fatal_errors_stop, is_transient
from pipeline.seam.settings import ModelConfig


def test_unknown_provider_lists_the_fix() -> None:
    with pytest.raises(ProviderFatal, match="knows no provider") as caught:
        preflight([ModelConfig(model="nosuchprovider/x")])
    assert "openai/gpt-4o-mini" in str(caught.value) and "anthropic" in str(caught.value)


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderFatal, match="not set: OPENAI_API_KEY; set them"):
        preflight([ModelConfig(model="openai/gpt-4o-mini")])
    # a provider whose only missing variable is its address uses the default address
    preflight([ModelConfig(model="ollama_chat/qwen2.5")])
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    preflight([ModelConfig(model="anthropic/claude-3-5-haiku-latest")])  # no error


def test_the_local_model_needs_nothing() -> None:
    preflight([ModelConfig()])


@pytest.fixture
def free_port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield port


def test_a_refused_server_is_retried_within_the_budget_then_named(free_port: int) -> None:
    ticks = iter(range(100))  # a clock that advances one second per look
    with pytest.raises(ProviderFatal, match=f"nothing answers at --api-base .*:{free_port}"):
        check_server(
            "openai/x", f"http://127.0.0.1:{free_port}/v1", budget_s=3, clock=lambda: next(ticks)
        )
    assert next(ticks) <= 6  # stopped once the budget was spent, not after every tick


def test_a_listening_server_passes(free_port: int) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", free_port))
        server.listen()
        check_server("openai/x", f"http://127.0.0.1:{free_port}/v1")


def test_a_malformed_api_base_is_refused() -> None:
    with pytest.raises(ProviderFatal, match="is not a URL"):
        check_server("openai/x", "http://:notaport/v1")


def test_missing_credentials_reported_as_a_500_are_fatal_not_transient() -> None:
    from pipeline.seam.providers import litellm_module

    litellm = litellm_module()
    error = litellm.InternalServerError(
        message="OpenAIException - Missing credentials. Please pass an `api_key`",
        llm_provider="openai",
        model="gpt-4o-mini",
    )
    assert not is_transient(error)
    assert fatal_action(error) is not None and "OPENAI_API_KEY" in str(fatal_action(error))
    with pytest.raises(ProviderFatal, match="Missing credentials"), fatal_errors_stop("m"):
        raise error
    outage = litellm.InternalServerError(message="upstream 500", llm_provider="openai", model="m")
    assert is_transient(outage) and fatal_action(outage) is None


def test_a_paper_quoting_a_key_error_is_not_fatal() -> None:
    """Validation errors quote the model's answer (paper text); only provider errors count."""
    from pydantic import BaseModel, ValidationError

    class Item(BaseModel):
        count: int

    with pytest.raises(ValidationError) as caught:
        Item.model_validate({"count": "Missing credentials in the abstract"})
    assert fatal_action(caught.value) is None


def test_atomic_write_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "survey.md"
    write_text_atomic(target, "old\n")

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["survey.md"]  # no temp file left behind
