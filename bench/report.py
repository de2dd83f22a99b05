"""Machine facts, summary statistics, and the results files: JSON, Markdown and PNG plots.

Everything here reads a plain results dict (the JSON written by ``python -m bench``), so a
report can be re-rendered from an old JSON file with ``python -m bench.report FILE.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = (
    "torch", "sentence-transformers", "transformers", "llama-index-core", "llama-index-vector-stores-chroma",
    "llama-index-embeddings-huggingface", "chromadb", "bm25s", "jieba", "numpy", "fastapi", "uvicorn",
    "gradio", "httpx", "matplotlib", "pyinstrument",
)

# ---------------------------------------------------------------------------------------
# machine facts


def _meminfo_kb(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_facts() -> dict:
    """CPU, RAM, OS, Python and library versions of the machine running the benchmark."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    cpus = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cpus
    ram_gb = _meminfo_kb("MemTotal") / 1024 / 1024
    return {
        "cpu_count": cpus,
        "cpu_usable": usable,
        "cpu_model": _cpu_model(),
        "ram_gb": round(ram_gb, 1),
        "os": f"{platform.system()} {platform.release()}",
        "arch": platform.machine(),
        "python": platform.python_version(),
        "hostname": platform.node(),
        "libraries": versions,
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def machine_slug(facts: dict) -> str:
    """A file-name-safe machine label, e.g. ``x86_64-2cpu-23gb``."""
    ram = int(round(facts.get("ram_gb") or 0))
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{facts.get('arch', 'cpu')}-{facts.get('cpu_usable', 0)}cpu-{ram}gb")


def peak_rss_mb() -> float:
    """This process' peak resident set size (VmHWM) in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _live_descendants_cpu(tick: float) -> float:
    """CPU seconds of this process' live descendants (servers still running), from /proc."""
    me = os.getpid()
    parent, cpu = {}, {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            raw = (d / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
        parent[int(d.name)] = int(fields[1])
        cpu[int(d.name)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    total = 0.0
    for pid in cpu:
        p, seen = parent.get(pid), 0
        while p and p != me and seen < 64:
            p, seen = parent.get(p), seen + 1
        if p == me and pid != me:
            total += cpu[pid]
    return total


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, CPU seconds of this benchmark: itself, its reaped
    children and its live descendants).

    The difference between two snapshots is the CPU other people's processes used meanwhile:
    a benchmark on a shared machine reports how contended it was.
    """
    import resource

    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / tick  # all but idle and iowait
    except (OSError, ValueError, IndexError):
        busy = 0.0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        live = _live_descendants_cpu(tick)
    except OSError:
        live = 0.0
    return busy, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + live


def others_busy_share(window: float = 2.0) -> float:
    """Share of the machine's CPUs used by other processes over ``window`` seconds (we sleep)."""
    import time

    b0, o0 = cpu_seconds()
    time.sleep(window)
    b1, o1 = cpu_seconds()
    cpus = os.cpu_count() or 1
    return max(0.0, (b1 - b0) - (o1 - o0)) / (window * cpus)


def dir_size_mb(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total / 1024 / 1024


# ---------------------------------------------------------------------------------------
# statistics


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0–100), linear interpolation; None for no values."""
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary_ms(values) -> dict:
    """n, mean, p50, p95, p99, max of latencies (already in ms), rounded to 0.1 ms."""
    xs = [float(v) for v in values]
    if not xs:
        return {"n": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}
    r = lambda v: None if v is None else round(v, 1)  # noqa: E731
    return {"n": len(xs), "mean": r(sum(xs) / len(xs)), "p50": r(percentile(xs, 50)),
            "p95": r(percentile(xs, 95)), "p99": r(percentile(xs, 99)), "max": r(max(xs))}


def loglog_slope(xs, ys) -> float | None:
    """Least-squares slope of log(y) against log(x): 1 ≈ linear growth, < 1 sub-linear."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x and y and x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return None if den == 0 else round(sum((p[0] - mx) * (p[1] - my) for p in pts) / den, 2)


def growth_words(slope: float | None) -> str:
    """'sub-linear: slope 0.3, ×2.0 per 10× corpus' from a log-log slope."""
    if slope is None:
        return "n/a (fewer than two measured sizes)"
    word = ("flat" if slope < 0.2 else "sub-linear" if slope < 0.85 else "linear" if slope <= 1.15 else "super-linear")
    return f"{word}: log-log slope {slope}, ×{10 ** slope:.1f} per 10× corpus"


# ---------------------------------------------------------------------------------------
# files


def result_paths(out_dir: Path, facts: dict, *, when: dt.datetime | None = None, smoke: bool = False,
                 parts: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """``<date>-<machine>[-smoke][-<parts>]``.json/.md; a run of some parts names them, and a
    second run on the same day gets its start time, so no run overwrites another's results."""
    when = when or dt.datetime.now()
    stem = f"{when:%Y-%m-%d}-{machine_slug(facts)}" + ("-smoke" if smoke else "")
    if parts:
        stem += "-" + "+".join(parts)
    if not smoke and (out_dir / f"{stem}.json").exists():
        stem += f"-{when:%H%M}"
    return out_dir / f"{stem}.json", out_dir / f"{stem}.md"


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _fmt(v, unit: str = "", nd: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        v = round(v, nd)
        if nd == 0:
            v = int(v)
    return f"{v}{unit}"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    return out


def render_markdown(results: dict) -> str:
    """The human-readable report: targets first, then one section per part."""
    meta, facts = results.get("meta", {}), results.get("machine", {})
    lines = [f"# Benchmark results {meta.get('date', '')}" + (" (smoke run: tiny sizes, not a measurement)" if meta.get("smoke") else ""), ""]
    lines.append(f"Command: `{meta.get('command', 'python -m bench')}` · total {_fmt(meta.get('duration_s'), ' s', 0)} · "
                 f"git {facts.get('git_commit', '?')}{' (dirty)' if facts.get('git_dirty') else ''}")
    lines.append("")
    libs = facts.get("libraries", {})
    lines.append(f"Machine: {facts.get('cpu_usable')} usable CPUs ({facts.get('cpu_model')}), {facts.get('ram_gb')} GB RAM, "
                 f"{facts.get('os')} {facts.get('arch')}, Python {facts.get('python')}.")
    lines.append("Libraries: " + ", ".join(f"{k} {v}" for k, v in libs.items() if v) + ".")
    lines.append("")

    targets = results.get("targets") or []
    if targets:
        lines += ["## Targets", ""]
        rows = []
        for t in targets:
            status = {True: "**met**", False: "**missed**", None: "not measured"}[t.get("met")]
            if t.get("met") is None and t.get("projected_met") is not None:
                status += f" (extrapolation: {'met' if t['projected_met'] else 'missed'})"
            rows.append([t["name"], t["target"], _fmt(t.get("value"), t.get("unit", "")), status, t.get("note", "")])
        lines += _table(["target", "goal", "measured", "status", "note"], rows) + [""]

    cs = results.get("cold_start")
    if cs:
        lines += ["## Cold start (process start → first answer)", ""]
        rows = []
        for key, label in (("cli", "CLI `policy-assistant ask` (fresh process)"), ("server", "server: `serve` start → first /api/ask answer")):
            part = cs.get(key) or {}
            if part:
                rows.append([label, _fmt(part.get("median_s"), " s", 2), ", ".join(_fmt(x, "", 2) for x in part.get("runs_s", [])),
                             part.get("note", "")])
        lines += _table(["path", "median", "runs (s)", "note"], rows) + [""]
        srv = cs.get("server") or {}
        if srv.get("health_s") is not None:
            lines += [f"Server: healthy after {_fmt(srv.get('health_s'), ' s', 2)}, first answer after {_fmt(srv.get('median_s'), ' s', 2)} "
                      f"(the first request itself took {_fmt(srv.get('first_request_s'), ' s', 2)}).", ""]

    ask = results.get("ask_latency")
    if ask:
        lines += [f"## `ask` latency (models loaded, {ask.get('n_questions')} dev questions, each asked once after warm-up)", ""]
        rows = []
        for stage in ("retrieve", "compose", "check", "total", "wall"):
            s = (ask.get("stages") or {}).get(stage)
            if s:
                rows.append([stage, _fmt(s["p50"]), _fmt(s["p95"]), _fmt(s["p99"]), _fmt(s["mean"]), _fmt(s["max"])])
        lines += _table(["stage (ms)", "p50", "p95", "p99", "mean", "max"], rows) + [""]
        if ask.get("note"):
            lines += [ask["note"], ""]

    build = results.get("index_build")
    if build:
        lines += ["## Index build of the shipped corpus", ""]
        rows = []
        for key, label in (("cold", "cold embedding cache"), ("warm", "warm cache (rebuild)")):
            b = build.get(key) or {}
            if b:
                rows.append([label, _fmt(b.get("build_s"), " s", 2), _fmt(b.get("process_s"), " s", 2), b.get("chunks"),
                             b.get("vectors"), b.get("embedded"), _fmt(b.get("peak_rss_mb"), " MB", 0)])
        lines += _table(["build", "in-process build", "whole process", "chunks", "vectors", "embedded by the model",
                         "peak RSS"], rows) + [""]
        if (build.get("warm") or {}).get("runs_s"):
            lines += [f"Warm runs: {', '.join(_fmt(x, ' s', 2) for x in build['warm']['runs_s'])} (median shown).", ""]
        cold = build.get("cold") or {}
        lines += [f"Embedding throughput (cold build, model load excluded): {_fmt(build.get('embed_chars_per_s'), ' chars/s', 0)}, "
                  f"{_fmt(cold.get('embed_texts_per_s'), ' texts/s', 1)} ({_fmt(build.get('embed_text_chars'), '', 0)} characters "
                  f"embedded for {_fmt(build.get('chunk_chars'), '', 0)} characters of chunk text: each text carries its title/"
                  f"chapter context, and sentences are embedded too). Model load: {_fmt(cold.get('model_load_s'), ' s', 1)}. "
                  f"Index size on disk: {_fmt(build.get('disk_mb'), ' MB', 2)} for the serving build, plus the embedding cache "
                  f"{_fmt(build.get('cache_mb'), ' MB', 2)}.", ""]
        if build.get("note"):
            lines += [build["note"], ""]

    scale = results.get("scale")
    if scale:
        lines += ["## Scale (synthetic corpora generated from the real regulations)", ""]
        lines += [scale.get("method", ""), ""]
        rows = []
        partial = []
        for r in scale.get("rows", []):
            tag = "" if r.get("measured") else " (extrapolated)"
            build_cell = _fmt(r.get("build_s"), " s", 0)
            if r.get("measured") and r.get("cached"):
                build_cell += " †"
                partial.append(f"† {r['factor']}×: {r['cached']:,} of {r['cached'] + (r.get('embedded') or 0):,} vectors "
                               "came from the embedding cache of an earlier, interrupted build of the same corpus, so this "
                               "build time covers only the rest (it is left out of the build-time growth); the query "
                               "figures are unaffected.")
            rows.append([f"{r['factor']}×{tag}", _fmt(r.get("docs")), _fmt(r.get("chunks")), _fmt(r.get("vectors")), _fmt(r.get("chars"), "", 0),
                         build_cell, _fmt(r.get("disk_mb"), " MB", 1),
                         _fmt(r.get("build_peak_rss_mb"), " MB", 0), _fmt(r.get("query_peak_rss_mb"), " MB", 0),
                         _fmt(r.get("search_p50_ms")), _fmt(r.get("search_p95_ms")), _fmt(r.get("bm25_p50_ms")),
                         _fmt(r.get("dense_p50_ms")), _fmt(r.get("ask_p95_ms")),
                         _fmt(r.get("hit3"), "", 3), _fmt(r.get("hit3_filtered"), "", 3), _fmt(r.get("hit3_named"), "", 3)])
        lines += _table(["corpus", "docs", "chunks", "vectors", "chars", "build", "disk", "build peak RSS", "serve peak RSS",
                         "search p50 ms", "search p95 ms", "BM25 p50 ms", "dense p50 ms", "ask p95 ms", "hit@3",
                         "hit@3 (jurisdiction filter)", "hit@3 (questions naming a jurisdiction)"], rows) + [""]
        if partial:
            lines += partial + [""]
        growth = scale.get("growth") or {}
        if growth:
            lines += ["Growth with corpus size (log-log slope over the measured sizes; 1 = linear):", ""]
            lines += [f"- {k}: {v}" for k, v in growth.items()] + [""]
        for note in scale.get("notes", []):
            lines.append(f"- {note}")
        lines.append("")

    load = results.get("load")
    if load:
        lines += [f"## Load: concurrent clients against `serve` /api/ask on 127.0.0.1 ({_fmt(load.get('duration_s'), ' s', 0)} per level)", ""]
        rows = []
        for r in load.get("levels", []):
            rows.append([r["clients"], r["requests"], _fmt(r.get("rps"), "", 1), _fmt(r.get("p50_ms")), _fmt(r.get("p95_ms")),
                         _fmt(r.get("p99_ms")), r.get("errors")])
        lines += _table(["clients", "requests", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors"], rows) + [""]
        if load.get("note"):
            lines += [load["note"], ""]

    base = results.get("baselines")
    if base:
        lines += [f"## Baselines on the same {base.get('n_questions')} dev questions (questions with gold citations)", ""]
        rows = []
        ref = base.get("reference_ms")
        for r in base.get("rows", []):
            ratio = r.get("p50_ms") / ref if ref and r.get("p50_ms") else None
            rows.append([r["name"], _fmt(r.get("hit1"), "", 3), _fmt(r.get("hit3"), "", 3), _fmt(r.get("mrr"), "", 3),
                         _fmt(r.get("p50_ms")), _fmt(r.get("p95_ms")), _fmt(ratio, "×", 2), r.get("note", "")])
        lines += _table(["system", "hit@1", "hit@3", "MRR", "p50 ms", "p95 ms", f"p50 vs {base.get('reference', 'bm25')}", "note"], rows) + [""]

    srv = results.get("server_mode")
    if srv:
        lines += ["## Server mode: search against a `chroma run` server on 127.0.0.1", ""]
        rows = []
        for key in ("embedded", "server"):
            s = srv.get(key) or {}
            if s:
                rows.append([key, _fmt(s.get("p50_ms")), _fmt(s.get("p95_ms")), _fmt(s.get("dense_p50_ms")), _fmt(s.get("dense_p95_ms")),
                             _fmt(s.get("load_s"), " s", 2)])
        lines += _table(["store", "hybrid p50 ms", "hybrid p95 ms", "dense p50 ms", "dense p95 ms", "Retriever.load"], rows) + [""]
        if srv.get("ratio_p50") is not None:
            lines += [f"Server / embedded: ×{srv['ratio_p50']} at p50, ×{srv.get('ratio_p95')} at p95 (hybrid search).", ""]

    prof = results.get("profiles")
    if prof:
        lines += ["## Profiles of missed targets", ""]
        for p in prof:
            lines += [f"### {p['target']}", "", p.get("summary", ""), ""]
            if p.get("top"):
                lines += ["```", *p["top"], "```", ""]
            if p.get("file"):
                lines += [f"Full profile: `{p['file']}`", ""]

    parts = (meta.get("parts") or {})
    if parts:
        lines += ["## Run log (how busy the machine was)", ""]
        rows = []
        for name, p in parts.items():
            share = p.get("others_cpu_share")
            rows.append([name, _fmt(p.get("seconds"), " s", 0), _fmt(p.get("waited_idle_s"), " s", 0),
                         _fmt(p.get("others_busy_before"), "", 2), _fmt(share, "", 2),
                         "⚠ contended" if share is not None and share > 0.1 else ""])
        lines += _table(["part", "duration", "waited for idle", "others' CPU share before", "others' CPU share during", ""], rows)
        lines += ["", "Others' CPU share = CPU time used by processes that are not this benchmark, as a share of all "
                  "CPUs over the part (from /proc/stat minus our own rusage). Figures of a contended part are slower "
                  "than this machine can do.", ""]

    plots = results.get("plots") or []
    if plots:
        lines += ["## Plots", ""]
        lines += [f"![{Path(p).stem}]({Path(p).name})" for p in plots] + [""]

    errors = results.get("errors") or {}
    skipped = results.get("skipped") or {}
    if errors or skipped:
        lines += ["## Not run / errors", ""]
        lines += [f"- {k}: skipped — {v}" for k, v in skipped.items()]
        lines += [f"- {k}: error — {v}" for k, v in errors.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(results), encoding="utf-8")


# ---------------------------------------------------------------------------------------
# plots

_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


def _pyplot():
    """matplotlib (Agg) with a CJK font, so Chinese labels never render as boxes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    cjk = next((f for f in _CJK_FONTS if f in available), None)
    if cjk is None:  # fontconfig may know fonts matplotlib's cache does not
        for path in _fc_paths():
            font_manager.fontManager.addfont(path)
        available = {f.name for f in font_manager.fontManager.ttflist}
        cjk = next((f for f in _CJK_FONTS if f in available), None)
    if cjk:
        plt.rcParams["font.sans-serif"] = [cjk, "DejaVu Sans"]
        plt.rcParams["font.family"] = "sans-serif"
    else:
        print("bench: no CJK font found (apt-get install fonts-noto-cjk); plot labels fall back to English", file=sys.stderr)
    plt.rcParams["axes.unicode_minus"] = False
    return plt, bool(cjk)


def _fc_paths() -> list[str]:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]


def make_plots(results: dict, out_dir: Path, stem: str) -> list[str]:
    """PNG plots for the parts present in ``results``; returns the file paths written."""
    plt, cjk = _pyplot()
    zh = (lambda z, e: f"{z} {e}") if cjk else (lambda z, e: e)  # noqa: E731
    written: list[str] = []

    def save(fig, name: str, tight: bool = True) -> None:
        path = out_dir / f"{stem}-{name}.png"
        if tight:
            fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(str(path))

    ask = results.get("ask_latency")
    if ask and ask.get("stages"):
        stages = [s for s in ("retrieve", "compose", "check", "total") if (ask["stages"].get(s) or {}).get("p50") is not None]
        fig, ax = plt.subplots(figsize=(7, 4))
        xs = range(len(stages))
        for off, q, color in ((-0.27, "p50", "#4C72B0"), (0, "p95", "#DD8452"), (0.27, "p99", "#C44E52")):
            ax.bar([x + off for x in xs], [ask["stages"][s][q] for s in stages], width=0.27, label=q, color=color)
        ax.set_xticks(list(xs), [{"retrieve": zh("检索", "retrieve"), "compose": zh("组答", "compose"),
                                  "check": zh("核验", "check"), "total": zh("合计", "total")}[s] for s in stages])
        ax.axhline(150, ls="--", color="gray", lw=1)
        ax.text(-0.45, 152, zh("目标 p95 < 150 ms", "target p95 < 150 ms"), color="gray", fontsize=8, ha="left", va="bottom")
        for x, s_ in zip(xs, stages):
            v = ask["stages"][s_]["p95"]
            ax.text(x, v, f"{v:.0f}" if v >= 10 else f"{v:.1f}", ha="center", va="bottom", fontsize=7)
        ax.set_ylabel(zh("延迟", "latency") + " (ms)")
        ax.set_title(zh("问答延迟分解", "ask latency by stage") + f" (n={ask.get('n_questions')})")
        ax.legend()
        save(fig, "ask-latency")

    scale = results.get("scale")
    rows = (scale or {}).get("rows") or []
    if rows:
        fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
        panels = (
            ("build_s", zh("索引构建时间", "index build time"), "s"),
            ("disk_mb", zh("索引磁盘占用", "index size on disk"), "MB"),
            ("query_peak_rss_mb", zh("峰值内存（检索进程）", "peak RSS (query process)"), "MB"),
            ("build_peak_rss_mb", zh("峰值内存（构建进程）", "peak RSS (build process)"), "MB"),
            ("search_p95_ms", zh("检索 p95", "search p95"), "ms"),
            ("ask_p95_ms", zh("问答 p95", "ask p95"), "ms"),
        )
        targets = {"search_p95_ms": 200, "query_peak_rss_mb": 2048, "ask_p95_ms": 150}
        from matplotlib.ticker import FuncFormatter, NullFormatter

        for ax, (key, title, unit) in zip(axes.flat, panels):
            mrows = [r for r in rows if r.get("measured") and r.get(key)]
            erows = [r for r in rows if not r.get("measured") and r.get(key)]
            meas = [(r["factor"], r[key]) for r in mrows]
            if meas:
                ax.plot([m[0] for m in meas], [m[1] for m in meas], "o-", color="#4C72B0", label=zh("实测", "measured"),
                        zorder=3)
                for x, y in meas:
                    ax.annotate(f"{y:.0f}" if y >= 10 else f"{y:.2g}", (x, y), textcoords="offset points",
                                xytext=(4, 4), fontsize=7)
                x0, y0 = meas[0]
                xmax = max(r["factor"] for r in rows)
                ax.plot([x0, xmax], [y0, y0 * xmax / x0], ":", color="gray", lw=1, label=zh("线性参考", "linear reference"))
            if erows and meas:
                ax.plot([meas[-1][0]] + [r["factor"] for r in erows], [meas[-1][1]] + [r[key] for r in erows], "o--",
                        mfc="white", color="#DD8452", label=zh("外推（未实测）", "extrapolated, not measured"), zorder=2)
                for r in erows:
                    ax.annotate(f"{r[key]:.0f}?", (r["factor"], r[key]), textcoords="offset points", xytext=(-22, 4),
                                fontsize=7, color="#DD8452")
            if key in targets:
                ax.axhline(targets[key], ls="--", color="#C44E52", lw=1, label=zh("目标", "target"))
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xticks(sorted({r["factor"] for r in rows}), [f"{r}×" for r in sorted({r["factor"] for r in rows})])
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_title(title + f" ({unit})", fontsize=10)
            ax.set_xlabel(zh("语料规模（× 原始语料）", "corpus size (× shipped corpus)"), fontsize=8)
            slope = loglog_slope([m[0] for m in meas], [m[1] for m in meas])
            if slope is not None:
                ax.text(0.03, 0.92, zh("斜率", "slope") + f" {slope}", transform=ax.transAxes, fontsize=8, color="#4C72B0")
            ax.grid(True, which="major", alpha=0.3)
            shown = [m[1] for m in meas] + [r[key] for r in erows] + ([targets[key]] if key in targets else [])
            if shown:  # the linear reference may run off the chart; the data must not
                ax.set_ylim(min(shown) / 1.6, max(shown) * 1.6)
        handles: dict = {}
        for ax in axes.flat:
            for h, label in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(label, h)
        fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=len(handles), fontsize=8, frameon=False)
        fig.suptitle(zh("成本随语料规模增长（对数坐标）", "cost against corpus size (log-log)"))
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        save(fig, "scale-cost", tight=False)

        fig, ax = plt.subplots(figsize=(6.5, 4))
        meas = [r for r in rows if r.get("measured") and r.get("hit3") is not None]
        if meas:
            ax.plot([r["factor"] for r in meas], [r["hit3"] for r in meas], "o-", label=zh("无过滤 hit@3", "hit@3, no filter"))
            fm = [r for r in meas if r.get("hit3_filtered") is not None]
            if fm:
                ax.plot([r["factor"] for r in fm], [r["hit3_filtered"] for r in fm], "s--",
                        label=zh("按问题中的地区过滤 hit@3", "hit@3, jurisdiction filter from the question"))
            nm = [r for r in meas if r.get("hit3_named") is not None]
            if nm:
                ax.plot([r["factor"] for r in nm], [r["hit3_named"] for r in nm], "^-", color="#55A868",
                        label=zh("问题中点名地区（过滤）hit@3", "hit@3, questions naming a jurisdiction (filtered)"))
                for r in nm:
                    ax.annotate(f"{r['hit3_named']:.3f}", (r["factor"], r["hit3_named"]), textcoords="offset points",
                                xytext=(4, 6), fontsize=8, color="#55A868")
            for r in meas:
                ax.annotate(f"{r['hit3']:.3f}", (r["factor"], r["hit3"]), textcoords="offset points", xytext=(4, -12), fontsize=8)
        ax.set_xscale("log")
        from matplotlib.ticker import NullFormatter

        if meas:
            ax.set_xticks([r["factor"] for r in meas], [f"{r['factor']}×" for r in meas])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(zh("语料规模（× 原始语料）", "corpus size (× shipped corpus)"))
        ax.set_ylabel("hit@3")
        ax.set_title(zh("语料增大时的检索质量（按原始文档的标准引用判定）", "retrieval quality as the haystack grows"), fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
        save(fig, "scale-quality")

    load = results.get("load")
    if load and load.get("levels"):
        lv = load["levels"]
        fig, ax1 = plt.subplots(figsize=(7, 4))
        clients = [r["clients"] for r in lv]
        ax1.bar([str(c) for c in clients], [r["rps"] or 0 for r in lv], color="#4C72B0", alpha=0.8, label=zh("吞吐", "throughput"))
        ax1.axhline(20, ls="--", color="#4C72B0", lw=1)
        ax1.set_ylabel(zh("请求/秒", "requests/s"))
        ax1.set_xlabel(zh("并发客户端数", "concurrent clients"))
        ax2 = ax1.twinx()
        ax2.plot([str(c) for c in clients], [r.get("p95_ms") or 0 for r in lv], "o-", color="#C44E52", label="p95")
        ax2.plot([str(c) for c in clients], [r.get("p50_ms") or 0 for r in lv], "s--", color="#DD8452", label="p50")
        ax2.axhline(500, ls=":", color="#C44E52", lw=1)
        ax1.set_ylim(0, max([25] + [(r["rps"] or 0) * 1.25 for r in lv]))
        ax2.set_ylim(0, max([650] + [(r.get("p95_ms") or 0) * 1.25 for r in lv]))
        ax2.set_ylabel(zh("延迟", "latency") + " (ms)")
        h1, l1 = ax1.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax1.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
        ax1.set_title(zh("并发负载", "load") + " POST /api/ask\n" + zh("目标：16 个客户端 ≥20 请求/秒、p95 < 500 ms",
                                                                    "target: ≥20 req/s at p95 < 500 ms with 16 clients"), fontsize=10)
        for i, r in enumerate(lv):
            ax1.text(i, (r["rps"] or 0), f"{r['rps'] or 0:.1f}", ha="center", va="bottom", fontsize=8)
        save(fig, "load")

    base = results.get("baselines")
    if base and base.get("rows"):
        br = base["rows"]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
        names = [r["name"] for r in br]
        xs = range(len(br))
        for off, key, color in ((-0.27, "hit1", "#4C72B0"), (0, "hit3", "#55A868"), (0.27, "mrr", "#DD8452")):
            ax1.bar([x + off for x in xs], [r.get(key) or 0 for r in br], width=0.27, label=key.replace("hit", "hit@").upper()
                    if key == "mrr" else key.replace("hit", "hit@"), color=color)
        ax1.set_xticks(list(xs), names, rotation=15, fontsize=8)
        ax1.set_ylim(0, 1.15)
        ax1.set_title(zh("检索质量：基线对比", "retrieval quality vs baselines"))
        ax1.legend(fontsize=8, ncol=3, loc="upper center")
        for x, r in zip(xs, br):
            ax1.text(x, (r.get("hit3") or 0) + 0.01, f"{r.get('hit3') or 0:.2f}", ha="center", fontsize=7)
        ax2.bar(names, [r.get("p50_ms") or 0 for r in br], color="#4C72B0", label="p50")
        for name, r in zip(names, br):
            ax2.text(name, r.get("p50_ms") or 0, f"{r.get('p50_ms') or 0:.1f}", ha="center", va="bottom", fontsize=7)
        ax2.scatter(names, [r.get("p95_ms") or 0 for r in br], color="#C44E52", zorder=3, label="p95")
        ax2.set_yscale("log")
        ax2.set_ylabel(zh("每个问题的延迟", "latency per question") + " (ms)")
        ax2.set_title(zh("延迟：基线对比", "latency vs baselines"))
        ax2.tick_params(axis="x", rotation=15, labelsize=8)
        ax2.legend(fontsize=8)
        save(fig, "baselines")

    cs = results.get("cold_start")
    srv = results.get("server_mode")
    if cs and any((cs.get(k) or {}).get("median_s") for k in ("cli", "server")):
        fig, ax = plt.subplots(figsize=(6.5, 3.2))
        labels, values = [], []
        for key, label in (("cli", zh("命令行 ask", "CLI ask")), ("server", zh("服务启动→首答", "serve → first answer"))):
            v = (cs.get(key) or {}).get("median_s")
            if v:
                labels.append(label)
                values.append(v)
        ax.barh(labels, values, color="#4C72B0")
        ax.axvline(15, ls="--", color="gray", lw=1)
        ax.text(15, len(values) - 0.45, " " + zh("目标 < 15 s", "target < 15 s"), color="gray", fontsize=8, va="top")
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:.1f} s", va="center", fontsize=9)
        ax.set_xlabel(zh("冷启动到首个回答", "cold start to first answer") + " (s)")
        ax.set_xlim(0, max(values + [15]) * 1.25)
        save(fig, "cold-start")
    if srv and (srv.get("embedded") or {}).get("p50_ms") and (srv.get("server") or {}).get("p50_ms"):
        fig, ax = plt.subplots(figsize=(6.5, 3.5))
        keys = [("embedded", zh("嵌入式 chromadb", "embedded chromadb")), ("server", zh("chroma 服务器", "chroma server"))]
        xs = range(len(keys))
        ax.bar([x - 0.2 for x in xs], [srv[k]["p50_ms"] for k, _ in keys], width=0.4, label="p50")
        ax.bar([x + 0.2 for x in xs], [srv[k]["p95_ms"] for k, _ in keys], width=0.4, label="p95")
        ax.set_xticks(list(xs), [label for _, label in keys])
        ax.set_ylabel(zh("混合检索延迟", "hybrid search latency") + " (ms)")
        ax.set_title(zh("向量库：嵌入式 vs 服务器模式", "vector store: embedded vs server mode"))
        ax.legend()
        save(fig, "server-mode")
    return written


def main(argv: list[str] | None = None) -> int:
    """Re-render the Markdown report and plots of an existing results JSON."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m bench.report RESULTS.json", file=sys.stderr)
        return 2
    path = Path(argv[0])
    results = json.loads(path.read_text(encoding="utf-8"))
    results["plots"] = make_plots(results, path.parent, path.stem)
    write_markdown(results, path.with_suffix(".md"))
    write_json(results, path)
    print(path.with_suffix(".md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
