"""Which provider errors are transient, and how long to wait before trying again."""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.errors import ProviderFatal

# litellm exception class names that a later attempt can cure (see DEPENDENCY-NOTES.md).
TRANSIENT = {
    "RateLimitError",
    "InternalServerError",
    "BadGatewayError",
    "ServiceUnavailableError",
    "Timeout",
    "APIConnectionError",
    "APITimeoutError",
}


class RemoteError(Exception):
    """A request that failed in a worker process (seam/workers.py), as the worker judged it."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        classes: tuple[str, ...] = (),
    ):
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.classes = classes  # the class names of the worker's error, most specific first


@dataclass(frozen=True)
class RetryPolicy:
    """Transport retries: exponential backoff with full jitter, honouring Retry-After."""

    attempts: int = 6
    wait_base: float = 1.0
    wait_max: float = 60.0


def root_cause(exc: BaseException) -> BaseException:
    """instructor wraps transport errors (InstructorRetryException); find the provider's error."""
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        if type(current).__name__ in TRANSIENT:
            return current
        nested = current.__cause__ or current.__context__
        if nested is None:
            break
        current = nested
    return current


def is_transient(exc: BaseException) -> bool:
    if fatal_action(exc) is not None:  # e.g. "Missing credentials", reported as a 500 by litellm
        return False
    return _transient_class(exc)


def _transient_class(exc: BaseException) -> bool:
    cause = root_cause(exc)
    if isinstance(cause, RemoteError):
        return cause.transient
    return type(cause).__name__ in TRANSIENT


def retry_after_seconds(exc: BaseException) -> float | None:
    """The Retry-After header of a provider error, when it carries one (seconds only)."""
    cause = root_cause(exc)
    if isinstance(cause, RemoteError):
        return cause.retry_after
    header_sources: list[Any] = [
        getattr(getattr(cause, "response", None), "headers", None),
        getattr(cause, "litellm_response_headers", None),
        getattr(cause, "headers", None),
    ]
    for headers in header_sources:
        if not headers:
            continue
        try:
            value = headers.get("retry-after") or headers.get("Retry-After")
        except AttributeError:
            continue
        if value is None:
            continue
        try:
            return max(0.0, float(value))
        except (TypeError, ValueError):
            return None
    return None


def backoff_seconds(
    policy: RetryPolicy, attempt: int, exc: BaseException, rng: random.Random
) -> float:
    """Seconds to wait before attempt ``attempt + 1`` (attempt counts from 1)."""
    hinted = retry_after_seconds(exc)
    if hinted is not None:
        return min(hinted, policy.wait_max)
    ceiling = min(policy.wait_max, policy.wait_base * (2 ** (attempt - 1)))
    return rng.uniform(0, ceiling)


def provider_error(exc: BaseException) -> BaseException:
    """The exception that says what went wrong: the transient cause, else the outermost
    provider (litellm) or validation error in the chain, else the innermost one."""
    cause = root_cause(exc)
    if _transient_class(exc):
        return cause
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        module = type(current).__module__
        if module.startswith(("litellm", "pydantic", "pipeline")):
            return current
        current = current.__cause__ or current.__context__
    return cause


# Errors that every further request would repeat, with what to do about them.
FATAL_ERRORS = {
    "AuthenticationError": "check the provider's API key environment variable "
    "(e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY)",
    "PermissionDeniedError": "check that the key may use this model",
    "NotFoundError": "check --model (litellm form, e.g. openai/gpt-4o-mini) and --api-base",
}


_KEY_ACTION = (
    "set the provider's API key environment variable (e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY)"
)

# Error texts that mean the same as a fatal class, whatever class litellm wraps them in
# (a missing key surfaces as an InternalServerError / APIConnectionError, an unknown provider
# as a BadRequestError).
FATAL_MESSAGES = (
    (re.compile(r"missing credentials|api_key client option must be set|no api key", re.I),
     _KEY_ACTION),
    (re.compile(r"incorrect api key|invalid api key|invalid x-api-key", re.I),
     FATAL_ERRORS["AuthenticationError"]),
    (re.compile(r"LLM Provider NOT provided", re.I),
     "write --model as provider/name (e.g. openai/gpt-4o-mini); see litellm's provider list"),
)  # fmt: skip


def fatal_action(exc: BaseException) -> str | None:
    """What to do about an error that every further request would repeat; None if a retry may
    help or the error is about this request only."""
    cause = provider_error(exc)
    names = {cls.__name__ for cls in type(cause).__mro__}
    text = str(cause)
    if isinstance(cause, RemoteError):
        names, text = set(cause.classes), cause.message
    for name, action in FATAL_ERRORS.items():
        if name in names:
            return action
    if not isinstance(cause, RemoteError) and not type(cause).__module__.startswith(
        ("litellm", "openai", "httpx")
    ):
        return None  # e.g. a validation error, whose text may quote a paper
    for pattern, action in FATAL_MESSAGES:
        if pattern.search(text):
            return action
    return None


@contextlib.contextmanager
def fatal_errors_stop(model: str) -> Iterator[None]:
    """Turn provider errors that no retry can cure into ProviderFatal (the run stops)."""
    try:
        yield
    except Exception as exc:
        action = fatal_action(exc)
        if action is not None:
            raise ProviderFatal(
                f"model {model!r} refused the request ({short_error(exc)}): {action}. "
                "Nothing was published; answers finished so far are cached."
            ) from None
        raise


def short_error(exc: BaseException) -> str:
    from pipeline.redact import redact

    cause = provider_error(exc)
    if isinstance(cause, RemoteError):  # the worker's short_error already
        return redact(cause.message)
    text = " ".join(str(cause).split("Traceback (most recent call last)")[0].split())
    return redact(f"{type(cause).__name__}: {text[:500]}")
