"""``publiceval compare``: evaluate several studies of one instrument and compare the periods.

Lives here, not in the CLI module, so the command line stays a thin face: ``cli.py`` only
registers it. Errors become one line and the CLI's documented exit codes (3: a study, a
mapping or instruments that differ; 4: data; 6: a gate).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import PublicevalError, StudyError
from ..text import Lang, clean_text, json_safe, one_line, report_langs

if TYPE_CHECKING:  # the statistics (scipy) load when a comparison runs, not at CLI start-up
    from .cities import CityComparison
    from .models import Comparison
    from .segments import SegmentBreakdown

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["CompareFile", "compare", "render_comparison", "run_compare", "run_segments"]

F = TypeVar("F", bound=Callable[..., Any])
TEXT_FORMATS = {"table": ".txt", "markdown": ".md", "html": ".html", "json": ".json"}
BINARY_FORMATS = {"xlsx": ".xlsx", "pdf": ".pdf"}  # bytes, written to a file (-o) only
FORMATS = {**TEXT_FORMATS, **BINARY_FORMATS}


class SegmentsSpec(BaseModel):
    """``[segments]`` of the comparison file: the question to break down by, the minimum n."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    by: str | None = None
    min_n: int = Field(default=30, ge=1)


class CompareFile(BaseModel):
    """The small comparison file (``--map compare.toml``): renamed OPDs, labels, level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rename: dict[str, str] = Field(default_factory=dict)
    """Earlier OPD id = later OPD id, for OPDs whose id and names all changed."""
    labels: list[str] = Field(default_factory=list)
    """One short name per period, in the order the studies are given."""
    confidence: float | None = Field(default=None, gt=0, lt=1)
    segments: SegmentsSpec = Field(default_factory=lambda: SegmentsSpec())
    paired: bool = True
    """Link respondents by id across periods (paired changes); ``false``: always independent."""


def _read_map(path: Path) -> CompareFile:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        return CompareFile.model_validate(raw)
    except FileNotFoundError:
        raise StudyError(f"comparison file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        msgs = "; ".join(f"key {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors())
        raise StudyError(f"{path}: {msgs}") from None


def run_compare(
    paths: Sequence[Path],
    *,
    labels: Sequence[str] = (),
    rename: dict[str, str] | None = None,
    map_file: Path | None = None,
    confidence: float | None = None,
    allow_outside_data: bool = False,
    allow_empty_opds: bool = False,
    paired: bool | None = None,
) -> Comparison:
    """Evaluate each study (or read each evaluation JSON) and compare the periods in order.

    A study with ``[[periods]]`` gives each of its periods, in order. Respondents whose id
    appears in two consecutive periods (same OPD) are linked: those changes are paired
    (``paired=False``, or ``paired = false`` in the comparison file, turns that off).
    """
    from .build import compare_evaluations
    from .periods import load_periods

    spec = _read_map(map_file) if map_file is not None else CompareFile()
    link = spec.paired if paired is None else paired
    periods = [
        x for p in paths for x in load_periods(p, allow_outside_data, allow_empty_opds, link)
    ]
    names = list(labels) or spec.labels or [x.label for x in periods]
    if len(names) != len(periods):
        raise StudyError(
            f"compare: {len(periods)} periods but {len(names)} labels ({', '.join(names)})"
        )
    common = {**spec.rename, **(rename or {})}
    return compare_evaluations(
        [x.evaluation for x in periods],
        labels=names,
        sources=[x.source for x in periods],
        mapping=[{**common, **x.rename} for x in periods[1:]],
        aliases=[x.aliases for x in periods],
        confidence=confidence if confidence is not None else spec.confidence,
        tables=[x.table for x in periods],
    )


def run_segments(
    path: Path,
    by: str,
    *,
    min_n: int | None = None,
    confidence: float | None = None,
    allow_outside_data: bool = False,
    period: str | None = None,
) -> SegmentBreakdown:
    """Break STUDY's evaluation down by profile question ``by`` (see :mod:`.segments`);
    ``min_n`` defaults to the study's ``[segments] min_n`` (30). A study with ``[[periods]]``
    is broken down in ``period`` (default: its latest). With strata or PSUs, segments are
    domains of the whole design (:mod:`.segment_design`)."""
    from ..study import load_study
    from ..table import ResponseTable
    from .segment_design import study_scorers
    from .segments import segment_breakdown

    study = load_study(path, allow_outside_data=allow_outside_data)
    study = study.period(period) if period is not None else study
    table = study.load_responses()
    if not isinstance(table, ResponseTable):
        raise StudyError(f"{path}: segments need respondent-level data, not published scores")
    level = confidence if confidence is not None else study.spec.statistics.confidence
    least = min_n if min_n is not None else study.file_spec.segments.min_n
    scorers = study_scorers(study.spec, table, level)
    return segment_breakdown(table, by, min_n=least, confidence=level, **scorers)


def render_binary(
    result: Comparison | SegmentBreakdown | CityComparison, fmt: str, lang: Lang
) -> bytes:
    """Any comparison (periods, segments, cities) as ``xlsx`` or ``pdf`` bytes."""
    if fmt == "xlsx":
        from .render_xlsx import render_xlsx

        return render_xlsx(result, lang)
    from .render_pdf import render_pdf

    return render_pdf(result, lang)


def _rendered(
    result: Any, fmt: str, langs: tuple[Lang, ...], text: Callable[[Any, str, Lang], str | bytes]
) -> Iterator[str | bytes]:
    """Each language's report, lazily: ``xlsx``/``pdf`` bytes, else ``text(result, fmt, lang)``."""
    for x in langs:
        yield render_binary(result, fmt, x) if fmt in BINARY_FORMATS else text(result, fmt, x)


def render_comparison(comparison: Comparison, fmt: str, lang: Lang) -> str | bytes:
    """The comparison as ``table``, ``markdown``, ``html`` or ``json`` text, or as ``xlsx`` or
    ``pdf`` bytes."""
    from .render_html import render_html
    from .render_text import render_markdown, render_table

    if fmt in BINARY_FORMATS:
        return render_binary(comparison, fmt, lang)
    if fmt == "json":
        return comparison.to_json() + "\n"
    if fmt == "markdown":
        return render_markdown(comparison, lang)
    if fmt == "html":
        return render_html(comparison, lang)
    return render_table(comparison, lang)


def _guarded(func: F) -> F:
    """Library errors as one line and their exit code (a traceback with ``--debug``)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PublicevalError as exc:
            if click.get_current_context().find_root().params.get("debug", False):
                traceback.print_exc()
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"error: {one_line(line)}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:
            click.echo(one_line(f"internal error: {type(exc).__name__}: {exc}"), err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _pairs(_ctx: Any, _param: Any, values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"expected OLD_ID=NEW_ID; found {value!r}")
        out[old.strip()] = new.strip()
    return out


@click.command()
@click.argument("studies", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="table",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the report to this file (several languages: suffixed .id, .en).",
)
@click.option(
    "--lang",
    default="id",
    show_default=True,
    metavar="id|en|id,en",
    callback=lambda _c, _p, v: report_langs(v),
    help="Report language(s).",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path),
    default=None,
    help='A comparison file: [rename] old_id = "new_id", labels = [...], confidence.',
)
@click.option(
    "--rename",
    multiple=True,
    callback=_pairs,
    metavar="OLD=NEW",
    help="Pair an OPD renamed between periods (repeat for each).",
)
@click.option(
    "--label",
    "labels",
    multiple=True,
    help="A short name per period, in order (default: the file names).",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    help="Level of intervals and tests (default: the latest study's).",
)
@click.option(
    "--cities",
    is_flag=True,
    help="Put cities (or years) side by side instead of comparing periods in order.",
)
@click.option(
    "--by",
    default=None,
    metavar="QUESTION",
    help="Break ONE study down by a [[profile]] question (gender, age_group …).",
)
@click.option(
    "--min-n",
    type=click.IntRange(min=1),
    default=None,
    help="With --by: suppress cells below this many respondents (default 30).",
)
@click.option("--period", metavar="ID", help="With --by: this [[periods]] id (default: latest).")
@click.option("--allow-empty-opds", is_flag=True, help="As for `evaluate`.")
@click.option("--allow-outside-data", is_flag=True, help="As for `evaluate`.")
@_guarded
def compare(
    studies: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    lang: tuple[Lang, ...],
    map_file: Path | None,
    rename: dict[str, str],
    labels: tuple[str, ...],
    confidence: float | None,
    cities: bool,
    by: str | None,
    min_n: int | None,
    period: str | None,
    allow_empty_opds: bool,
    allow_outside_data: bool,
) -> None:
    """Compare STUDIES (study files of one instrument, or evaluation JSON files), each period
    with the next: the change per OPD, element and survey-wide question, with intervals and
    Holm-corrected tests; category and rank changes; new, gone and renamed OPDs.

    Stops with exit code 3 and one message naming every difference when the instruments
    (items, elements, scales, method, category scheme) differ.
    """
    spec = _read_map(map_file) if map_file is not None else CompareFile()
    by = by or spec.segments.by
    n_periods = len(studies)
    if by is None and len(studies) == 1:  # one study: its periods, else its [segments] by
        from .periods import study_defaults

        n_periods, by = study_defaults(studies[0], allow_outside_data)
        by = by if n_periods < 2 or period is not None else None
    if period is not None and by is None:
        raise click.UsageError("--period chooses the period broken down by --by; give --by too")
    if by is not None:
        if len(studies) != 1:
            raise click.UsageError("--by breaks down one study; give exactly one study file")
        breakdown = run_segments(
            studies[0],
            by,
            min_n=min_n
            or (spec.segments.min_n if "min_n" in spec.segments.model_fields_set else None),
            confidence=confidence,
            allow_outside_data=allow_outside_data,
            period=period,
        )
        from .render_segments import render_segments

        _write(_rendered(breakdown, fmt, lang, render_segments), lang, fmt, output)
        return
    if n_periods < 2:
        raise click.UsageError(
            "give two or more study files (earliest first), a study with [[periods]], or --by"
        )
    if cities:
        from .cities import compare_cities
        from .periods import load_evaluation
        from .render_cities import render_cities

        loaded = [load_evaluation(p, allow_outside_data, allow_empty_opds)[0] for p in studies]
        names = list(labels) or spec.labels or None
        result = compare_cities(loaded, labels=names, confidence=confidence or spec.confidence)
        _write(_rendered(result, fmt, lang, render_cities), lang, fmt, output)
        return
    comparison = run_compare(
        studies,
        labels=labels,
        rename=rename,
        map_file=map_file,
        confidence=confidence,
        allow_outside_data=allow_outside_data,
        allow_empty_opds=allow_empty_opds,
    )
    _write(_rendered(comparison, fmt, lang, render_comparison), lang, fmt, output)


def _write(
    texts: Iterable[str | bytes], lang: tuple[Lang, ...], fmt: str, output: Path | None
) -> None:
    """Print each text, or write it to ``output`` (suffixed .id/.en for several languages)."""
    if output is None and fmt in BINARY_FORMATS:
        raise click.UsageError(
            f"--format {fmt} writes a file, not text for the terminal: "
            f"give --output FILE (e.g. -o comparison{FORMATS[fmt]})"
        )
    for text, lang_ in zip(texts, lang, strict=True):
        if output is None:
            assert isinstance(text, str)
            click.echo(json_safe(text) if fmt == "json" else clean_text(text), nl=False)
            continue
        tag = f".{lang_}" if len(lang) > 1 else ""
        target = output.with_name(f"{output.stem}{tag}{output.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        click.echo(one_line(f"wrote {target}"), err=True)
