"""Two threads with two configs give the results of the same calls made one
after the other, and long calls release the GIL (cffi drops it around
every call into libnuem: docs/python.md)."""
import threading
import time

import numpy as np

from conftest import DATA, EXAMPLES

T = np.geomspace(0.05, 50, 400)
CONFIGS = [{"atomic.model": "stepping", "physics.mu_nu": "2e-11 muB"},
           {"target.material": "Si", "source.distance": "20 m"}]


def test_two_threads_two_configs(nuem):
    serial = [nuem.spectrum(nuem.Config(c), T=T).data for c in CONFIGS]
    results = [[None] * 4 for _ in CONFIGS]

    def work(k):
        cfg = nuem.Config(CONFIGS[k])
        plan = nuem.Plan(cfg)
        for rep in range(4):
            results[k][rep] = plan.spectrum(T=T).data

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        for rep in range(4):
            assert np.array_equal(results[k][rep], serial[k])


def test_two_threads_feldman_cousins_with_one_seed(nuem):
    cfg = nuem.Config(EXAMPLES / "texono2007.ini",
                      {"analysis.toys": "200", "analysis.grid": "10", "analysis.seed": "3"})
    out = [None, None]

    def work(k):
        out[k] = nuem.limit(DATA / "texono_like.dat", cfg)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert np.array_equal(out[0].data, out[1].data) and out[0].hi == out[1].hi


def test_long_calls_release_the_gil(nuem):
    """While one thread is inside libnuem (a 200000-point spectrum, well over
    0.1 s), the main thread keeps running Python. With the GIL held the
    counter could not advance until the call returned."""
    plan = nuem.Plan({"atomic.model": "stepping"})
    T_long = np.geomspace(0.05, 50, 200000)
    done = threading.Event()
    started = threading.Event()

    def work():
        started.set()
        plan.spectrum(T=T_long)
        done.set()

    t = threading.Thread(target=work)
    t0 = time.perf_counter()
    t.start()
    started.wait()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.sleep(0)
    elapsed = time.perf_counter() - t0
    t.join()
    assert elapsed > 0.05, "the call was too short to tell"
    # the switch interval is 5 ms: holding the GIL would allow ~1 tick
    assert ticks > 100, f"only {ticks} loop turns in {elapsed:.2f} s: the GIL was held"
