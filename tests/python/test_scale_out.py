"""scripts/scale-out/slurm.sh, run here the way a Slurm array runs it (SLURM_ARRAY_TASK_ID and
SLURM_ARRAY_TASK_COUNT set per task), then `cnbudget merge`: the same dataset as one run.
Slurm itself is not here; this tests what the script does with what Slurm gives it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from polars.testing import assert_frame_equal

from conftest import CORPUS, ROOT, cli, read_table


def test_slurm_array_then_merge(tmp_path: Path, corpus_dataset: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(cli()).parent}:{os.environ['PATH']}", "SLURM_ARRAY_TASK_COUNT": "3"}
    for k in (1, 2, 3):
        subprocess.run(
            ["bash", str(ROOT / "scripts/scale-out/slurm.sh"), str(CORPUS), str(tmp_path)],
            env={**env, "SLURM_ARRAY_TASK_ID": str(k)},
            check=True,
        )
    shards = sorted(tmp_path.glob("shard-*"))
    assert len(shards) == 3
    subprocess.run([cli(), "merge", *map(str, shards), "--out", str(tmp_path / "dataset")], check=True)
    mine = sorted(p.relative_to(tmp_path / "dataset") for p in (tmp_path / "dataset").rglob("*.parquet"))
    theirs = sorted(p.relative_to(corpus_dataset) for p in corpus_dataset.rglob("*.parquet"))
    assert mine == theirs
    for table in ["documents", "line_items", "performance_targets", "facts", "checks", "diagnostics"]:
        assert_frame_equal(read_table(tmp_path / "dataset", table), read_table(corpus_dataset, table), check_exact=True)
