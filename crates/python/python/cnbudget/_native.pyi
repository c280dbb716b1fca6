"""The Rust side of cnbudget; use the functions of ``cnbudget`` itself."""

from typing import List, Optional, Tuple

class CnbudgetError(Exception):
    """A document or a batch could not be read or written; the message names the file."""

_Tables = Tuple[str, Optional[str], List[Tuple[str, bytes]]]

def read_bytes(data: bytes, name: str, paths: List[str]) -> _Tables: ...
def read_path(path: str, name: str, paths: List[str]) -> _Tables: ...
def extract(argv: List[str]) -> int: ...
