"""The rendering harness for tests: ``from rendering import to_pdf, pdf_pages, ...``.

The code lives in ``scripts/render_lib.py`` (``scripts/render_papers.py`` uses it too);
this module puts ``scripts/`` on the import path and re-exports it.  The ``soffice`` and
``chromium`` fixtures are in ``conftest.py``: they skip where the client is missing, and
fail instead when ``CI=true`` (CI never skips rendering)."""

from __future__ import annotations

import sys
from pathlib import Path

_SCRIPTS = str(Path(__file__).resolve().parent.parent / "scripts")
if _SCRIPTS not in sys.path:
    sys.path.insert(0, _SCRIPTS)

from render_lib import *
from render_lib import __all__  # noqa: F401
