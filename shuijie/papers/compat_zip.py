"""zipfile internals shuijie relies on (the standard library's), fenced in one module.

:func:`shuijie.papers.repro.normalize_zip` streams a large ``word/document.xml`` into an
archive with ``ZipFile.open(info, "w")``; to get the bytes ``writestr(info, data,
compresslevel=6)`` gives, the entry's compression level must be set on the ZipInfo first.
Python 3.13 names that attribute ``compress_level``; 3.11 and 3.12 only have the private
``_compresslevel`` (which ``writestr`` itself sets).  :func:`self_check` (run by
``tests/test_compat.py``) fails naming the Python version if the two ways part.
"""

from __future__ import annotations

import io
import sys
import zipfile

VERSION = sys.version.split()[0]


def set_compress_level(info: zipfile.ZipInfo, level: int) -> None:
    """What ``writestr(..., compresslevel=level)`` does to ``info`` before writing it."""
    if hasattr(info, "compress_level"):  # Python 3.13+
        info.compress_level = level
    else:
        info._compresslevel = level  # type: ignore[attr-defined]  # private before Python 3.13


def self_check() -> None:
    """A streamed entry and a ``writestr`` entry must be the same bytes."""
    data = ("<w:p>检查通知书</w:p>" * 2000).encode("utf-8")

    def archive(streamed: bool) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo("word/document.xml", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if streamed:
                set_compress_level(info, 1)
                with z.open(info, mode="w") as fh:
                    for k in range(0, len(data), 4096):
                        fh.write(data[k:k + 4096])
            else:
                z.writestr(info, data, compresslevel=1)
        return out.getvalue()

    streamed, whole = archive(True), archive(False)
    if streamed != whole:
        raise RuntimeError(f"Python {VERSION}: zipfile no longer takes the compression level of a "
                           f"streamed entry from ZipInfo (shuijie/papers/compat_zip.py); the papers "
                           f"of large rounds would change bytes")
