"""The Python package against the command line: `read_pdf` gives, for every file of corpus/,
exactly the rows `cnbudget extract` writes for it, and a file that cannot be read raises a
typed exception naming it."""

from __future__ import annotations

from pathlib import Path

import cnbudget
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import CORPUS, read_table

PDFS = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() == ".pdf")
# Relations between the documents of one run, not facts of one document.
PER_RUN = ["same_budget_as"]


def test_corpus_is_there() -> None:
    assert len(PDFS) >= 5, f"corpus/ has {len(PDFS)} PDFs"


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_read_pdf_gives_the_rows_extract_writes(pdf: Path, corpus_dataset: Path) -> None:
    tables = cnbudget.read_pdf(pdf, name=pdf.relative_to(CORPUS).as_posix())
    assert list(tables) == list(cnbudget.TABLES)
    doc_id = tables["documents"]["doc_id"][0]
    assert tables["documents"].height == 1
    for name, mine in tables.items():
        theirs = read_table(corpus_dataset, name)
        theirs = theirs.filter(pl.col("doc_id") == doc_id) if theirs.width else theirs
        if name == "documents":
            mine, theirs = mine.drop(PER_RUN), theirs.drop(PER_RUN)
        # Same columns, same types (Decimal(38, 4) money included), same rows in the same order.
        assert mine.schema == theirs.schema, name
        assert_frame_equal(mine, theirs, check_exact=True)
        assert_frame_equal(
            mine.sort(mine.columns, nulls_last=True) if name != "documents" else mine,
            theirs.sort(theirs.columns, nulls_last=True) if name != "documents" else theirs,
            check_exact=True,
        )
    money = tables["line_items"].schema["amount_yuan"]
    assert money == pl.Decimal(38, 4)
    assert tables["line_items"].height > 0 or tables["documents"]["status"][0] != "ok"


def test_read_pdf_bytes_equals_path() -> None:
    pdf = PDFS[0]
    by_path = cnbudget.read_pdf(pdf)
    by_bytes = cnbudget.read_pdf(pdf.read_bytes(), name=pdf.name)
    for name in cnbudget.TABLES:
        assert_frame_equal(by_path[name], by_bytes[name], check_exact=True)


def test_arrow_tables_keep_decimals() -> None:
    import pyarrow as pa

    tables = cnbudget.read_pdf_arrow(PDFS[0])
    assert tables["line_items"].schema.field("amount_yuan").type == pa.decimal128(38, 4)


def test_broken_pdf_raises_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage")
    with pytest.raises(cnbudget.DocumentError) as e:
        cnbudget.read_pdf(broken)
    assert isinstance(e.value, cnbudget.CnbudgetError)
    assert e.value.file == "broken.pdf"
    assert e.value.status == "failed"
    assert "broken.pdf" in str(e.value)

    with pytest.raises(cnbudget.DocumentError, match="附件.pdf"):
        cnbudget.read_pdf(b"not a pdf at all", name="附件.pdf")

    kept = cnbudget.read_pdf(broken, errors="keep")
    assert kept["documents"]["status"].to_list() == ["failed"]
    assert kept["line_items"].height == 0


def test_missing_file_raises_naming_it(tmp_path: Path) -> None:
    with pytest.raises(cnbudget.CnbudgetError, match="missing.pdf"):
        cnbudget.read_pdf(tmp_path / "missing.pdf")


def test_extract_writes_the_clis_dataset(tmp_path: Path, corpus_dataset: Path) -> None:
    out = tmp_path / "dataset"
    manifest = cnbudget.extract([CORPUS], out, jobs=2)
    assert manifest["counts"]["documents"] == len(PDFS)
    mine = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    theirs = sorted(p.relative_to(corpus_dataset) for p in corpus_dataset.rglob("*.parquet"))
    assert mine == theirs
    # The dataset is deterministic: byte for byte the files the command wrote.
    for rel in mine:
        assert (out / rel).read_bytes() == (corpus_dataset / rel).read_bytes(), rel


def test_extract_error_is_typed(tmp_path: Path) -> None:
    with pytest.raises(cnbudget.CnbudgetError, match="nowhere"):
        cnbudget.extract([tmp_path / "nowhere"], tmp_path / "out")


def test_gil_is_released_while_reading() -> None:
    """A Python thread keeps running while another reads. Were the GIL held in Rust, the main
    thread would get it only between reads, a turn or two each; released, it runs every
    millisecond or so of the reads."""
    import threading
    import time

    pdf = max(PDFS, key=lambda p: p.stat().st_size)
    reads = 20
    done = threading.Event()

    def work() -> None:
        for _ in range(reads):
            cnbudget.read_pdf_parquet(pdf)
        done.set()

    worker = threading.Thread(target=work)
    turns = 0
    worker.start()
    while not done.is_set():
        time.sleep(0.001)
        turns += 1
    worker.join()
    assert turns > 3 * reads, f"the main thread ran {turns} times during {reads} reads"
