"""Before the first model request of a run: can every model of the run be asked at all?

For each distinct (model, api_base): litellm knows the provider, the provider's credentials are in
the environment, and an ``--api-base`` server accepts connections. A failure is a ProviderFatal
with the fix, raised within seconds instead of after hundreds of failed, retried requests.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from pipeline.errors import ProviderFatal
from pipeline.seam.settings import ModelConfig

# How long a server that refuses connections gets to come up (e.g. one started with the run).
CONNECT_BUDGET_S = 10.0
CONNECT_TIMEOUT_S = 3.0


def preflight(
    configs: Iterable[ModelConfig],
    *,
    budget_s: float = CONNECT_BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Raise ProviderFatal naming the fix if a model of the run cannot be asked."""
    seen: set[tuple[str, str | None]] = set()
    for config in configs:
        if config.model.startswith("local/") or (config.model, config.api_base) in seen:
            continue
        seen.add((config.model, config.api_base))
        check_provider(config)
        if config.api_base:
            check_server(config.model, config.api_base, budget_s=budget_s, clock=clock)


def check_provider(config: ModelConfig) -> None:
    """litellm resolves the provider of ``config.model`` and finds its credentials."""
    from pipeline.seam.providers import litellm_module

    litellm = litellm_module()
    try:
        _, provider, _, _ = litellm.get_llm_provider(model=config.model, api_base=config.api_base)
    except Exception:  # litellm raises BadRequestError for a name it cannot place
        known = ", ".join(sorted(str(p) for p in litellm.provider_list)[:40])
        raise ProviderFatal(
            f"--model {config.model!r}: litellm knows no provider for it. Write models as "
            f"provider/name, e.g. openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest, "
            f"ollama/qwen2.5, hosted_vllm/NAME with --api-base; providers include: {known}, …"
        ) from None
    try:
        found = litellm.validate_environment(model=config.model, api_base=config.api_base)
    except Exception:  # a provider litellm cannot check: the first request will tell
        return
    # A missing *_API_BASE is not fatal: the provider's default address applies (ollama_chat).
    missing = [
        str(name)
        for name in found.get("missing_keys") or []
        if not str(name).endswith(("_API_BASE", "_BASE_URL"))
    ]
    if missing:
        raise ProviderFatal(
            f"--model {config.model!r} ({provider}) needs credentials that are not set: "
            f"{', '.join(missing)}; set them in the environment (e.g. export {missing[0]}=...) "
            "and run again"
        )


def check_server(
    model: str,
    api_base: str,
    *,
    budget_s: float = CONNECT_BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """A TCP connection to ``api_base`` succeeds, retried for ``budget_s`` while it is refused."""
    parts = urlsplit(api_base if "://" in api_base else f"http://{api_base}")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        host = None
    if not host:
        raise ProviderFatal(f"--api-base {api_base!r} is not a URL: write e.g. http://host:8000/v1")
    started = clock()
    while True:
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
                return
        except socket.gaierror as exc:
            raise ProviderFatal(
                f"--api-base {api_base}: host {host!r} is unknown ({exc.strerror}): fix the address"
            ) from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            if clock() - started >= budget_s:
                raise ProviderFatal(
                    f"nothing answers at --api-base {api_base} ({host}:{port}: {reason}, "
                    f"tried for {budget_s:.0f} s) for model {model!r}: start the server or fix "
                    "--api-base. Nothing was published."
                ) from None
            time.sleep(0.5)
