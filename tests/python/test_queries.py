"""The researcher's 决算 questions (`scripts/queries.py`, `scripts/queries.sql`) on a generated
budget and final account of one department and year: the execution rates and the 三公
planned against spent, checked by hand and against the generator's truth."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from conftest import ROOT, cli, cli_extract

spec = importlib.util.spec_from_file_location("queries", ROOT / "scripts" / "queries.py")
queries = importlib.util.module_from_spec(spec)
spec.loader.exec_module(queries)


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame]:
    root = tmp_path_factory.mktemp("panel")
    subprocess.run([cli(), "synth", "--count", "1", "--seed", "7", "--family", "final", "--out", str(root / "in")], check=True, capture_output=True)
    cli_extract([root / "in"], root / "dataset")
    items = pl.read_parquet(str(root / "dataset" / "line_items" / "**" / "*.parquet"), hive_partitioning=True)
    return root / "in", items


def truth_classes(truth: Path) -> dict[str, Decimal]:
    tables = json.loads(truth.read_text())["tables"]
    table = next(t for t in tables if t["kind"] == "general_expenditure")
    return {f["code"]: Decimal(f["amount_yuan"]) for f in table["figures"] if f.get("code") and len(f["code"]) == 3 and f["measure"] == "total"}


def test_execution_rate_by_function_class(panel: tuple[Path, pl.DataFrame]) -> None:
    folder, items = panel
    rates = queries.execution_rates(items)
    # By hand from the two generated documents (seed 7): 201 一般公共服务支出 budgeted
    # 9,128.50 万元, spent 8,215.65 万元 = 90 %; 208 and 210 spent as budgeted.
    got = {r["item_code"]: r for r in rates.iter_rows(named=True)}
    assert Decimal(got["201"]["budget_yuan"]) == Decimal("91285000")
    assert Decimal(got["201"]["final_yuan"]) == Decimal("82156500")
    assert got["201"]["execution_rate"] == pytest.approx(0.90)
    assert got["208"]["execution_rate"] == pytest.approx(1.0)
    # Every class against the generator's truth.
    budget = truth_classes(folder / "final-0000-budget.truth.json")
    final = truth_classes(folder / "final-0000.truth.json")
    assert set(got) == set(budget) == set(final)
    for code, row in got.items():
        assert Decimal(row["budget_yuan"]) == budget[code]
        assert Decimal(row["final_yuan"]) == final[code]


def test_three_public_planned_against_spent(panel: tuple[Path, pl.DataFrame]) -> None:
    folder, items = panel
    table = queries.three_public_planned_spent(items)
    tables = json.loads((folder / "final-0000.truth.json").read_text())["tables"]
    truth = next(t for t in tables if t["kind"] == "three_public")["figures"]
    expected = {(f["measure"], f["basis"]): Decimal(f["amount_yuan"]) for f in truth}
    got = {r["measure"]: r for r in table.iter_rows(named=True)}
    assert set(got) == {m for m, _ in expected}
    for measure, row in got.items():
        assert Decimal(row["planned_yuan"]) == expected[(measure, "budget")]
        assert Decimal(row["spent_yuan"]) == expected[(measure, "final")]
    # 合计 = 出国 + 车辆 + 接待 on both bases (a part printed blank is none).
    for column in ("planned_yuan", "spent_yuan"):
        parts = [got[m][column] for m in ("overseas_travel", "vehicles", "reception") if m in got]
        assert parts and got["total"][column] == sum(parts)
