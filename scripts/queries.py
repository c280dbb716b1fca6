"""The same first questions in Python polars: python3 scripts/queries.py dataset/"""
import sys

import polars as pl


def by_class(items: pl.DataFrame) -> pl.DataFrame:
    """Spending by function class per department and year (the function-coded tables)."""
    return (
        items.filter((pl.col("table_kind") == "general_expenditure") & (pl.col("item_level") == "class") & (pl.col("measure") == "total"))
        .select("department", "fiscal_year", "phase", "item_code", "item_name", "amount_yuan")
        .sort("department", "fiscal_year", "phase", "item_code")
    )


def three_public(items: pl.DataFrame) -> pl.DataFrame:
    """"三公" expenses across departments and years (the budgets' figures)."""
    return (
        items.filter((pl.col("table_kind") == "three_public") & (pl.col("basis") == "budget") & pl.col("measure").is_in(["total", "three_public", "overseas_travel", "vehicles", "reception"]))
        .pivot(on="measure", index=["department", "fiscal_year", "phase"], values="amount_yuan", aggregate_function="first")
        .sort("department", "fiscal_year", "phase")
    )


def execution_rates(items: pl.DataFrame) -> pl.DataFrame:
    """Each function class's final figure (决算) against its budget (预算): joined on
    department, year, table family, code and measure."""
    classes = items.filter((pl.col("table_kind") == "general_expenditure") & (pl.col("item_level") == "class") & (pl.col("measure") == "total"))
    keys = ["department", "fiscal_year", "table_kind", "item_code", "measure"]
    budget = classes.filter((pl.col("phase") == "budget") & (pl.col("basis") == "budget")).select(*keys, "item_name", pl.col("amount_yuan").alias("budget_yuan"))
    final = classes.filter((pl.col("phase") == "final_account") & (pl.col("basis") == "final")).select(*keys, pl.col("amount_yuan").alias("final_yuan"))
    return (
        budget.join(final, on=keys)
        .with_columns((pl.col("final_yuan").cast(pl.Float64) / pl.col("budget_yuan").cast(pl.Float64)).alias("execution_rate"))
        .sort("department", "fiscal_year", "item_code")
    )


def three_public_planned_spent(items: pl.DataFrame) -> pl.DataFrame:
    """"三公" planned against spent, as a final account prints both (预算数, 决算数)."""
    return (
        items.filter((pl.col("table_kind") == "three_public") & (pl.col("phase") == "final_account"))
        .pivot(on="basis", index=["department", "fiscal_year", "measure"], values="amount_yuan", aggregate_function="first")
        .rename({"budget": "planned_yuan", "final": "spent_yuan"}, strict=False)
        .sort("department", "fiscal_year", "measure")
    )


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else "dataset"
    items = pl.read_parquet(f"{root}/line_items/**/*.parquet", hive_partitioning=True)
    for query in (by_class, three_public, execution_rates, three_public_planned_spent):
        print(query(items))
