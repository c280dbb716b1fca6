"""Shared fixtures: the command line's dataset of the same files, to compare against."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
NATIONAL = ROOT.parent / "shared" / "corpus" / "national"


def cli() -> str:
    """The `cnbudget` binary `cargo test --release` built (CNBUDGET_BIN overrides)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return os.environ.get("CNBUDGET_BIN", str(target / "release" / "cnbudget"))


def cli_extract(inputs: list[Path], out: Path) -> None:
    """`cnbudget extract` as CI runs it; exit 2 (some documents not ok) is a finished run."""
    run = subprocess.run([cli(), "extract", *map(str, inputs), "--out", str(out), "--quiet"])
    assert run.returncode in (0, 2), f"cnbudget extract exited {run.returncode}"


def read_table(dataset: Path, table: str) -> pl.DataFrame:
    """One table of a dataset folder, in the row order written; `line_items` with its
    `fiscal_year` (Int32) from the partition folder, as `cnbudget_dataset::read_table` does."""
    single = dataset / f"{table}.parquet"
    if single.is_file():
        return pl.read_parquet(single)
    frames = []
    for f in sorted((dataset / table).rglob("*.parquet")):
        df = pl.read_parquet(f)
        if table == "line_items":
            year = f.parent.name.removeprefix("fiscal_year=")
            value = None if year == "unknown" else int(year)
            df = df.with_columns(pl.lit(value, dtype=pl.Int32).alias("fiscal_year"))
        frames.append(df)
    return pl.concat(frames) if frames else pl.DataFrame()


@pytest.fixture(scope="session")
def corpus_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "dataset"
    cli_extract([CORPUS], out)
    return out
