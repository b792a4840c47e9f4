"""Safe Chinese file and sheet names for the papers of a round.

Objects are named by whoever typed the registry; a name may hold ``/``, ``..``,
control characters, a Windows reserved name or 200 characters.  A file named
after an object must still land inside the round folder and open on Windows,
macOS and Linux, so every writer passes names through :func:`safe_filename`
(and sheet titles through :func:`safe_sheet_title`).
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 60
MAX_BYTES = 180  # UTF-8; leaves room for "001-" and ".docx" under the 255-byte limit

_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in list("123456789") + ["¹", "²", "³"]
}
FALLBACK = "未命名"


def _trim(text: str) -> str:
    return text.strip(" .\u3000\t")


def _cap(text: str, max_chars: int, max_bytes: int) -> str:
    text = text[:max_chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def safe_filename(text: str, *, max_chars: int = MAX_CHARS, max_bytes: int = MAX_BYTES) -> str:
    """A file-name part that keeps Chinese and is safe everywhere.

    Replaces ``/ \\ : * ? " < > |`` with ``_``, drops control characters,
    collapses ``..``, strips leading/trailing dots and spaces, prefixes Windows
    reserved device names (``CON``, ``nul.txt``, ``COM1`` …) with ``_`` and caps
    the length (characters and UTF-8 bytes).  Never returns an empty string,
    ``.`` or ``..``.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = _CONTROL.sub("", text)
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub(" ", text)
    text = _DOTS.sub(".", text)
    text = _trim(text)
    text = _trim(_cap(text, max_chars, max_bytes))
    if not text:
        return FALLBACK
    stem = text.split(".", 1)[0].strip().upper()
    if stem in _RESERVED:
        text = _trim(_cap("_" + text, max_chars, max_bytes))
    return text or FALLBACK


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def safe_sheet_title(text: str, used: set[str] | None = None) -> str:
    """An Excel sheet title: ≤ 31 characters (UTF-16 units), no ``[]:*?/\\``,
    no leading/trailing apostrophe, not ``History``, unique (case-insensitive)
    among ``used`` (which is updated; it holds the lower-cased titles)."""
    text = unicodedata.normalize("NFC", str(text))
    text = _CONTROL.sub("", _SHEET_FORBIDDEN.sub("_", text)).strip().strip("'").strip()
    if not text or text.lower() == "history":
        text = "表" if not text else text + "_"
    base = text
    n = 1
    while True:
        cand = base
        suffix = f"({n})" if n > 1 else ""
        while _utf16_len(cand + suffix) > 31:
            cand = cand[:-1]
        cand = cand.rstrip("'").rstrip() + suffix
        if used is None or cand.lower() not in used:
            break
        n += 1
    if used is not None:
        used.add(cand.lower())
    return cand


def numbered(seq: int, name: str, ext: str) -> str:
    """``001-<safe name>.<ext>``: numbered in processing order, so names never collide."""
    return f"{seq:03d}-{safe_filename(name)}.{ext}"
