"""Sample adequacy per OPD."""

from __future__ import annotations

import numpy as np
import pytest

from publiceval._core.stats import AdequacyOptions, assess_adequacy


def test_krejcie_morgan_against_population_and_fallback():
    a = assess_adequacy([80, 79, 40, 0], [100, 100, np.nan, 1000], [0.01] * 4)
    assert a.adequate == [True, False, True, None]
    assert a.required.tolist() == [80, 80, 30, 278]
    assert a.criterion[2] == "min-n 30 (population unknown)"
    assert a.criterion[0].startswith("krejcie-morgan (N=100")


def test_slovin_min_n_max_cv_and_none():
    s = assess_adequacy([285, 286], [1000, 1000], [0, 0], AdequacyOptions(criterion="slovin"))
    assert s.adequate == [False, True]
    m = assess_adequacy([9, 10], [np.nan] * 2, [0, 0], AdequacyOptions(criterion="min-n", min_n=10))
    assert m.adequate == [False, True]
    c = assess_adequacy(
        [5, 5, 5], [np.nan] * 3, [0.02, 0.06, np.nan], AdequacyOptions(criterion="max-cv")
    )
    assert c.adequate == [True, False, None]
    assert c.required.tolist() == [0.05] * 3
    nothing = assess_adequacy([1], [1.0], [1.0], AdequacyOptions(criterion="none"))
    assert nothing.adequate == [None]


def test_options_are_validated():
    with pytest.raises(ValueError, match="criterion"):
        AdequacyOptions(criterion="cochran")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_n"):
        AdequacyOptions(min_n=0)
