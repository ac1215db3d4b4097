"""What every benchmark shares: best-of-N timing, peak memory, the pandas frame of the data."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

import publiceval as pe

Row = dict[str, Any]


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs (the machine is shared: the minimum is the signal)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak memory one run of ``fn`` allocates, in MB (tracemalloc: numpy and Python objects;
    not Arrow's own pool, which readers in a subprocess measure by their RSS instead)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def frame_of(data: Any, survey: pe.Survey) -> Any:
    import pandas as pd

    cols = {
        item.id: np.where(data.answers[:, j] > 0, data.answers[:, j], np.nan)
        for j, item in enumerate(survey.opd_items)
    }
    frame = pd.DataFrame(cols)
    frame["opd"] = data.opd
    return frame
