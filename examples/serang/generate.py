"""Write the SYNTHETIC respondent-level data of the Serang 2025 example (``responses.csv``).

The KNPI survey of 12–16 June 2025 published OPD scores, two survey-wide categories and
recommendations, but no respondents, no questionnaire and no answers. To show the whole
pipeline on respondent-level data, this script invents answers that reproduce every published
figure exactly. Nothing in the file is a real answer.

How the data are made (all from one ``numpy.random.Generator`` seeded with :data:`SEED`):

1. **Targets.** Each OPD's target score is read from ``study-published.toml``: the 10 scores
   the article prints, and 10 placeholders strictly between 2.81 and 2.93 for the OPDs it does
   not name. The instrument (9 SKM items on 1–4, two survey-wide questions) and the OPDs are read
   from ``study.toml``.
2. **Respondents per OPD.** An assumption (the real count was not published): a draw from
   30–60, moved up to the first count ``n`` at which a whole number of answer points,
   ``S = round(9 · n · target)``, gives a mean within :data:`TOLERANCE` (0.001) of the target.
   The printed value, rounded to two decimals, is then robust: it is ≥ 0.004 from any rounding
   edge.
3. **Who rates what.** Each respondent rates 1, 2 or 3 OPDs whose services they used (drawn
   with probabilities :data:`OPDS_PER_RESPONDENT`); in turn, each takes the OPDs with the most
   respondents still to find, so no respondent rates the same OPD twice.
4. **Answers.** A latent score per answer, ``target + leniency(respondent) + effect(item) +
   noise``, is rounded and clipped to 1–4 after a common shift chosen by bisection; then single
   answers are moved by one point, at random, until the OPD's answers sum to exactly ``S``.
   Every respondent answers every item, so the OPD score (the mean of the item means) equals
   ``S / (9 n)``.
5. **Survey-wide answers.** Once per respondent, made the same way to hit means of
   :data:`SURVEY_WIDE_TARGETS`: 1.60 for satisfaction with the mayor and vice-mayor (band
   *Tidak Puas*, [1, 1.75)) and 2.20 for "the 100-day programme is a fair yardstick" (band
   *Kurang Setuju*, [1.75, 2.5)). The article published only these categories.

The CSV is plain: a leading ``note`` column says ``SYNTHETIC`` on every row, the reader ignores
it. ``python examples/serang/generate.py --check`` regenerates the data in memory and verifies
that the committed file is reproduced byte for byte (exit status 1 if not). The draws use only
``integers``, ``random``, ``normal`` and ``choice`` of ``numpy.random.Generator`` (PCG64), whose
streams numpy has kept stable since 1.17.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from publiceval import Study, Survey, load_study

HERE = Path(__file__).resolve().parent
STUDY = HERE / "study.toml"
PUBLISHED = HERE / "study-published.toml"
OUTPUT = HERE / "responses.csv"

#: The seed of the one random generator (the date the results were presented, 19 June 2025).
SEED = 20250619
#: Assumed respondents per OPD (inclusive); the real count was never published.
RESPONDENTS_PER_OPD = (30, 60)
#: Largest allowed distance between an OPD's synthetic mean and its target.
TOLERANCE = 0.001
#: How many OPDs one respondent rates, with probabilities.
OPDS_PER_RESPONDENT = ((1, 0.45), (2, 0.35), (3, 0.20))
#: Spread of a respondent's leniency, shared by all their answers.
LENIENCY_SD = 0.35
#: Spread of the answer-level noise.
NOISE_SD = 0.55
#: How each SKM element tends to differ from the OPD's level (sums to 0): waiting times and
#: complaint handling lag, fees (mostly free services) and courtesy do better.
ITEM_EFFECTS = {
    "persyaratan": 0.10,
    "prosedur": 0.00,
    "waktu": -0.20,
    "biaya": 0.25,
    "produk": 0.00,
    "kompetensi": 0.05,
    "perilaku": 0.10,
    "pengaduan": -0.25,
    "sarana": -0.05,
}
#: Target means of the survey-wide items, and the band each must fall in (equal-width on 1–4).
SURVEY_WIDE_TARGETS = {
    "wali_kota": (1.60, (1.0, 1.75), "Tidak Puas"),
    "program_100_hari": (2.20, (1.75, 2.5), "Kurang Setuju"),
}
#: First day of the survey and how many days it ran (12–16 June 2025).
FIRST_DAY = dt.date(2025, 6, 12)
DAYS = 5
NOTE = "SYNTHETIC"


@dataclass(frozen=True)
class Targets:
    """What the data must reproduce: one target score per OPD, in the survey's OPD order."""

    survey: Survey
    scores: NDArray[np.float64]


def _study(path: Path) -> Study:
    """A study file, validated (its plugins are built-ins)."""
    return load_study(path)


def load_targets(study: Path = STUDY, published: Path = PUBLISHED) -> Targets:
    """The instrument from ``study.toml`` and the target scores from ``study-published.toml``."""
    survey = _study(study).survey
    spec = _study(published).spec.published
    if spec is None:
        raise SystemExit(f"{published}: expected a [published] table with the target scores")
    given = {s.opd: s.value for s in spec.scores}
    missing = [o.id for o in survey.opds if o.id not in given]
    if missing:
        raise SystemExit(f"{published}: no published or placeholder score for {missing}")
    items = [i.id for i in survey.opd_items]
    if items != list(ITEM_EFFECTS):
        raise SystemExit(f"{study}: expected the per-OPD items {list(ITEM_EFFECTS)}; found {items}")
    return Targets(survey, np.array([given[o.id] for o in survey.opds], dtype=np.float64))


def respondents_per_opd(rng: np.random.Generator, target: float, k: int) -> tuple[int, int]:
    """A respondent count ``n`` and answer-point total ``S`` whose mean is within tolerance."""
    low, high = RESPONDENTS_PER_OPD
    start = int(rng.integers(low, high + 1))
    span = high - low + 1
    for step in range(span):
        n = low + (start - low + step) % span
        total = round(k * n * target)
        if abs(total / (k * n) - target) <= TOLERANCE:
            return n, total
    raise ValueError(
        f"no respondent count in {low}..{high} gives a mean within {TOLERANCE} of {target}"
    )


def deal(rng: np.random.Generator, counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """The respondent of each OPD slot (slots ordered by OPD), each rating 1–3 distinct OPDs.

    Each respondent in turn takes the OPDs with the most slots left (ties broken at random).
    This greedy fill (Ryser's construction for a 0–1 matrix with given row and column sums)
    succeeds whenever any assignment without repeats exists.
    """
    slots = int(counts.sum())
    sizes_, probs = zip(*OPDS_PER_RESPONDENT, strict=True)
    sizes = rng.choice(np.array(sizes_), size=slots, p=np.array(probs))
    ends = np.cumsum(sizes)
    n_resp = int(np.searchsorted(ends, slots) + 1)
    sizes = sizes[:n_resp].copy()
    sizes[-1] -= int(ends[n_resp - 1]) - slots
    remaining = counts.astype(np.int64).copy()
    respondent_of: list[list[int]] = [[] for _ in range(counts.size)]
    for i, k in enumerate(sizes.tolist()):
        # the random fraction only reorders OPDs with equally many slots left
        chosen = np.argsort(-(remaining + rng.random(remaining.size)), kind="stable")[:k]
        if k > counts.size or remaining[chosen].min() <= 0:
            raise ValueError(
                f"cannot deal {slots} slots over {counts.size} OPDs without repeats "
                f"(respondent {i + 1} needs {k} OPDs)"
            )
        remaining[chosen] -= 1
        for j in chosen.tolist():
            respondent_of[j].append(i)
    return np.array([i for column in respondent_of for i in column], dtype=np.int64)


def hit_total(
    rng: np.random.Generator, latent: NDArray[np.float64], total: int, low: int, high: int
) -> NDArray[np.int64]:
    """Integer answers in ``low..high`` close to ``latent`` whose sum is exactly ``total``."""
    if not low * latent.size <= total <= high * latent.size:
        raise ValueError(f"total {total} is impossible for {latent.size} answers in {low}..{high}")

    def answers(shift: float) -> NDArray[np.int64]:
        return np.clip(np.rint(latent + shift), low, high).astype(np.int64)

    lo, hi = -float(high - low), float(high - low)
    for _ in range(60):
        mid = (lo + hi) / 2
        if answers(mid).sum() <= total:
            lo = mid
        else:
            hi = mid
    out = answers(lo).ravel()
    while (gap := total - int(out.sum())) != 0:
        movable = np.flatnonzero(out < high if gap > 0 else out > low)
        picked = rng.choice(movable, size=min(abs(gap), movable.size), replace=False)
        out[picked] += 1 if gap > 0 else -1
    return out.reshape(latent.shape)


def generate(targets: Targets, seed: int = SEED) -> bytes:
    """The CSV bytes: one row per respondent × rated OPD, survey-wide answers on every row."""
    survey = targets.survey
    rng = np.random.default_rng(seed)
    k = len(survey.opd_items)
    plan = [respondents_per_opd(rng, float(t), k) for t in targets.scores]
    counts = np.array([n for n, _ in plan], dtype=np.int64)
    respondent = deal(rng, counts)
    n_resp = int(respondent.max()) + 1
    leniency = rng.normal(0.0, LENIENCY_SD, n_resp)
    effects = np.array(list(ITEM_EFFECTS.values()))
    answers = np.zeros((respondent.size, k), dtype=np.int64)
    start = 0
    for (n, total), target in zip(plan, targets.scores, strict=True):
        rows = slice(start, start + n)
        latent = (
            target
            + leniency[respondent[rows]][:, None]
            + effects[None, :]
            + rng.normal(0.0, NOISE_SD, (n, k))
        )
        answers[rows] = hit_total(rng, latent, total, 1, 4)
        start += n
    wide = np.zeros((n_resp, len(SURVEY_WIDE_TARGETS)), dtype=np.int64)
    for j, (item, (mean, (band_low, band_high), label)) in enumerate(SURVEY_WIDE_TARGETS.items()):
        latent = mean + 0.5 * leniency + rng.normal(0.0, 0.6, n_resp)
        wide[:, j] = hit_total(rng, latent, round(mean * n_resp), 1, 4)
        got = float(wide[:, j].mean())
        if not band_low <= got < band_high:
            raise ValueError(f"{item}: mean {got:.4f} is outside {label} [{band_low}, {band_high})")
    day = rng.integers(0, DAYS, n_resp)
    _check(targets, counts, answers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    opd_items = [i.id for i in survey.opd_items]
    writer.writerow(["note", "respondent", "submitted", "opd", *opd_items, *SURVEY_WIDE_TARGETS])
    opd_of_slot = np.repeat(np.arange(counts.size), counts)
    for slot in np.lexsort((opd_of_slot, respondent)).tolist():
        r = int(respondent[slot])
        writer.writerow(
            [
                NOTE,
                f"R{r + 1:04d}",
                (FIRST_DAY + dt.timedelta(days=int(day[r]))).isoformat(),
                survey.opds[int(opd_of_slot[slot])].id,
                *answers[slot].tolist(),
                *wide[r].tolist(),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _check(targets: Targets, counts: NDArray[np.int64], answers: NDArray[np.int64]) -> None:
    """Refuse data whose OPD scores (mean of item means) miss their targets."""
    start = 0
    for opd, n, target in zip(targets.survey.opds, counts.tolist(), targets.scores, strict=True):
        score = float(answers[start : start + n].mean(axis=0).mean())
        if abs(score - target) > TOLERANCE:
            raise ValueError(f"{opd.id}: synthetic score {score:.5f} misses target {target}")
        start += n


def main(argv: list[str] | None = None) -> int:
    """Write ``responses.csv``, or with ``--check`` verify the committed one byte for byte."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify, do not write")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the CSV")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    data = generate(load_targets(), seed=args.seed)
    if args.check:
        committed = args.output.read_bytes() if args.output.exists() else b""
        if committed == data:
            print(f"{args.output}: reproduced byte for byte ({len(data)} bytes)")
            return 0
        old, new = committed.splitlines(), data.splitlines()
        first = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        print(
            f"{args.output}: differs from the generator's output "
            f"({len(committed)} vs {len(data)} bytes; first difference on line {first + 1})",
            file=sys.stderr,
        )
        return 1
    args.output.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"wrote {args.output} ({len(data)} bytes, {rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
