"""Keep secrets out of messages: API keys, bearer tokens, credentials in URLs."""

from __future__ import annotations

import logging
import os
import re

_SECRET_ENV = re.compile(r"(_API_KEY|_API_TOKEN|_ACCESS_KEY|_SECRET|_TOKEN)$")
_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[^\s'\",]+"),
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"(?i)(https?://)[^/\s:@]+:[^/\s@]+@"),  # user:password@host
    re.compile(r"(?i)([?&](?:key|api_key|apikey|token|access_token)=)[^&\s'\"]+"),
]
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with the values of secret environment variables and key-like strings removed."""
    for name, value in os.environ.items():
        if value and len(value) >= 8 and _SECRET_ENV.search(name):
            text = text.replace(value, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts every record's message before it is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def install_logging(level: int) -> None:
    """Root logging with redaction; chatty client libraries only speak with --verbose."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    if level > logging.DEBUG:
        # instructor logs each failed attempt (with the provider's message) at ERROR; the run
        # report and our own error lines already carry it, redacted.
        for name in ("instructor", "httpx", "httpcore", "openai", "LiteLLM", "litellm"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
