"""`make bench`: how fast the real build is against the floor of just reading the sheets.

    python -m benchmarks.bench -n 10000            # full build of 10,000 realistic sheets
    python -m benchmarks.bench -n 5000 --incremental   # + rebuild unchanged, + after one edit
    python -m benchmarks.bench -n 2000 --workers 2 --keep

What one run does, and prints:

1. The corpus: N sheets rendered by `benchmarks.render` from real records in every
   form layout, cached under ``data/bench/<N>/sheets`` (rendered once; reruns reuse it).
2. The floor: reading every file from disk and splitting it into cells (lines, TABs)
   in plain Python, one process, best of three passes (the page cache is warm, as for the build).
3. The build, in a child process exactly as ``review-sheets build`` runs it
   (`benchmarks.buildrun`): heartbeats off; Prefect's temporary server when
   PREFECT_API_URL is unset (printed: ``api``), else that server.  Its wall time
   counts everything the CLI pays (interpreter, imports, server start, flow).
   Peak RSS is the largest sum over the whole process tree (the build process, its
   parser processes and the temporary Prefect server), sampled every 50 ms with
   psutil; the tree without the Prefect server and `getrusage` figures are shown too.
4. Per-stage seconds from the flow's `RunSummary.stage_seconds`, with the build process's own CPU
   seconds in each (`stage_cpu_seconds`: its threads, not the parser processes).
5. ``--incremental``: in the same (warm) process, a rebuild with nothing changed,
   then a rebuild after changing one number of one loaded sheet, each as a ratio of
   the full build; a table diff checks that only that sheet's rows changed.  With
   ``--server`` too, both reruns are then repeated as new `review-sheets build`
   processes against the running server, three times each once the server is idle
   (median wall time, as a ratio of the build).

Results are also written to ``data/bench/<N>/results.json``.  The input folder of the
builds is ``data/bench/<N>/run/inputs`` (hard links to the corpus), removed at the end
with the warehouse unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.corpus import corpus_dir, ensure_corpus


# ---------------------------------------------------------------- floor


def floor_seconds(folder: Path) -> tuple[float, int]:
    """Read every file and split it into cells in plain Python; (seconds, cells)."""
    started = time.perf_counter()
    cells = 0
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        with open(entry.path, "rb") as handle:
            data = handle.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp932", errors="replace")
        for line in text.splitlines():
            cells += len(line.split("\t"))
    return time.perf_counter() - started, cells


# ---------------------------------------------------------------- memory of a process tree


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.samples: list[tuple[float, int, int, int]] = []  # (time, tree, tree without prefect server, largest)
        self.cpu: dict[int, tuple[str, list[tuple[float, float]]]] = {}  # pid -> (role, [(time, CPU seconds)])
        self.stopped = threading.Event()

    def _role(self, proc, cmdline: str) -> str:
        if proc.pid == self.root.pid:
            return "build"
        if "uvicorn" in cmdline or "flows.temporary_server" in cmdline:
            return "server"
        if "multiprocessing" in cmdline and "resource_tracker" not in cmdline:
            return "parsers"
        return "gate helper" if "gate_process" in cmdline else "other"

    def run(self) -> None:
        import psutil

        while not self.stopped.is_set():
            total = no_server = largest = 0
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    times = proc.cpu_times()
                    if proc.pid not in self.cpu:  # (a process's role is read from its command line once)
                        self.cpu[proc.pid] = (self._role(proc, " ".join(proc.cmdline())), [])
                except psutil.Error:
                    continue
                role, seen = self.cpu[proc.pid]
                server = role == "server"
                seen.append((time.time(), times.user + times.system))
                total += rss
                largest = max(largest, rss)
                if not server:
                    no_server += rss
            self.samples.append((time.time(), total, no_server, largest))
            self.stopped.wait(self.interval)

    def cpu_seconds(self, end: float) -> dict[str, float]:
        """CPU seconds (user + system) each role's processes had used by `end`, as last
        sampled (a process's last < `interval` s is not seen)."""
        used: dict[str, float] = {}
        for role, seen in self.cpu.values():
            before = [cpu for at, cpu in seen if at <= end]
            if before:
                used[role] = round(used.get(role, 0.0) + before[-1], 2)
        return used

    def peak(self, start: float, end: float) -> dict[str, float]:
        window = [s for s in self.samples if start <= s[0] <= end] or self.samples or [(0, 0, 0, 0)]
        mb = 1024 * 1024
        return {"tree_mb": round(max(s[1] for s in window) / mb), "tree_without_prefect_server_mb":
                round(max(s[2] for s in window) / mb), "largest_process_mb": round(max(s[3] for s in window) / mb)}


# ---------------------------------------------------------------- the build


class DedicatedServer:
    """`prefect server start` on a free loopback port (as `make server` runs it), for --server."""

    def __init__(self, home: Path):
        import socket
        import urllib.request

        from flows.server import server_command, server_environment

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        home.mkdir(parents=True, exist_ok=True)
        self.url = f"http://127.0.0.1:{port}/api"
        started = time.perf_counter()
        self.process = subprocess.Popen(server_command(port), env=server_environment(home, port),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        while True:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.perf_counter() - started > 180:
                raise RuntimeError("prefect server did not start")
            time.sleep(0.2)
        self.start_seconds = time.perf_counter() - started

    def wait_idle(self, below_percent: float = 5.0, window: float = 0.5, limit: float = 30.0) -> float:
        """Wait until the server's processes use under `below_percent` of a CPU over two
        consecutive `window`s (at most `limit` s); returns the seconds waited."""
        if not _has_psutil():
            return 0.0
        import psutil

        started, quiet = time.perf_counter(), 0
        try:
            root = psutil.Process(self.process.pid)
            while quiet < 2 and time.perf_counter() - started < limit:
                processes = [root, *root.children(recursive=True)]
                before = sum(p.cpu_times().user + p.cpu_times().system for p in processes)
                time.sleep(window)
                after = sum(p.cpu_times().user + p.cpu_times().system for p in processes)
                quiet = quiet + 1 if (after - before) / window * 100 < below_percent else 0
        except psutil.Error:
            pass
        return time.perf_counter() - started

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def run_builds(inputs: Path, warehouse: Path, workers: int, batch_size: int, incremental: bool,
               api_url: str | None = None) -> dict:
    command = [sys.executable, "-m", "benchmarks.buildrun", "--input", str(inputs), "--warehouse", str(warehouse),
               "--workers", str(workers), "--batch-size", str(batch_size)] + (["--incremental"] if incremental else [])
    env = dict(os.environ)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    launched = time.time()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=Path(__file__).resolve().parent.parent)
    sampler = TreeSampler(child.pid) if _has_psutil() else None
    if sampler is not None:
        sampler.start()
    stdout, stderr = child.communicate()
    ended = time.time()
    if sampler is not None:
        sampler.stopped.set()
        sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"build process failed ({child.returncode}):\n{stderr[-4000:]}")
    phases, diff = {}, None
    for line in stdout.splitlines():
        kind, _, payload = line.partition(" ")
        if kind == "BUILD":
            data = json.loads(payload)
            phases[data["phase"]] = data
        elif kind == "DIFF":
            diff = json.loads(payload)
    full = phases["full"]
    full["wall_seconds"] = round(full["finished"] - launched, 3)
    full["memory"] = sampler.peak(launched, full["finished"]) if sampler else None
    full["cpu_seconds"] = sampler.cpu_seconds(full["finished"]) if sampler else None
    return {"launched": launched, "ended": ended, "phases": phases, "diff": diff,
            "memory_all_phases": sampler.peak(launched, ended) if sampler else None}


CLI_REPEATS = 3  # new-process reruns of each kind; the median is reported (the VM is noisy)


def cli_reruns(inputs: Path, warehouse: Path, workers: int, batch_size: int, server: "DedicatedServer") -> dict:
    """Wall seconds of `review-sheets build` in a new process against the running server,
    as a scheduled run or a user at the shell pays them (interpreter, imports, flow):
    `CLI_REPEATS` times with nothing changed, then `CLI_REPEATS` times after another
    one-number edit each.  Each run starts once the server has gone idle (it records
    the previous run's events for a few seconds after it; a scheduled run comes hours
    later), at most 30 s after the previous one; the seconds waited are reported."""
    from benchmarks.edit import edit_one_sheet

    command = [str(Path(sys.executable).with_name("review-sheets")), "build", "--input", str(inputs),
               "--warehouse", str(warehouse), "--workers", str(workers), "--batch-size", str(batch_size)]
    env = dict(os.environ, PREFECT_API_URL=server.url)
    waited: list[float] = []

    def run() -> float:
        waited.append(server.wait_idle())
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode not in (0, 3):
            raise RuntimeError(f"review-sheets build failed ({done.returncode}):\n{done.stderr[-4000:]}")
        return round(time.perf_counter() - started, 3)

    unchanged = [run() for _ in range(CLI_REPEATS)]
    edited = []
    for _ in range(CLI_REPEATS):
        edit = edit_one_sheet(warehouse)
        edited.append(run())
        Path(edit["snapshot"]).unlink(missing_ok=True)
    return {"unchanged_seconds": statistics.median(unchanged), "edited_seconds": statistics.median(edited),
            "unchanged_runs": unchanged, "edited_runs": edited, "idle_wait_seconds": [round(w, 1) for w in waited]}


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("psutil is not installed (pip install psutil): peak RSS from getrusage only", file=sys.stderr)
        return False
    return True


# ---------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="number of sheets (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="parser processes (default 2)")
    parser.add_argument("--batch-size", type=int, default=250, help="files per parse batch (default 250)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--incremental", action="store_true", help="also rebuild unchanged and after one edit")
    parser.add_argument("--keep", action="store_true", help="keep the run's inputs and warehouse")
    parser.add_argument("--server", action="store_true",
                        help="start a dedicated `prefect server` first (not counted in the build; reported) and "
                             "build against it, as scheduled runs do; default: PREFECT_API_URL if set, else the "
                             "temporary server the CLI starts (counted)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    sheets, render_seconds = ensure_corpus(args.n, seed=args.seed, workers=max(1, args.workers))
    base = corpus_dir(args.n, args.seed)
    run_dir = base / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    inputs, warehouse = run_dir / "inputs", run_dir / "warehouse" / "warehouse.duckdb"
    inputs.mkdir(parents=True)
    for entry in os.scandir(sheets):  # hard links: the edit replaces a link, the cached corpus stays as rendered
        os.link(entry.path, inputs / entry.name)

    floor = min(floor_seconds(inputs)[0] for _ in range(3))  # best of three: the VM is noisy
    server = DedicatedServer(base / "prefect-server") if args.server else None
    try:
        result = run_builds(inputs, warehouse, args.workers, args.batch_size, args.incremental,
                            server.url if server else None)
        if server is not None and args.incremental:
            result["cli_reruns"] = cli_reruns(inputs, warehouse, args.workers, args.batch_size, server)
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
    load_after = os.getloadavg()

    full = result["phases"]["full"]
    build = full["wall_seconds"]
    report = {
        "n": args.n, "workers": args.workers, "batch_size": args.batch_size,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_before": [round(x, 2) for x in load_before],
                    "load_avg_after": [round(x, 2) for x in load_after]},
        "corpus": str(sheets), "render_seconds": None if render_seconds is None else round(render_seconds, 1),
        "prefect_api": full["api"] + (" (dedicated `prefect server start`, started by the bench)" if server else ""),
        "dedicated_server_start_seconds": round(server.start_seconds, 2) if server else None,
        "floor_seconds": round(floor, 3),
        "build_seconds": build,
        "ratio_build_to_floor": round(build / floor, 1),
        "sheets_per_second": round(args.n / build, 1),
        "startup_seconds": round(build - full["flow_seconds"], 3),
        "imports_seconds": full["imports_seconds"],
        "server_ready_seconds": full["server_ready_seconds"],
        "flow_seconds": full["flow_seconds"],
        "stage_seconds": full["stage_seconds"],
        "stage_cpu_seconds": full.get("stage_cpu_seconds", {}),
        "peak_rss": full["memory"],
        "cpu_seconds": full.get("cpu_seconds"),
        "getrusage_kb": {"build_process": full["peak_rss_self_kb"], "largest_child": full["peak_rss_children_kb"]},
        "files": {k: full[k] for k in ("files_seen", "files_loaded", "files_unchanged", "files_quarantined")},
        "rows": full["rows"],
    }
    phases = result["phases"]
    if args.incremental:
        startup = report["startup_seconds"]
        for phase in ("unchanged", "edited"):
            data = phases[phase]
            report[phase] = {
                "flow_seconds": data["flow_seconds"],
                "ratio_flow": round(data["flow_seconds"] / full["flow_seconds"], 3),
                "ratio_cli": round((startup + data["flow_seconds"]) / build, 3),
                "stage_seconds": data["stage_seconds"],
                "files": {k: data.get(k, 0) for k in ("files_seen", "files_loaded", "files_unchanged", "files_quarantined",
                                                      "files_still_quarantined")},
            }
        report["edited"]["edit"] = {k: v for k, v in phases["edited"]["edit"].items() if k != "snapshot"}
        report["edited"]["changed_rows"] = result["diff"]
    if "cli_reruns" in result:
        reruns = result["cli_reruns"]
        report["cli_reruns"] = dict(reruns, ratio_unchanged=round(reruns["unchanged_seconds"] / build, 3),
                                    ratio_edited=round(reruns["edited_seconds"] / build, 3))
    (base / "results.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print_report(report)
    return report


def print_report(r: dict) -> None:
    print(f"\n== benchmark: {r['n']:,} sheets, {r['workers']} workers, batch {r['batch_size']} "
          f"({r['machine']['cpus']} CPUs, load {r['machine']['load_avg_before'][0]} -> {r['machine']['load_avg_after'][0]})")
    print(f"corpus            {r['corpus']}" + ("" if r["render_seconds"] is None else f" (rendered in {r['render_seconds']} s)"))
    print(f"prefect api       {r['prefect_api']}")
    if r.get("dedicated_server_start_seconds"):
        print(f"  server start    {r['dedicated_server_start_seconds']:8.2f} s   (a long-running service: not in the build time)")
    print(f"floor             {r['floor_seconds']:8.2f} s   read + split into cells, plain Python")
    print(f"build             {r['build_seconds']:8.2f} s   whole CLI-equivalent process")
    print(f"  ratio           {r['ratio_build_to_floor']:8.1f} x   build / floor")
    print(f"  sheets/s        {r['sheets_per_second']:8.1f}")
    server = "-" if r["server_ready_seconds"] is None else f"{r['server_ready_seconds']:.2f} s (overlaps imports)"
    print(f"  startup         {r['startup_seconds']:8.2f} s   interpreter + imports {r['imports_seconds']:.2f} s; "
          f"temporary server ready {server}")
    print(f"  flow            {r['flow_seconds']:8.2f} s")
    cpu = r.get("stage_cpu_seconds", {})
    for stage, seconds in r["stage_seconds"].items():
        own = f"   build process CPU {cpu[stage]:.2f} s" if stage in cpu else ""
        print(f"    {stage:14s}{seconds:8.2f} s{own}")
    m, g = r["peak_rss"], r["getrusage_kb"]
    if m:
        print(f"peak RSS          {m['tree_mb']:8,} MB  process tree (build + parsers + Prefect server); "
              f"{m['tree_without_prefect_server_mb']:,} MB without the server; largest process {m['largest_process_mb']:,} MB")
    print(f"getrusage         {g['build_process'] // 1024:8,} MB  build process; largest child {g['largest_child'] // 1024:,} MB")
    if r.get("cpu_seconds"):
        used = r["cpu_seconds"]
        print(f"CPU               {sum(used.values()):8.2f} s   of {r['machine']['cpus']} x {r['build_seconds']:.2f} s: "
              + ", ".join(f"{role} {seconds:.2f}" for role, seconds in sorted(used.items(), key=lambda kv: -kv[1])))
    f = r["files"]
    print(f"files             {f['files_seen']:,} seen, {f['files_loaded']:,} loaded, {f['files_unchanged']:,} unchanged, "
          f"{f['files_quarantined']:,} quarantined")
    for phase in ("unchanged", "edited"):
        if phase in r:
            p = r[phase]
            files = p["files"]
            print(f"{phase:17s} {p['flow_seconds']:8.2f} s   flow = {p['ratio_flow'] * 100:.1f} % of the full flow; "
                  f"with the CLI's startup {p['ratio_cli'] * 100:.1f} % of the full build; "
                  f"{files['files_unchanged']:,} unchanged, {files['files_loaded']:,} loaded, "
                  f"{files['files_quarantined']:,} quarantined ({files['files_still_quarantined']:,} with the same "
                  "bytes as when quarantined, not parsed again)")
            print("                  stages " + ", ".join(f"{k} {v:.2f}" for k, v in p["stage_seconds"].items()))
    if "cli_reruns" in r:
        c = r["cli_reruns"]
        print(f"new process       unchanged {c['unchanged_seconds']:.2f} s = {c['ratio_unchanged'] * 100:.1f} %, "
              f"one more edit {c['edited_seconds']:.2f} s = {c['ratio_edited'] * 100:.1f} % of the build "
              "(`review-sheets build` against the running server; medians)")
        print(f"                  runs: unchanged {', '.join(f'{x:.2f}' for x in c['unchanged_runs'])} s; "
              f"edited {', '.join(f'{x:.2f}' for x in c['edited_runs'])} s; "
              f"waited for the idle server {', '.join(f'{x:.1f}' for x in c['idle_wait_seconds'])} s")
    if "edited" in r and r["edited"].get("changed_rows"):
        changed = r["edited"]["changed_rows"]
        others = sum(v["other_sheets"] for v in changed.values())
        mine = {k: v["edited_sheet"] for k, v in changed.items() if v["edited_sheet"]}
        e = r["edited"]["edit"]
        print(f"edit              {Path(e['path']).name} line {e['line']}: {e['before']} -> {e['after']}; "
              f"rows changed: edited sheet {mine}, other sheets {others}")


if __name__ == "__main__":
    main()
