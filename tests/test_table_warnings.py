"""The terminal table names OPDs in its warnings, as the documents do, never by their ids."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from publiceval._core.cli import cli

SERANG = Path(__file__).resolve().parents[1] / "examples" / "serang" / "study.toml"


def test_rank_warnings_in_the_table_name_the_opds() -> None:
    for lang, words in (("id", "berada di peringkat pertama"), ("en", "is ranked first")):
        res = CliRunner().invoke(cli, ["evaluate", str(SERANG), "--lang", lang])
        assert res.exit_code == 0, res.output
        warnings = res.stdout.split("\n\n")[-1]
        first = next(line for line in warnings.splitlines() if words in line)
        assert "OPD BPBD " in first and "Dispusip" in first
        assert "'bpbd'" not in warnings and "'dispusip'" not in warnings
