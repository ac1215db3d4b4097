"""Make the reference values of tests/test_edges_domains.py with samplics (run once; kept).

samplics' ``TaylorEstimator`` with ``domain=`` is one independent reference; R's ``svyby`` is the
other (``tests/data/make_edges_reference.R``, whose values the JSON keeps under ``"r"``; the two
agree to 1e-13). Re-running this script keeps the ``"r"`` values.
The design is a household survey: 4 strata of 5 villages (PSUs) each, every respondent
rating one to three of 8 OPDs, so villages cut across OPDs and OPD × stratum cells often hold
one village. Run from the repository root::

    python tests/data/make_edges_reference.py

It writes ``tests/data/edges_domains_reference.json``: the rows, and per OPD the weighted
mean, its SE and the df of the whole design, for one item and for the mean of two items.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # samplics announces that it is archived
    from samplics import PopParam, TaylorEstimator

OUT = Path(__file__).with_name("edges_domains_reference.json")


def rows(seed: int = 17) -> dict[str, list[float] | list[int]]:
    rng = np.random.default_rng(seed)
    opd, stratum, psu, weight, y1, y2 = [], [], [], [], [], []
    for h in range(4):
        for v in range(5):
            village = h * 5 + v
            effect = rng.normal(0, 0.4)
            for _ in range(int(rng.integers(6, 14))):
                w = float(rng.uniform(0.5, 3.0))
                rated = rng.choice(8, size=int(rng.integers(1, 4)), replace=False)
                for g in rated.tolist():
                    base = 2.4 + 0.12 * g + effect
                    opd.append(g)
                    stratum.append(h)
                    psu.append(village)
                    weight.append(w)
                    y1.append(int(np.clip(np.round(base + rng.normal(0, 0.7)), 1, 4)))
                    y2.append(int(np.clip(np.round(base + rng.normal(0, 0.7)), 1, 4)))
    return {"opd": opd, "stratum": stratum, "psu": psu, "weight": weight, "y1": y1, "y2": y2}


def domain_means(data: dict, y: np.ndarray) -> dict[str, list[float]]:
    est = TaylorEstimator(PopParam.mean)
    est.estimate(
        y=y,
        samp_weight=np.asarray(data["weight"]),
        stratum=np.asarray(data["stratum"]),
        psu=np.asarray(data["psu"]),
        domain=np.asarray(data["opd"]),
        fpc=1.0,
    )
    keys = sorted(est.point_est)
    return {
        "mean": [float(est.point_est[g]) for g in keys],
        "se": [float(est.stderror[g]) for g in keys],
        "df": float(est.degree_of_freedom),
    }


def main() -> None:
    data = rows()
    y1 = np.asarray(data["y1"], dtype=float)
    y2 = np.asarray(data["y2"], dtype=float)
    kept = json.loads(OUT.read_text(encoding="utf-8")).get("r") if OUT.exists() else None
    ref = {
        "made_by": "tests/data/make_edges_reference.py with samplics TaylorEstimator(domain=opd)",
        "rows": data,
        "item": domain_means(data, y1),
        "composite": domain_means(data, (y1 + y2) / 2),
    }
    if kept is not None:
        ref["r"] = kept
    OUT.write_text(json.dumps(ref, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
