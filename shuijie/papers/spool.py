"""Files made and written beside the main thread: 20,000 .docx papers at provincial scale.

The .docx papers of a round are rendered one by one in the main thread (Jinja, holding
the GIL); what follows for each file — deflating its document.xml, packing the zip,
creating and writing the file — is handed to a thread here: zlib and file I/O release
the GIL, so that work overlaps the next render.  The bytes of every file are those made
in the main thread; only the moment each file is written differs.  At most ``backlog``
files wait, so memory stays a few of them, and the first error is raised in the caller.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

THREADS = 2
BACKLOG = 64

Put = Callable[[Path, Callable[[], bytes]], None]


def _write(path: Path, make: Callable[[], bytes]) -> None:
    path.write_bytes(make())


@contextmanager
def spooled(threads: int = THREADS, backlog: int = BACKLOG) -> Iterator[Put]:
    """``put(path, make)``: write ``make()`` to ``path`` in a thread.  On leaving, every file
    is written (or the first error raised, the files not yet started dropped)."""
    pending: deque[Future[None]] = deque()
    pool = ThreadPoolExecutor(threads, thread_name_prefix="shuijie-papers")

    def put(path: Path, make: Callable[[], bytes]) -> None:
        pending.append(pool.submit(_write, path, make))
        while len(pending) > backlog:
            pending.popleft().result()

    try:
        yield put
        while pending:
            pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
