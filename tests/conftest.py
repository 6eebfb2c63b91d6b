"""Shared pytest fixtures: an offline LLM environment and a scripted OpenAI-compatible server.

No test may reach a real LLM API. Three layers make sure of it:
- ``pytest_configure`` sets litellm's offline variables before any test module is imported
  (litellm reads them at import time, and collection imports test modules before fixtures run);
- the autouse ``_offline_environment`` fixture removes provider keys and base URLs from the
  environment for the whole session;
- the autouse ``_no_outside_network`` fixture refuses socket connections to anything but
  loopback, with a message pointing at the ``openai_server`` fixture.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# Test modules import helpers as `tests.openai_server`; with no tests/__init__.py pytest puts only
# tests/ on sys.path, so add the project root too (a no-op under `python -m pytest`).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.openai_server import OpenAIServer  # noqa: E402 - needs the sys.path entry above

OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # else litellm fetches its price map at import
    "HF_HUB_OFFLINE": "1",  # else token counting retries a hub download for ~23 s
    "LITELLM_TELEMETRY": "False",
}
# Anything that could route a call to a real provider: keys, tokens and base-URL overrides.
PROVIDER_ENV = re.compile(
    r"(_API_KEY|_API_TOKEN|_API_BASE|_BASE_URL|_ACCESS_KEY_ID)$|^AWS_|^AZURE_"
)
FAKE_OPENAI_KEY = "sk-test-not-a-real-key"


def pytest_configure(config: pytest.Config) -> None:
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


@pytest.fixture(autouse=True, scope="session")
def _offline_environment() -> Iterator[None]:
    """Offline litellm settings on, real provider credentials and endpoints out, for the session."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in OFFLINE_ENV.items():
            mp.setenv(name, value)
        for name in list(os.environ):
            if PROVIDER_ENV.search(name):
                mp.delenv(name)
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_outside_network() -> Iterator[None]:
    """Refuse TCP connections to non-loopback addresses (unix sockets stay allowed)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host = str(address[0])
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConnectionRefusedError(
                f"tests must not reach the network: connection to {host}:{address[1]} refused by "
                "tests/conftest.py; point the client at the `openai_server` fixture "
                "(api_base=openai_server.base_url)"
            )

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        yield


@pytest.fixture
def fake_openai_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """Set OPENAI_API_KEY to an obviously fake key for code that reads it from the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    return FAKE_OPENAI_KEY


@pytest.fixture(scope="session")
def offline_litellm() -> ModuleType:
    """The litellm module, imported after the offline settings, with debug banners off."""
    import litellm

    litellm.suppress_debug_info = True
    return litellm


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A started scripted server (see tests/openai_server.py); empty script until the test sets one.

    Fails the test at teardown if the server answered a request it had no script for.
    """
    with OpenAIServer() as server:
        yield server
    if server.script_errors:
        pytest.fail("openai_server: " + "; ".join(server.script_errors), pytrace=False)
