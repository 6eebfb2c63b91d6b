"""A scripted-server responder that answers like the embedded model (for HTTP-path tests)."""

from __future__ import annotations

from functools import cache

from tests.openai_server import RecordedRequest, Reply


@cache
def _register_default_taxonomy() -> None:
    # The embedded model finds a taxonomy by the hash in the prompt; in a build the seam
    # registers it, here the test process answers for the server and registers it itself.
    from pipeline.local_model.registry import register_taxonomy
    from pipeline.taxonomy import load_taxonomy

    register_taxonomy(load_taxonomy())


def local_answers(request: RecordedRequest) -> Reply:
    """Answer like the embedded model would, so the HTTP path returns valid answers.

    A remote model's prompt names no taxonomy hash: the answer comes from the taxonomy the
    build registered last (its seam registers it), else the default one."""
    from pipeline.local_model.provider import answer
    from pipeline.local_model.registry import latest_taxonomy

    _register_default_taxonomy()
    return Reply(answer(request.messages, latest_taxonomy()))
