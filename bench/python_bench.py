#!/usr/bin/env python3
"""The cost of the Python binding, as ratios measured in one run
(docs/performance.md, "Python binding").

(a) a 1000-point spectrum of the default config (all columns, T log-spaced
    from 10 eV to 100 keV) from Python, one vectorised call on a built plan,
    against the same nuem_spectrum_table call timed in C
    (bench/spectrum_table_bench.c), best of REPS each; and the whole job
    (nuem.spectrum(cfg, T): build + evaluate) against C's build + evaluate.
(b) a 100-value scan of mu_nu: one Plan evaluated at each value, against
    100 independent nuem.spectrum calls (each builds the chain).

usage: python_bench.py [BUILD_DIR]   (default: build; the binding loads
BUILD_DIR/libnuem.so and the C side runs BUILD_DIR/bench/nuem_table_bench)
"""
import os
import pathlib
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
BUILD = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "build").resolve()
os.environ.setdefault("NUEM_LIBRARY", str(BUILD / "libnuem.so"))
sys.path.insert(0, str(REPO / "python"))

import numpy as np  # noqa: E402

import nuem  # noqa: E402

POINTS, REPS, SCAN = 1000, 50, 100


def best(f, reps):
    t = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


def c_times():
    out = subprocess.run([str(BUILD / "bench" / "nuem_table_bench"), str(POINTS), str(REPS)],
                         capture_output=True, text=True, check=True).stdout
    return {k: float(v) * 1e-3 for k, v in (line.split() for line in out.splitlines())}


def main():
    T = np.geomspace(0.01, 100.0, POINTS)  # keV: 10 eV to 100 keV, as the C side
    cfg = nuem.Config()
    c = c_times()
    plan = nuem.Plan(cfg)
    py_table = best(lambda: plan.spectrum(T=T), REPS)
    py_whole = best(lambda: nuem.spectrum(cfg, T=T), 5)
    c_whole = c["build_ms"] + c["table_ms"]
    print(f"(a) {POINTS}-point spectrum, default config (atomic model: "
          f"{plan.spectrum(T=T[:2]).notes.get('atomic_model', '?').split()[0]})")
    print(f"    C   nuem_spectrum_table on a built chain  {1e3 * c['table_ms']:9.2f} ms")
    print(f"    Python plan.spectrum(T=...)               {1e3 * py_table:9.2f} ms   "
          f"ratio {py_table / c['table_ms']:.3f} (target < 2)")
    print(f"    C   build + table                         {1e3 * c_whole:9.2f} ms")
    print(f"    Python nuem.spectrum(cfg, T=...)          {1e3 * py_whole:9.2f} ms   "
          f"ratio {py_whole / c_whole:.3f}")

    for model in ("auto", "stepping"):
        scan_ratio(cfg.copy().set("atomic.model", model), T)


def scan_ratio(cfg, T):
    mus = np.geomspace(1e-12, 1e-9, SCAN)
    t0 = time.perf_counter()
    scan = nuem.Plan(cfg)
    planned = [scan.spectrum(T=T, mu=m)["total"] for m in mus]
    t_plan = time.perf_counter() - t0
    t0 = time.perf_counter()
    fresh = [nuem.spectrum(cfg.copy().set("physics.mu_nu", f"{m!r} muB"), T=T)["total"]
             for m in mus]
    t_fresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    with nuem.Plan(cfg) as plan:
        scanned = [s["total"] for s in plan.scan(T=T, mu=mus)]
    t_scan = time.perf_counter() - t0
    same = all(np.array_equal(a, b) for a, b in zip(planned, fresh))
    close = max(float(np.max(np.abs(a - b)) / np.max(np.abs(b))) for a, b in zip(scanned, fresh))
    print(f"(b) {SCAN}-value mu_nu scan, {POINTS} points each, atomic.model = "
          f"{cfg.get('atomic.model')}")
    print(f"    one Plan, {SCAN} evaluations (plan included)   {t_plan:9.3f} s")
    print(f"    {SCAN} independent nuem.spectrum calls       {t_fresh:9.3f} s   "
          f"ratio {t_fresh / t_plan:.1f}; identical spectra: {same}")
    print(f"    plan.scan(mu=[...]) (plan included)          {t_scan:9.3f} s   "
          f"ratio {t_fresh / t_scan:.1f} (target >= 20); largest difference {close:.1e} "
          f"of the column")


if __name__ == "__main__":
    main()
