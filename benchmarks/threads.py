"""The parallel data pass under a concurrent load: one BLAS thread per Python thread (what the
library does) against the same two threads each free to start a multi-threaded BLAS (before)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .common import Row


def _spin(stop: Any) -> None:
    """A busy process: the other work a shared machine has."""
    x = 0
    while not stop.is_set():
        x += 1


def bench_blas(a: argparse.Namespace) -> list[Row]:
    """The two-thread data pass, alone and beside a busy process, capped vs uncapped BLAS."""
    from publiceval._core.moments.build import accumulate
    from publiceval._core.moments.merge import merge_all

    rng = np.random.default_rng(0)
    n, k, g = a.blas_n, a.items, a.opds
    group = rng.integers(0, g, n)
    x = rng.integers(1, 5, (n, k)).astype(np.int8)
    half = n // 2

    def uncapped() -> object:
        with ThreadPoolExecutor(2) as pool:
            parts = list(
                pool.map(
                    lambda ab: accumulate(group[ab[0] : ab[1]], g, x[ab[0] : ab[1]], threads=1),
                    [(0, half), (half, n)],
                )
            )
        return merge_all(parts)

    def capped() -> object:
        return accumulate(group, g, x, threads=2)

    rows: list[Row] = []
    for busy in (0, 1):
        stop = mp.Event()
        load = [mp.Process(target=_spin, args=(stop,)) for _ in range(busy)]
        for p in load:
            p.start()
        t_free: list[float] = []
        t_capped: list[float] = []
        try:
            for _ in range(max(a.repeat, 5)):  # interleaved: both see the same load
                t = time.perf_counter()
                uncapped()
                t_free.append(time.perf_counter() - t)
                t = time.perf_counter()
                capped()
                t_capped.append(time.perf_counter() - t)
        finally:
            stop.set()
            for p in load:
                p.join()
        free, cap = float(np.median(t_free)), float(np.median(t_capped))
        rows.append(
            {
                "what": f"data pass, 2 threads, BLAS capped at 1 ({busy} busy process)",
                "at": f"N={n:,}, U={g:,}, {k} items; medians",
                "seconds": cap,
                "ratio": cap / free,
                "vs": "the same threads with free BLAS threads",
                "target": "<= 1",
            }
        )
    return rows
