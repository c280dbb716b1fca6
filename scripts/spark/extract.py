#!/usr/bin/env python3
"""cnbudget on Spark: an archive of budget PDFs to the dataset of `cnbudget extract`.

    spark-submit scripts/spark/extract.py ARCHIVE... --out DATASET
    python scripts/spark/extract.py corpus --out /tmp/dataset --master 'local[2]'

Each ARCHIVE is a folder (searched recursively for *.pdf) or a PDF, on any file system Spark
reads (file:, hdfs:, s3a: …). Every executor needs the `cnbudget` wheel installed (or shipped
with `--archives` in a packed environment). The job reads the PDFs with Spark's `binaryFile`
source, groups copies of the same bytes into one document (as `extract` does), reads each
document with `cnbudget` inside `mapInArrow` (a row is a whole PDF, so batches are small),
and writes the same layout as `extract`:

    DATASET/documents.parquet, facts.parquet, checks.parquet, diagnostics.parquet
    DATASET/line_items/fiscal_year=YYYY|unknown/part-*.parquet
    DATASET/performance_targets/part-*.parquet
    DATASET/manifest.json

Rows and values are those of `extract` (tests/python/test_spark.py compares them), with two
differences Spark imposes: unsigned integers are written as the next wider signed type
(Spark has none), and part files carry Spark's names. No `cnbudget merge` is needed.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Iterator, List

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

import cnbudget

# Tables written as one file, like `extract`; the others as folders of part files.
SINGLE_FILE = ("documents", "facts", "checks", "diagnostics")


def spark_type(t: pa.DataType) -> pa.DataType:
    """The Arrow type Spark can hold for a column of the dataset: Spark has no unsigned
    integers (each goes to the next wider signed type, which holds every value) and one string
    type."""
    if pa.types.is_uint8(t) or pa.types.is_uint16(t):
        return pa.int32()
    if pa.types.is_uint32(t) or pa.types.is_uint64(t):
        return pa.int64()
    if pa.types.is_large_string(t) or pa.types.is_string_view(t) or pa.types.is_string(t):
        return pa.string()
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        return pa.list_(spark_type(t.value_type))
    return t


def schemas() -> dict:
    """Each table's Arrow schema as Spark will hold it, with `_ord` (a row's position in its
    document) so the rows can be written in the order `extract` writes them. Every document
    gives the same columns, so an unreadable one shows them."""
    empty = cnbudget.read_pdf_arrow(b"", name="schema", errors="keep")
    out = {}
    for table, t in empty.items():
        fields = [pa.field(f.name, spark_type(f.type)) for f in t.schema]
        out[table] = pa.schema(fields + [pa.field("_ord", pa.int64(), nullable=False)])
    return out


def read_documents(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(doc_id, paths, content) → (table, data): each table of each document as the Parquet
    bytes cnbudget writes. A document that cannot be read is a row of `documents` saying why,
    as in `extract`; the batch goes on."""
    for batch in batches:
        tables, data = [], []
        for paths, content in zip(batch.column("paths").to_pylist(), batch.column("content").to_pylist()):
            got = cnbudget.read_pdf_parquet(content, paths[0], paths=paths, errors="keep")
            for table, b in got.items():
                tables.append(table)
                data.append(b)
        yield pa.RecordBatch.from_arrays([pa.array(tables, pa.string()), pa.array(data, pa.binary())], ["table", "data"])


def decode(schema: pa.Schema):
    """Parquet bytes of one table → Arrow batches in Spark's types, each row numbered."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for b in batch.column("data").to_pylist():
                t = pq.read_table(io.BytesIO(b))
                if t.num_rows == 0:
                    continue
                t = t.append_column("_ord", pa.array(range(t.num_rows), pa.int64()))
                yield from t.cast(schema).to_batches()

    return run


def relative_paths(spark: SparkSession, root: str, files: DataFrame) -> DataFrame:
    """`rel`: each file's path below `root` (a file given itself: its name), as `extract`
    names it. binaryFile gives paths qualified by Hadoop (`file:/…`, not percent-encoded), so
    `root` is qualified the same way."""
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(root)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    prefix = fs.makeQualified(hpath).toString().rstrip("/")
    name = F.element_at(F.split("path", "/"), -1)
    below = F.expr(f"substring(path, {len(prefix) + 2})")
    rel = F.when(F.col("path") == F.lit(prefix), name).otherwise(below)
    return files.withColumn("rel", rel)


def same_budget_as(documents: DataFrame) -> DataFrame:
    """`same_budget_as` over the whole run, as `extract` makes it: for a document read (ok or
    partial) with a department and a year, the first other doc_id of the same department
    and year, in doc_id order."""
    read = F.col("status").isin("ok", "partial") & F.col("department").isNotNull() & F.col("fiscal_year").isNotNull()
    group = Window.partitionBy("department", "fiscal_year", "_read")
    ids = F.array_sort(F.collect_set("doc_id").over(group.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)))
    twin = F.get(F.filter(ids, lambda x: x != F.col("doc_id")), 0)
    return (
        documents.withColumn("_read", read)
        .withColumn("same_budget_as", F.when(F.col("_read"), twin))
        .drop("_read")
    )


def hadoop_fs(spark: SparkSession, path: str):
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return jvm, p, p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def write_single(spark: SparkSession, df: DataFrame, out: str, table: str) -> None:
    """One Parquet file, `OUT/TABLE.parquet`, as `extract` writes it: Spark writes a folder
    with one part file, which is renamed into place (through Hadoop, so on any file system)."""
    tmp = f"{out}/_{table}.tmp"
    df.write.mode("overwrite").parquet(tmp)
    jvm, p, fs = hadoop_fs(spark, tmp)
    parts = [s.getPath() for s in fs.listStatus(p) if s.getPath().getName().endswith(".parquet")]
    assert len(parts) == 1, f"{tmp}: {len(parts)} part files"
    fs.rename(parts[0], jvm.org.apache.hadoop.fs.Path(f"{out}/{table}.parquet"))
    fs.delete(p, True)


def run(spark: SparkSession, inputs: List[str], out: str) -> dict:
    files = None
    for root in inputs:
        found = (
            spark.read.format("binaryFile")
            .option("pathGlobFilter", "*.[pP][dD][fF]")
            .option("recursiveFileLookup", "true")
            .load(root)
            .select("path", "content")
        )
        found = relative_paths(spark, root, found)
        files = found if files is None else files.unionByName(found)
    # The same bytes under several paths are one document, named by its first path.
    docs = (
        files.withColumn("doc_id", F.sha2("content", 256))
        .groupBy("doc_id")
        .agg(F.sort_array(F.collect_list("rel")).alias("paths"), F.first("content").alias("content"))
    )
    read = docs.select("paths", "content").mapInArrow(read_documents, "table string, data binary")
    # Every document is read once; each table is then cut from what it gave.
    read = read.persist()
    schema = schemas()
    counts = {}
    for table in cnbudget.TABLES:
        spark_schema = from_arrow_schema(schema[table])
        rows = read.filter(F.col("table") == table).select("data").mapInArrow(decode(schema[table]), spark_schema)
        if table == "documents":
            rows = same_budget_as(rows)
        if table in SINGLE_FILE:
            ordered = rows.repartition(1).sortWithinPartitions("doc_id", "_ord").drop("_ord")
            write_single(spark, ordered, out, table)
        elif table == "line_items":
            year = F.coalesce(F.col("fiscal_year").cast("string"), F.lit("unknown"))
            ordered = (
                rows.withColumn("fiscal_year", year)
                .repartition("fiscal_year")
                .sortWithinPartitions("doc_id", "_ord")
                .drop("_ord")
            )
            ordered.write.mode("overwrite").partitionBy("fiscal_year").parquet(f"{out}/{table}")
        else:
            ordered = rows.repartition(1).sortWithinPartitions("doc_id", "_ord").drop("_ord")
            ordered.write.mode("overwrite").parquet(f"{out}/{table}")
        if table == "documents":
            by_status = {r["status"]: r["n"] for r in ordered.groupBy("status").agg(F.count("*").alias("n")).collect()}
            totals = ordered.agg(F.count("*").alias("documents"), F.sum("records").alias("records"), F.sum("figures_verified").alias("figures_verified")).first()
            counts = {**totals.asDict(), "by_status": by_status}
    read.unpersist()
    manifest = {"tool": "cnbudget (Spark)", "schema_version": 1, "inputs": inputs, "counts": counts}
    _, p, fs = hadoop_fs(spark, f"{out}/manifest.json")
    stream = fs.create(p, True)
    stream.write(bytearray(json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"))
    stream.close()
    return manifest


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="folders or PDF files (any Hadoop file system)")
    ap.add_argument("--out", required=True, help="the dataset folder")
    ap.add_argument("--master", help="e.g. local[2]; default: what spark-submit gives")
    ap.add_argument("--batch", type=int, default=4, help="PDFs per Arrow batch (a row is a whole PDF)")
    args = ap.parse_args(argv)
    builder = (
        SparkSession.builder.appName("cnbudget-extract")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
        .config("spark.sql.parquet.compression.codec", "snappy")  # as the command line writes
        # No _SUCCESS markers in the dataset's folders: readers glob *.parquet.
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    )
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        manifest = run(spark, args.inputs, args.out.rstrip("/"))
    finally:
        spark.stop()
    print(json.dumps(manifest["counts"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
