"""``publiceval serve``'s compare step: the earlier period as an evaluation's JSON or as an export
read with the same study, the comparison page, its downloads, and the refusals.

The earlier export is the example Google Forms export with 40% of its answers swapped between
rows (seeded), so the two periods differ but share the instrument.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")
pytest.importorskip("jinja2")

from starlette.testclient import TestClient

from publiceval._core.compare.build import compare_evaluations
from publiceval._core.compare.sentences import fmt_signed
from publiceval._core.results import Evaluation
from publiceval._core.study import load_study
from publiceval._core.web.app import WebConfig, create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPORT = EXAMPLES / "gforms-export" / "export.csv"
OTHER = EXAMPLES / "two-semesters" / "semester-1.toml"


def perturbed(seed: int = 7) -> bytes:
    """The example export with answers swapped between rows: an 'earlier semester'."""
    rows = list(csv.reader(EXPORT.open(encoding="utf-8")))
    head, body = rows[0], rows[1:]
    rng = random.Random(seed)
    questions = [i for i, h in enumerate(head) if re.match(r"\d\. ", h)]
    out = []
    for row in body:
        row = list(row)
        for i in questions:
            if rng.random() < 0.4:
                row[i] = rng.choice(body)[i]
        out.append(row)
    buf = io.StringIO()
    csv.writer(buf).writerows([head, *out])
    return buf.getvalue().encode("utf-8")


class App:
    """A client that uploaded and evaluated the example export."""

    def __init__(self, root: Path, lang: str = "id") -> None:
        self.root = root
        self.c = TestClient(create_app(WebConfig(root=root, allowed_hosts=("testserver",))))
        page = self.c.get(f"/?lang={lang}")
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = self.c.post(
            "/upload",
            data={"csrf": self.csrf},
            files={"file": ("export.csv", EXPORT.read_bytes(), "text/csv")},
            follow_redirects=False,
        )
        self.key = r.headers["location"].split("/")[2]
        r = self.c.post(f"/s/{self.key}/evaluate", data={"csrf": self.csrf}, follow_redirects=False)
        assert r.status_code == 303

    def compare(self, name: str, data: bytes, **labels: str):
        return self.c.post(
            f"/s/{self.key}/compare",
            data={"csrf": self.csrf, **labels},
            files={"file": (name, data, "application/octet-stream")},
        )

    def evaluation(self) -> Evaluation:
        r = self.c.get(f"/s/{self.key}/download/evaluation.json")
        assert r.status_code == 200
        return Evaluation.from_json(r.content)


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> App:
    return App(tmp_path_factory.mktemp("serve"))


def _expected(app: App, earlier: Evaluation, labels: list[str]):
    return compare_evaluations([earlier, app.evaluation()], labels=labels)


def test_report_step_offers_the_evaluation_json_for_next_semester(app):
    page = app.c.get(f"/s/{app.key}/report?lang=en").text
    assert f"/s/{app.key}/download/evaluation.json" in page
    assert "keep it" in page and "next semester" in page
    assert f'href="/s/{app.key}/compare"' in page
    assert app.evaluation().opds


def test_earlier_export_is_read_with_the_same_study_and_compared(app):
    r = app.compare("export-s1.csv", perturbed(), before="Semester I", after="Semester II")
    assert r.status_code == 200 and r.url.path == f"/s/{app.key}/compare"
    # what compare_evaluations gives for the same two periods
    folder = app.root / app.key / "earlier"
    folder.mkdir()
    study = load_study(app.root / app.key / "study.toml")
    spec = study.file_spec
    (folder / "export-s1.csv").write_bytes(perturbed())
    from publiceval._core.study import Study

    survey = spec.survey.model_copy(update={"period_start": None, "period_end": None})
    earlier_spec = spec.model_copy(
        update={"data": spec.data.model_copy(update={"path": "export-s1.csv"}), "survey": survey}
    )
    earlier = Study(earlier_spec, folder / "study.toml").evaluate()
    expected = _expected(app, earlier, ["Semester I", "Semester II"])
    text = app.c.get(f"/s/{app.key}/compare?lang=id").text
    assert "Semester I → Semester II" in text
    for o in expected.steps[0].opds:
        row = re.search(rf'<th scope="row" title="{re.escape(o.name)}">.*?</tr>', text, re.S)
        assert row, o.name
        assert fmt_signed(o.score.difference, "id") in row.group(0), o.name
    got = json.loads(app.c.get(f"/s/{app.key}/compare/download/comparison.json").content)
    want = json.loads(expected.to_json())
    for g, w in zip(got["steps"][0]["opds"], want["steps"][0]["opds"], strict=True):
        assert g["opd"] == w["opd"]
        assert g["score"]["difference"] == pytest.approx(w["score"]["difference"])
        assert g["score"]["direction"] == w["score"]["direction"]


def test_downloads_and_preview(app):
    app.compare("export-s1.csv", perturbed(), before="S1", after="S2")
    x = app.c.get(f"/s/{app.key}/compare/download/comparison.en.xlsx")
    assert x.status_code == 200
    assert "attachment" in x.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(x.content)).namelist()  # a real workbook
    h = app.c.get(f"/s/{app.key}/compare/download/comparison.id.html")
    assert h.status_code == 200 and '<html lang="id">' in h.text
    p = app.c.get(f"/s/{app.key}/compare/preview/en")
    assert p.status_code == 200 and '<html lang="en">' in p.text
    assert "script-src" not in p.headers["content-security-policy"]
    for bad in ("../study.toml", "comparison.xx.html", "comparison.id.exe", "evaluation.json"):
        assert app.c.get(f"/s/{app.key}/compare/download/{bad}").status_code == 404, bad


def test_earlier_evaluation_json_compares(tmp_path, app):
    earlier = app.c.get(f"/s/{app.key}/download/report.en.json").content  # last semester's
    other = App(tmp_path)
    r = other.compare("report.en.json", earlier, before="2025", after="2026")
    assert r.status_code == 200, r.text
    expected = _expected(other, Evaluation.from_json(earlier), ["2025", "2026"])
    assert all(o.score.difference == pytest.approx(0) for o in expected.steps[0].opds)
    assert "2025 → 2026" in r.text and "+0,00" in r.text


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", "kuesionernya (instrumen) berbeda"),
        ("en", "their questionnaires (instruments) differ"),
    ],
)
def test_a_different_instrument_is_refused_with_every_difference(tmp_path, lang, words):
    a = App(tmp_path, lang)
    other = load_study(OTHER).evaluate().model_dump_json().encode("utf-8")
    r = a.compare("semester-1.json", other, before="A", after="B")
    assert r.status_code == 400
    assert words in r.text
    assert "Traceback" not in r.text
    with pytest.raises(Exception) as exc:
        compare_evaluations([Evaluation.from_json(other), a.evaluation()], labels=["A", "B"])
    first = str(exc.value).splitlines()[0]
    assert first.replace("'", "&#39;").replace('"', "&#34;")[:60] in r.text
    assert "<table" not in r.text  # nothing kept
    assert not (tmp_path / a.key / ".publiceval-web" / "compare" / "current.json").exists()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.json", b'{"hello": 1}', "not a publiceval evaluation"),
        ("broken.json", b"{not json", "not a publiceval evaluation"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00 binary", "cannot be read as the earlier period"),
        (
            "other.csv",
            (EXAMPLES / "two-semesters" / "responses-s1.csv").read_bytes(),
            "same columns",
        ),
    ],
)
def test_a_file_that_is_neither_says_what_was_expected(tmp_path, name, data, words):
    a = App(tmp_path, "en")
    r = a.compare(name, data)
    assert r.status_code == 400
    assert words in r.text and "Expected" in r.text
    assert "Traceback" not in r.text and str(tmp_path) not in r.text


def test_both_languages_and_the_rules_of_the_upload(tmp_path):
    a = App(tmp_path, "en")
    page = a.c.get(f"/s/{a.key}/compare")
    assert "Compare with an earlier period" in page.text and "5. Compare" in page.text
    assert "Bandingkan dengan periode sebelumnya" in a.c.get(f"/s/{a.key}/compare?lang=id").text
    # no token, a foreign token: refused, nothing written
    r = a.c.post(
        f"/s/{a.key}/compare",
        data={"csrf": "x" * 64},
        files={"file": ("e.csv", perturbed(), "text/csv")},
    )
    assert r.status_code == 403
    assert not (tmp_path / a.key / ".publiceval-web" / "compare").exists()
    small = TestClient(
        create_app(WebConfig(root=tmp_path, allowed_hosts=("testserver",), max_upload=1024))
    )
    small.cookies = a.c.cookies
    r = small.post(
        f"/s/{a.key}/compare", files={"file": ("e.csv", perturbed(), "text/csv")}, data={}
    )
    assert r.status_code == 413
    assert a.c.get("/s/..%2F..%2Fetc/compare").status_code == 404
    # labels are escaped, never markup
    a.compare("e.csv", perturbed(), before="<b>S1</b>", after="S2")
    text = a.c.get(f"/s/{a.key}/compare").text
    assert "<b>S1</b>" not in text and "&lt;b&gt;S1&lt;/b&gt;" in text


def test_a_study_not_yet_evaluated_says_so(tmp_path):
    a = App(tmp_path, "en")
    study = tmp_path / a.key / "study.toml"
    study.write_text(study.read_text("utf-8") + "\n", "utf-8")  # changed since evaluated
    r = a.c.get(f"/s/{a.key}/compare")
    assert "Evaluate this period first" in r.text
    r = a.compare("e.csv", perturbed())
    assert r.status_code == 400 and "Evaluate this period first" in r.text
