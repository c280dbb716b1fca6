#!/usr/bin/env python3
"""cnbudget from Python: one PDF into polars frames, then a folder into the dataset.

    pip install target/wheels/cnbudget-*.whl      # built by: maturin build --release -m crates/python/Cargo.toml
    python3 scripts/example.py corpus/synth-0000.pdf corpus
"""

import sys
import tempfile

import polars as pl

import cnbudget

pdf = sys.argv[1] if len(sys.argv) > 1 else "corpus/synth-0000.pdf"
folder = sys.argv[2] if len(sys.argv) > 2 else "corpus"

try:
    doc = cnbudget.read_pdf(pdf)
except cnbudget.DocumentError as e:  # the file could not be read at all: e.file, e.page, e.status
    sys.exit(f"not read: {e}")

print(doc["documents"].select("path", "status", "department", "fiscal_year", "records", "verified_share"))
# Money is Decimal(38, 4) in yuan, exact: sums stay exact.
print(
    doc["line_items"]
    .filter((pl.col("item_level") == "class") & (pl.col("measure") == "total"))
    .group_by("table_kind")
    .agg(pl.col("amount_yuan").sum(), pl.len().alias("figures"), pl.col("verified").mean().alias("verified"))
    .sort("table_kind")
)

with tempfile.TemporaryDirectory() as out:
    manifest = cnbudget.extract([folder], f"{out}/dataset")  # the same dataset as `cnbudget extract`
    print(manifest["counts"]["by_status"], f'{manifest["counts"]["verified_share"]:.1%} of figures verified')
    items = pl.read_parquet(f"{out}/dataset/line_items/**/*.parquet", hive_partitioning=True)
    print(items.group_by("fiscal_year").agg(pl.len()).sort("fiscal_year"))
