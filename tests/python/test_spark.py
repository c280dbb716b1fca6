"""The Spark job (scripts/spark/extract.py) on local[2] gives the rows `cnbudget extract` gives
on the same files: corpus/, plus ../shared/corpus/national where that folder is present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import CORPUS, NATIONAL, ROOT, cli_extract, read_table

pytest.importorskip("pyspark")

TABLES = ["documents", "line_items", "performance_targets", "facts", "checks", "diagnostics"]
# Spark has no unsigned integers: the job writes each as the next wider signed type.
WIDER = {pl.UInt8: pl.Int32, pl.UInt16: pl.Int32, pl.UInt32: pl.Int64, pl.UInt64: pl.Int64}


def widened(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col(c).cast(WIDER[t]) for c, t in df.schema.items() if t in WIDER
    )


def sortable(df: pl.DataFrame) -> list[str]:
    return [c for c, t in df.schema.items() if not isinstance(t, pl.List)]


def say(config: pytest.Config, line: str) -> None:
    """A line on the terminal even while pytest captures output (CI's log should show it)."""
    with config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        print(line)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> dict:
    inputs = [CORPUS]
    if NATIONAL.is_dir():
        inputs.append(NATIONAL)
    else:
        say(pytestconfig, f"SKIPPED: {NATIONAL} is absent; the Spark job is compared on corpus/ alone")
    tmp = tmp_path_factory.mktemp("spark")
    started = time.monotonic()
    cli_extract(inputs, tmp / "cli")
    cli_s = time.monotonic() - started
    started = time.monotonic()
    job = [sys.executable, str(ROOT / "scripts" / "spark" / "extract.py"), *map(str, inputs),
           "--out", str(tmp / "spark"), "--master", "local[2]"]
    subprocess.run(job, check=True)
    spark_s = time.monotonic() - started
    timing = {"files": [str(i) for i in inputs], "cli_s": round(cli_s, 1), "spark_s": round(spark_s, 1)}
    say(pytestconfig, f"TIMING: {json.dumps(timing)}")
    if os.environ.get("CNBUDGET_TIMING"):
        Path(os.environ["CNBUDGET_TIMING"]).write_text(json.dumps(timing) + "\n")
    return {"cli": tmp / "cli", "spark": tmp / "spark"}


def test_same_layout(runs: dict) -> None:
    def layout(d: Path) -> set:
        return {p.parent.relative_to(d).as_posix() if p.parent != d else p.name
                for p in d.rglob("*.parquet")}
    assert layout(runs["spark"]) == layout(runs["cli"])
    assert (runs["spark"] / "manifest.json").is_file()


@pytest.mark.parametrize("table", TABLES)
def test_same_rows(runs: dict, table: str) -> None:
    theirs = widened(read_table(runs["cli"], table))
    mine = read_table(runs["spark"], table)
    if table == "line_items":
        # Spark keeps the partition column out of the files too: read it back the same way.
        assert "fiscal_year" not in pl.read_parquet(next((runs["spark"] / table).rglob("*.parquet"))).columns
    assert mine.schema == theirs.schema, table
    assert mine.height == theirs.height, table
    # Single files are written in the order `extract` writes them; part files of a
    # partitioned table in Spark's, so those are compared sorted.
    if table in ("line_items", "performance_targets"):
        mine, theirs = mine.sort(sortable(mine), nulls_last=True), theirs.sort(sortable(theirs), nulls_last=True)
    assert_frame_equal(mine, theirs, check_exact=True)
