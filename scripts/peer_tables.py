#!/usr/bin/env python3
"""Peers' table extraction over the same files, for scripts/bench-text --tables.

usage: peer_tables.py TOOL FILE...   (TOOL: pdfplumber | camelot | camelot-vector)
Prints: '<tables found> <seconds>' for one pass over every file, in this one process.
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")
tool, files = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
found = 0
if tool == "pdfplumber":
    import pdfplumber

    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                found += len(page.extract_tables())
                page.close()
else:
    import logging

    import camelot

    logging.disable(logging.WARNING)
    engine = {"engine": "vector"} if tool == "camelot-vector" else {}
    for f in files:
        found += len(camelot.read_pdf(f, pages="all", flavor="lattice", **engine))
print(found, f"{time.perf_counter() - start:.4f}")
