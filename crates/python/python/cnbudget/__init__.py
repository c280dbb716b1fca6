"""cnbudget: Chinese government budget PDFs to one clean, comparable dataset.

``read_pdf`` reads one PDF into its tables, with exactly the columns and types of the
dataset ``cnbudget extract`` writes (``docs/schema.md``: money is ``Decimal(38, 4)`` in yuan,
exact); ``extract`` writes that dataset for a batch. The work runs in Rust with the GIL
released, so threads reading different documents run in parallel.

    >>> import cnbudget
    >>> doc = cnbudget.read_pdf("corpus/synth-0000.pdf")
    >>> doc["line_items"].select("item_name", "amount_yuan").head()
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, Literal, Optional, Sequence, Union

from . import _native
from ._native import CnbudgetError

if TYPE_CHECKING:
    import polars
    import pyarrow

__all__ = [
    "TABLES",
    "CnbudgetError",
    "DocumentError",
    "EncryptedError",
    "read_pdf",
    "read_pdf_arrow",
    "read_pdf_parquet",
    "extract",
]

#: The dataset's tables, in the order ``read_pdf`` returns them.
TABLES = (
    "documents",
    "line_items",
    "performance_targets",
    "facts",
    "checks",
    "diagnostics",
)

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


class DocumentError(CnbudgetError):
    """A document that could not be read at all (status ``failed`` or ``encrypted``).

    ``file`` is the name it was read under, ``page`` the page where the problem is (when the
    error names one), ``status`` the status the dataset gives it, and the message is the
    dataset's ``error`` column, which names the file.
    """

    def __init__(self, message: str, file: str, status: str, page: Optional[int] = None):
        super().__init__(message)
        self.file = file
        self.status = status
        self.page = page


class EncryptedError(DocumentError):
    """A document that needs a user password."""


# The PDF layer's messages say "FILE: page N: …" where a page is at fault.
_PAGE = re.compile(r": page (\d+)\b")


def read_pdf_parquet(
    source: Source,
    name: Optional[str] = None,
    *,
    paths: Optional[Sequence[str]] = None,
    errors: Literal["raise", "keep"] = "raise",
) -> Dict[str, bytes]:
    """As ``read_pdf``, each table as the bytes of a Parquet file, written by the dataset's
    own writer: what ``read_pdf`` and ``read_pdf_arrow`` decode, and what a job hands on
    between processes. ``paths`` lists every path the same bytes were found under (the
    ``paths`` column; default ``[name]``), as a batch job that grouped copies of one file
    gives it.
    """
    if errors not in ("raise", "keep"):
        raise ValueError(f"errors must be 'raise' or 'keep', not {errors!r}")
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = name if name is not None else "<bytes>"
        status, error, tables = _native.read_bytes(bytes(source), name, list(paths or [name]))
    else:
        path = Path(os.fspath(source))
        name = name if name is not None else path.name
        status, error, tables = _native.read_path(str(path), name, list(paths or [name]))
    if errors == "raise" and status in ("failed", "encrypted"):
        page = _PAGE.search(error or "")
        cls = EncryptedError if status == "encrypted" else DocumentError
        raise cls(error or f"{name}: {status}", name, status, int(page.group(1)) if page else None)
    return dict(tables)


def read_pdf(
    source: Source,
    name: Optional[str] = None,
    *,
    errors: Literal["raise", "keep"] = "raise",
) -> Dict[str, "polars.DataFrame"]:
    """Reads one budget PDF into the dataset's tables, as polars DataFrames.

    ``source`` is a path or the file's bytes; ``name`` is what the document is called in
    errors and in the ``path`` column (default: the file's name; ``"<bytes>"`` for bytes),
    and gives the fiscal year when nothing printed does. Returns a dict in the order of
    ``TABLES``: ``documents`` (one row), ``line_items`` (with ``fiscal_year``, which the
    dataset keeps in its partition folders), ``performance_targets``, ``facts``, ``checks``
    and ``diagnostics``, each with the dataset's columns and types (``docs/schema.md``).

    A document that cannot be read at all raises ``DocumentError`` (``EncryptedError`` when it
    needs a password) naming the file; with ``errors="keep"`` it is returned like the dataset
    keeps it, as a ``documents`` row whose ``status`` and ``error`` say why. A document read
    in part (``partial``), without a text layer or without a budget is returned, its status
    in ``documents``.
    """
    import polars as pl

    return {
        t: pl.read_parquet(io.BytesIO(b))
        for t, b in read_pdf_parquet(source, name, errors=errors).items()
    }


def read_pdf_arrow(
    source: Source,
    name: Optional[str] = None,
    *,
    paths: Optional[Sequence[str]] = None,
    errors: Literal["raise", "keep"] = "raise",
) -> Dict[str, "pyarrow.Table"]:
    """As ``read_pdf``, as pyarrow Tables (for Arrow engines: Ray, DuckDB …); ``paths`` as
    in ``read_pdf_parquet``."""
    import pyarrow.parquet as pq

    return {
        t: pq.read_table(io.BytesIO(b))
        for t, b in read_pdf_parquet(source, name, paths=paths, errors=errors).items()
    }


def extract(
    inputs: Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]],
    out: Union[str, "os.PathLike[str]"],
    *,
    jobs: Optional[int] = None,
    resume: bool = False,
    shard: Optional[str] = None,
    aliases: Optional[Union[str, "os.PathLike[str]"]] = None,
    quiet: bool = True,
) -> dict:
    """Writes the dataset of a batch to ``out``: ``cnbudget extract INPUTS --out OUT``.

    ``inputs`` are PDF files, folders (searched recursively) or ``@list.txt`` files, as on
    the command line, which runs the same code; ``jobs``, ``resume``, ``shard`` (``"K/N"``)
    and ``aliases`` are its flags. Returns the run's ``manifest.json`` (its ``counts`` say how
    many documents were not ``ok``; ``documents.parquet`` says which and why). Raises
    ``CnbudgetError`` when nothing could be done (an input that is neither file nor folder,
    an output that cannot be written).
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    argv = [os.fspath(i) for i in inputs] + ["--out", os.fspath(out)]
    if jobs is not None:
        argv += ["--jobs", str(jobs)]
    if resume:
        argv.append("--resume")
    if shard is not None:
        argv += ["--shard", shard]
    if aliases is not None:
        argv += ["--aliases", os.fspath(aliases)]
    if quiet:
        argv.append("--quiet")
    _native.extract(argv)
    with open(Path(os.fspath(out)) / "manifest.json", encoding="utf-8") as f:
        return json.load(f)
