"""Render shuijie's papers the way a reader sees them: LibreOffice (.docx/.xlsx -> PDF),
poppler (PDF -> page sizes, text, fonts, PNG) and headless Chromium (HTML -> DOM, PNG).

Used by the tests (``tests/rendering.py`` re-exports this module) and by
``scripts/render_papers.py``.  Standard library only.

The font is pinned: every subprocess started here gets ``FONTCONFIG_FILE`` pointing at
a fontconfig file written by :func:`fontconfig_file`.  It includes the system
configuration, maps every CJK family name the papers ask for (方正小标宋简体, 仿宋_GB2312,
黑体, SimSun, Microsoft YaHei, ...) to ONE installed CJK font, and hides every other CJK
font file, so that glyph fallback lands on the same font too.  Which font: the first of
``PREFERRED_CJK_FONTS`` that is installed (override with ``SHUIJIE_RENDER_FONT``).  So a
verdict (pages, line breaks) does not depend on which CJK fonts a machine happens to have.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "CJK_ALIASES",
    "PREFERRED_CJK_FONTS",
    "RenderError",
    "chromium_available",
    "chromium_dump_dom",
    "chromium_path",
    "chromium_screenshot",
    "fontconfig_file",
    "is_pinned_font",
    "missing_clients",
    "pdf_fonts",
    "pdf_page_count",
    "pdf_pages",
    "pdf_text",
    "pinned_font",
    "poppler_available",
    "render_env",
    "soffice_available",
    "soffice_path",
    "to_pdf",
    "to_pdfs",
    "to_png",
]

PT_PER_MM = 72 / 25.4

# Family names the papers (and the templates a clerk may edit in Word/WPS) ask for.
CJK_ALIASES = (
    "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05",
    "仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong", "华文仿宋", "STFangsong",
    "楷体_GB2312", "楷体", "KaiTi_GB2312", "KaiTi", "华文楷体", "STKaiti",
    "黑体", "SimHei", "华文黑体", "STHeiti",
    "宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong", "华文中宋", "STZhongsong",
    "微软雅黑", "Microsoft YaHei", "等线", "DengXian",
    "ＭＳ 明朝", "MS Mincho", "ＭＳ ゴシック", "MS Gothic",
)

# In order of preference; CI installs fonts-wqy-microhei (.ci/install-clients).
PREFERRED_CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC",
                       "Source Han Sans SC", "Droid Sans Fallback")

SOFFICE_TIMEOUT = 240  # seconds per conversion call (the first call also creates the profile)
POPPLER_TIMEOUT = 60


class RenderError(RuntimeError):
    """A rendering client is missing or failed; the message says which and why."""


# ---------------------------------------------------------------- clients

def _which(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def soffice_path() -> str | None:
    return os.environ.get("SHUIJIE_SOFFICE") or _which("soffice", "libreoffice")


def soffice_available() -> bool:
    return soffice_path() is not None


def poppler_available() -> bool:
    return all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm"))


def chromium_path() -> str | None:
    return os.environ.get("SHUIJIE_CHROMIUM") or _which(
        "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium_available() -> bool:
    return chromium_path() is not None


def _fc_list(*args: str) -> list[str]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", *args], capture_output=True, text=True, timeout=60)
    return out.stdout.splitlines()


@cache
def _cjk_fonts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(file, family names) of every installed font that covers Chinese."""
    fonts = []
    for line in _fc_list(":lang=zh", "file", "family"):
        path, _, fams = line.partition(": ")
        fonts.append((path.strip(), tuple(f.strip() for f in fams.split(",") if f.strip())))
    return tuple(sorted(fonts))


@cache
def pinned_font() -> tuple[str, str] | None:
    """(family, file) of the one CJK font the renderings use, or None if none is installed.
    The file is the first that has the family (its Bold may live in another file, kept too)."""
    fonts = sorted(_cjk_fonts(), key=lambda f: ("bold" in f[0].lower(), f[0]))
    wanted = os.environ.get("SHUIJIE_RENDER_FONT")
    for family in ((wanted,) if wanted else PREFERRED_CJK_FONTS):
        for path, fams in fonts:
            if family in fams:
                return family, path
    if wanted:
        raise RenderError(f"SHUIJIE_RENDER_FONT={wanted!r} is not an installed CJK font "
                          f"(fc-list :lang=zh family)")
    if fonts:  # deterministic fallback: the first family of the first file, sorted
        path, fams = fonts[0]
        return fams[0], path
    return None


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def is_pinned_font(pdf_font_name: str) -> bool:
    """Whether a font name pdffonts lists is the pinned CJK font.  By family
    ("WenQuanYiMicroHei") or by its file ("NotoSansCJKjp-Regular" from NotoSansCJK-Regular.ttc:
    LibreOffice names a collection's fonts after its first face)."""
    pinned = pinned_font()
    if pinned is None:
        return False
    family, path = pinned
    name = _norm(pdf_font_name)
    return _norm(family) in name or name.startswith(_norm(Path(path).stem.split("-")[0]))


def missing_clients(*, soffice: bool = False, chromium: bool = False) -> list[str]:
    """What is missing for the requested kind of rendering, as words for a skip/fail reason."""
    missing = []
    if soffice and not soffice_available():
        missing.append("LibreOffice (soffice)")
    if soffice and not poppler_available():
        missing.append("poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm)")
    if chromium and not chromium_available():
        missing.append("Chromium (chromium)")
    if not shutil.which("fc-list"):
        missing.append("fontconfig (fc-list)")
    elif pinned_font() is None:
        missing.append("a CJK font (fonts-wqy-microhei or fonts-noto-cjk)")
    return missing


# ---------------------------------------------------------------- the pinned font

_state_lock = threading.Lock()
_private_dir: Path | None = None


def _private() -> Path:
    """This process's scratch folder (fontconfig file, LibreOffice profile), removed at exit."""
    global _private_dir
    with _state_lock:
        if _private_dir is None:
            _private_dir = Path(tempfile.mkdtemp(prefix=f"shuijie-render-{os.getpid()}-"))
            atexit.register(shutil.rmtree, _private_dir, True)
        return _private_dir


@cache
def fontconfig_file() -> Path:
    """Write (once per process) the fontconfig file that pins every CJK name to one font."""
    pinned = pinned_font()
    if pinned is None:
        raise RenderError("no CJK font is installed (install fonts-wqy-microhei or fonts-noto-cjk)")
    family, _ = pinned
    keep = {path for path, fams in _cjk_fonts() if family in fams}  # e.g. its Regular and Bold files
    system = "/etc/fonts/fonts.conf"
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
             "<fontconfig>"]
    if os.path.exists(system):
        lines.append(f"  <include ignore_missing=\"yes\">{system}</include>")
    # Hide every other CJK font file, so that glyph fallback cannot pick another one.
    others = sorted({path for path, _ in _cjk_fonts() if path not in keep})
    if others:
        lines.append("  <selectfont><rejectfont>")
        lines += [f"    <glob>{escape(p)}</glob>" for p in others]
        lines.append("  </rejectfont></selectfont>")
    for alias in CJK_ALIASES:
        lines += ["  <match target=\"pattern\">",
                  f"    <test qual=\"any\" name=\"family\"><string>{escape(alias)}</string></test>",
                  f"    <edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>{escape(family)}</string></edit>",
                  "  </match>"]
    lines.append("</fontconfig>")
    path = _private() / "fonts.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def render_env() -> dict[str, str]:
    """Environment for a rendering subprocess: the pinned fontconfig, a private HOME-free setup."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fontconfig_file())
    env.pop("FONTCONFIG_PATH", None)
    env.setdefault("LANG", "C.UTF-8")
    return env


def _run(cmd: list[str], *, timeout: float, what: str, env: dict | None = None,
         text: bool = True) -> subprocess.CompletedProcess:
    """Run a client in its own process group; on timeout kill the whole group."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
    except FileNotFoundError as e:
        raise RenderError(f"{what}: {cmd[0]} is not installed") from e
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # Windows
                proc.kill()
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.communicate()
        raise RenderError(f"{what}: timed out after {timeout:g} s: {' '.join(cmd)}") from None
    if text:
        out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise RenderError(f"{what}: exit {proc.returncode}: {' '.join(cmd)}\n"
                          f"stdout: {str(out).strip()[-2000:]}\nstderr: {str(err).strip()[-2000:]}")
    return result


# ---------------------------------------------------------------- LibreOffice

_soffice_lock = threading.Lock()


def to_pdf(path: Path | str, outdir: Path | str, *, timeout: float = SOFFICE_TIMEOUT) -> Path:
    """Convert one .docx/.xlsx (anything LibreOffice opens) to ``outdir/<stem>.pdf``.

    Uses a LibreOffice profile private to this process (created on the first call, reused
    after, removed at exit), so parallel processes and consecutive runs never share one."""
    return to_pdfs([path], outdir, timeout=timeout)[0]


def to_pdfs(paths: list[Path | str], outdir: Path | str, *, timeout: float = SOFFICE_TIMEOUT) -> list[Path]:
    """Convert several files in ONE soffice run (saves its ~1 s start-up per file); the
    PDFs, in the order given.  The stems must differ (they name the PDFs)."""
    soffice = soffice_path()
    if soffice is None:
        raise RenderError("LibreOffice (soffice) is not installed")
    srcs = [Path(p).resolve() for p in paths]
    if not srcs:
        return []
    for src in srcs:
        if not src.is_file():
            raise RenderError(f"to_pdf: no such file: {src}")
    stems = [s.stem for s in srcs]
    if len(set(stems)) != len(stems):
        raise RenderError(f"to_pdfs: two files would write the same PDF: {sorted(stems)}")
    out = Path(outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pdfs = [out / (s.stem + ".pdf") for s in srcs]
    for pdf in pdfs:
        if pdf.exists():
            pdf.unlink()
    profile = _private() / "lo-profile"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
           *map(str, srcs)]
    with _soffice_lock:  # one profile is used by one soffice at a time
        result = _run(cmd, timeout=timeout + 20 * (len(srcs) - 1),
                      what=f"soffice converting {', '.join(s.name for s in srcs[:3])}"
                           f"{' …' if len(srcs) > 3 else ''}", env=render_env())
    for src, pdf in zip(srcs, pdfs):
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise RenderError(f"soffice wrote no PDF for {src.name} (expected {pdf})\n"
                              f"stdout: {result.stdout.strip()[-2000:]}\nstderr: {result.stderr.strip()[-2000:]}")
    return pdfs


# ---------------------------------------------------------------- poppler

def pdf_page_count(pdf: Path | str) -> int:
    info = _run(["pdfinfo", str(pdf)], timeout=POPPLER_TIMEOUT, what="pdfinfo").stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if m is None:
        raise RenderError(f"pdfinfo printed no page count for {pdf}:\n{info}")
    return int(m.group(1))


def pdf_pages(pdf: Path | str) -> list[tuple[float, float]]:
    """(width_mm, height_mm) of every page, rounded to 0.1 mm (A4 portrait: (210.0, 297.0))."""
    n = pdf_page_count(pdf)
    info = _run(["pdfinfo", "-f", "1", "-l", str(n), str(pdf)], timeout=POPPLER_TIMEOUT,
                what="pdfinfo").stdout
    sizes = [(round(float(w) / PT_PER_MM, 1), round(float(h) / PT_PER_MM, 1))
             for w, h in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", info, re.MULTILINE)]
    if len(sizes) != n:
        raise RenderError(f"pdfinfo listed {len(sizes)} page sizes for {n} pages in {pdf}")
    return sizes


def pdf_text(pdf: Path | str, page: int | None = None) -> str:
    """The text (pdftotext -layout) of one page (1-based) or of the whole file; pages are
    separated by form feeds."""
    rng = ["-f", str(page), "-l", str(page)] if page is not None else []
    return _run(["pdftotext", "-layout", "-enc", "UTF-8", *rng, str(pdf), "-"],
                timeout=POPPLER_TIMEOUT, what="pdftotext").stdout


def pdf_fonts(pdf: Path | str) -> list[dict[str, str]]:
    """The fonts pdffonts lists: dicts with name (subset prefix removed), type, emb."""
    out = _run(["pdffonts", str(pdf)], timeout=POPPLER_TIMEOUT, what="pdffonts").stdout.splitlines()
    fonts = []
    for line in out[2:]:  # header and dashes
        parts = line.split()
        if not parts:
            continue
        name = re.sub(r"^[A-Z]{6}\+", "", parts[0])
        # columns after the name: type (1-2 words) encoding emb sub uni object ID
        fonts.append({"name": name, "raw": line, "emb": parts[-5] if len(parts) >= 6 else ""})
    return fonts


def to_png(pdf: Path | str, page: int = 1, dpi: int = 70, out: Path | str | None = None) -> Path:
    """Render one page (1-based) to PNG; by default ``<pdf stem>-p<page>.png`` beside the PDF."""
    pdf = Path(pdf)
    target = Path(out) if out is not None else pdf.with_name(f"{pdf.stem}-p{page}.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = target.with_suffix("")
    _run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-png", "-singlefile",
          str(pdf), str(prefix)], timeout=POPPLER_TIMEOUT, what="pdftoppm", env=render_env())
    made = prefix.with_suffix(".png")
    if made != target:
        made.replace(target)
    if not target.is_file():
        raise RenderError(f"pdftoppm wrote no PNG for page {page} of {pdf}")
    return target


# ---------------------------------------------------------------- Chromium

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                  "--no-default-browser-check")


def _url(url_or_path: Path | str) -> str:
    s = str(url_or_path)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", s) or s.startswith(("data:", "about:")):
        return s
    return Path(s).resolve().as_uri()


def _chromium(args: list[str], *, timeout: float, what: str) -> subprocess.CompletedProcess:
    exe = chromium_path()
    if exe is None:
        raise RenderError("Chromium (chromium) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=_private()))
    try:
        return _run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                    timeout=timeout, what=what, env=render_env())
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def chromium_dump_dom(url_or_path: Path | str, budget_ms: int = 20000) -> str:
    """The serialized DOM after scripts ran (``--dump-dom``), virtual time ``budget_ms``."""
    return _chromium([f"--virtual-time-budget={budget_ms}", "--dump-dom", _url(url_or_path)],
                     timeout=budget_ms / 1000 + 90, what="chromium --dump-dom").stdout


def chromium_screenshot(path: Path | str, out_png: Path | str, width: int = 1280, height: int = 900,
                        budget_ms: int = 5000) -> Path:
    """A PNG of the page at ``width`` x ``height`` CSS pixels."""
    out = Path(out_png).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    _chromium([f"--window-size={width},{height}", f"--virtual-time-budget={budget_ms}",
               f"--screenshot={out}", _url(path)],
              timeout=budget_ms / 1000 + 90, what="chromium --screenshot")
    if not out.is_file():
        raise RenderError(f"chromium wrote no screenshot for {path}")
    return out
