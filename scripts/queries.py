"""The same first questions in Python polars: python3 scripts/queries.py dataset/"""
import sys

import polars as pl

root = sys.argv[1] if len(sys.argv) > 1 else "dataset"
items = pl.read_parquet(f"{root}/line_items/**/*.parquet", hive_partitioning=True)
by_class = (
    items.filter((pl.col("table_kind") == "general_expenditure") & (pl.col("item_level") == "class") & (pl.col("measure") == "total"))
    .select("department", "fiscal_year", "item_code", "item_name", "amount_yuan")
    .sort("department", "fiscal_year", "item_code")
)
print(by_class)
three_public = (
    items.filter((pl.col("table_kind") == "three_public") & pl.col("measure").is_in(["three_public", "overseas_travel", "vehicles", "reception"]))
    .pivot(on="measure", index=["department", "fiscal_year"], values="amount_yuan", aggregate_function="first")
    .sort("department", "fiscal_year")
)
print(three_public)
