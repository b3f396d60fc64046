"""Link-checking throughput: citekit's network checker against LinkChecker, same URLs, same run.

A local server (its own process, asyncio) listens on 50 loopback addresses (127.0.0.1-50, one
port), so each address is a distinct host for both tools; every response is delayed by ~20 ms and
the server counts, per host, the most requests it had in flight at once. 2,000 URLs are spread
over the 50 hosts. citekit runs with a per-host limit of 4; LinkChecker gets the same pages and a
per-host request rate whose average matches that limit (see LINKCHECKER_RPS below).

Run: ``python benchmarks/bench_links.py [--urls 2000] [--hosts 50] [--delay 0.02]``.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citekit.check.network import NetworkConfig, run_network_checks_sync  # noqa: E402
from citekit.model import Bibliography, Entry  # noqa: E402

PER_HOST = 4
# LinkChecker throttles per host by waiting a random 1/rps .. 6/rps seconds between request
# starts (it has no per-host connection cap). Our ceiling is PER_HOST requests per DELAY
# seconds per host; an average wait of 3.5/rps gives the same mean rate when rps = 3.5 * that.


def serve(port: int, ctrl_port: int, hosts: int, delay: float, n_urls: int, ready) -> None:
    """The test server: 50 hosts + a control host serving the link page and the counters."""
    inflight: dict[str, int] = defaultdict(int)
    peak: dict[str, int] = defaultdict(int)
    counts = {"requests": 0}

    def page() -> bytes:
        links = "\n".join(f'<a href="{url}">{i}</a>' for i, url in enumerate(urls_for(
            port, hosts, n_urls)))
        return f"<!doctype html><html><body>\n{links}\n</body></html>".encode()

    index = page()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, path = head.split(b" ", 2)[:2]
                ctype = b"text/plain"
                if path == b"/__stats":
                    body = json.dumps({"peak": dict(peak), "requests": counts["requests"]}).encode()
                elif path == b"/__reset":
                    peak.clear()
                    counts["requests"] = 0
                    body = b"reset"
                elif path == b"/index.html":
                    body, ctype = index, b"text/html"
                else:
                    counts["requests"] += 1
                    inflight[host] += 1
                    peak[host] = max(peak[host], inflight[host])
                    try:
                        await asyncio.sleep(delay)
                    finally:
                        inflight[host] -= 1
                    body = b"ok"
                out = (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype +
                       b"\r\nContent-Length: " + str(len(body)).encode() +
                       # LinkChecker uses its configured per-host rate (not its 0.1 s floor)
                       # for hosts that answer with this header.
                       b"\r\nLinkChecker: bench\r\n\r\n")
                writer.write(out if method == b"HEAD" else out + body)
                await writer.drain()
                if b"connection: close" in head.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, f"127.0.0.{i}", port, backlog=1024)
                   for i in range(1, hosts + 1)]
        servers.append(await asyncio.start_server(handle, "127.0.0.1", ctrl_port, backlog=1024))
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def urls_for(port: int, hosts: int, n: int) -> list[str]:
    """n URLs, round-robin over the hosts."""
    return [f"http://127.0.0.{i % hosts + 1}:{port}/page/{i}" for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def control(ctrl: str, path: str) -> dict:
    with urllib.request.urlopen(f"{ctrl}{path}", timeout=10) as response:
        data = response.read()
    return json.loads(data) if path == "/__stats" else {}


def run_citekit(urls: list[str], ctrl: str, concurrency: int) -> tuple[float, float]:
    """Check ``urls`` with citekit in this process: (wall seconds, CPU seconds)."""
    entries = [Entry(id=f"u{i}", url=u) for i, u in enumerate(urls)]
    config = NetworkConfig(doi_base=ctrl, crossref_base=ctrl, per_host=PER_HOST,
                           max_concurrency=concurrency, use_cache=False, allow_private=True,
                           discover=False)
    t0, c0 = time.perf_counter(), time.process_time()
    result = run_network_checks_sync(Bibliography(entries=entries), config)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if result.findings:
        print(f"  citekit reported {len(result.findings)} findings, first: "
              f"{result.findings[0].message}")
    return elapsed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_linkchecker(exe: str, ctrl: str, rps: float, threads: int) -> tuple[float, float, str]:
    """Run LinkChecker on the link page: (wall seconds, CPU seconds, its summary line)."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-lc-"))
    os.chmod(workdir, 0o755)
    rc = workdir / "linkcheckerrc"
    rc.write_text(f"[checking]\nmaxrequestspersecond={rps}\nthreads={threads}\n")
    os.chmod(rc, 0o644)
    cmd = [exe, "-f", str(rc), "--check-extern", "--no-robots", "--no-status", "-r", "1",
           "-t", str(threads), "-o", "text", f"{ctrl}/index.html"]
    t0, c0 = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    elapsed, cpu = time.perf_counter() - t0, _children_cpu() - c0
    summary = " ".join(line.strip() for line in proc.stdout.splitlines()
                       if re.search(r"links? in .* URLs? checked|errors? found", line))
    shutil.rmtree(workdir, ignore_errors=True)
    return elapsed, cpu, summary or (proc.stdout[-400:] + proc.stderr[-400:])


def linkchecker_startup(exe: str) -> float:
    """Seconds LinkChecker needs just to start (``--version``), best of three."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([exe, "--version"], capture_output=True, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each tool, interleaved; the best and median are shown")
    parser.add_argument("--concurrency", type=int, default=64,
                        help="requests in flight overall (citekit) = threads (LinkChecker)")
    parser.add_argument("--linkchecker", default=shutil.which("linkchecker") or str(
        Path(sys.executable).with_name("linkchecker")))
    args = parser.parse_args()

    port, ctrl_port = free_port(), free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve, args=(port, ctrl_port, args.hosts, args.delay, args.urls, ready),
        daemon=True)
    server.start()
    ready.wait(10)
    ctrl = f"http://127.0.0.1:{ctrl_port}"
    urls = urls_for(port, args.hosts, args.urls)
    ceiling = PER_HOST / args.delay  # requests per second per host at the limit
    rps = 3.5 * ceiling
    print(f"{args.urls} URLs over {args.hosts} hosts, {args.delay * 1000:.0f} ms per response; "
          f"per-host limit {PER_HOST}, {args.concurrency} in flight overall")
    try:
        have_lc = Path(args.linkchecker).exists()
        times: dict[str, list[float]] = {"citekit": [], "LinkChecker": []}
        cpus: dict[str, list[float]] = {"citekit": [], "LinkChecker": []}
        peaks: dict[str, int] = {"citekit": 0, "LinkChecker": 0}
        requests: dict[str, int] = {}
        summary = ""
        for _ in range(args.repeat):
            control(ctrl, "/__reset")
            elapsed, cpu = run_citekit(urls, ctrl, args.concurrency)
            times["citekit"].append(elapsed)
            cpus["citekit"].append(cpu)
            stats = control(ctrl, "/__stats")
            peaks["citekit"] = max(peaks["citekit"], max(stats["peak"].values()))
            requests["citekit"] = stats["requests"]
            if have_lc:
                control(ctrl, "/__reset")
                elapsed, cpu, summary = run_linkchecker(args.linkchecker, ctrl, rps,
                                                        args.concurrency)
                times["LinkChecker"].append(elapsed)
                cpus["LinkChecker"].append(cpu)
                stats = control(ctrl, "/__stats")
                peaks["LinkChecker"] = max(peaks["LinkChecker"],
                                           max(stats["peak"].values() or [0]))
                requests["LinkChecker"] = stats["requests"]
        for tool, runs in times.items():
            if not runs:
                print(f"{tool:11s} : not found at {args.linkchecker}; pip install linkchecker")
                continue
            best, median = min(runs), statistics.median(runs)
            print(f"{tool:11s} : best {best:5.2f} s = {args.urls / best:5.0f} URLs/s, median "
                  f"{median:5.2f} s = {args.urls / median:5.0f} URLs/s; {requests[tool]} requests; "
                  f"max in flight per host {peaks[tool]}; "
                  f"CPU {statistics.median(cpus[tool]):.2f} s (median)")
        if have_lc:
            startup = linkchecker_startup(args.linkchecker)
            print(f"              {summary}")
            print(f"              LinkChecker settings: threads {args.concurrency}, "
                  f"maxrequestspersecond {rps:g}; its start-up (linkchecker --version) "
                  f"{startup:.2f} s")
            best_ck, best_lc = min(times["citekit"]), min(times["LinkChecker"])
            med_ck = statistics.median(times["citekit"])
            med_lc = statistics.median(times["LinkChecker"])
            cpu_ck = statistics.median(cpus["citekit"])
            cpu_lc = statistics.median(cpus["LinkChecker"])
            print(f"ratio       : {best_lc / best_ck:.1f}x LinkChecker's throughput (best runs), "
                  f"{med_lc / med_ck:.1f}x (medians), "
                  f"{max(best_lc - startup, 1e-9) / best_ck:.1f}x with its start-up removed; "
                  f"LinkChecker uses {cpu_lc / cpu_ck:.1f}x the CPU time")
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
