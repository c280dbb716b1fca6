-- A researcher's first questions, in DuckDB, over a dataset written by `cnbudget extract`.
-- duckdb -c ".read scripts/queries.sql"   (run from the folder that holds dataset/)

-- Spending by function class per department and year (from the function-coded tables).
SELECT department, fiscal_year, item_code, item_name, amount_yuan
FROM read_parquet('dataset/line_items/*/*.parquet', hive_partitioning = true)
WHERE table_kind = 'general_expenditure' AND item_level = 'class' AND measure = 'total'
ORDER BY department, fiscal_year, item_code;

-- "三公" expenses across departments and years.
SELECT department, fiscal_year, measure, amount_yuan
FROM read_parquet('dataset/line_items/*/*.parquet', hive_partitioning = true)
WHERE table_kind = 'three_public' AND measure IN ('three_public', 'overseas_travel', 'vehicles', 'reception')
ORDER BY department, fiscal_year, measure;
