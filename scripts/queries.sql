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

-- Execution rate by function class: each department-year's final account (决算) against its
-- budget (预算), joined on department, year, table family, code and measure; the final figure
-- of a final account is basis 'final', the budget's own figure basis 'budget'.
WITH items AS (
  SELECT * FROM read_parquet('dataset/line_items/*/*.parquet', hive_partitioning = true)
  WHERE table_kind = 'general_expenditure' AND item_level = 'class' AND measure = 'total'
)
SELECT b.department, b.fiscal_year, b.item_code, b.item_name,
       b.amount_yuan AS budget_yuan, f.amount_yuan AS final_yuan,
       f.amount_yuan / b.amount_yuan AS execution_rate
FROM items b
JOIN items f USING (department, fiscal_year, table_kind, item_code, measure)
WHERE b.phase = 'budget' AND b.basis = 'budget'
  AND f.phase = 'final_account' AND f.basis = 'final'
ORDER BY b.department, b.fiscal_year, b.item_code;

-- "三公" planned against spent, as a final account prints both (预算数 and 决算数 per part).
SELECT department, fiscal_year, measure,
       max(amount_yuan) FILTER (WHERE basis = 'budget') AS planned_yuan,
       max(amount_yuan) FILTER (WHERE basis = 'final') AS spent_yuan
FROM read_parquet('dataset/line_items/*/*.parquet', hive_partitioning = true)
WHERE table_kind = 'three_public' AND phase = 'final_account'
GROUP BY department, fiscal_year, measure
ORDER BY department, fiscal_year, measure;
