"""Print a workbook the way a registrar would, and check the printed pages.

LibreOffice (headless) opens the file and prints it to PDF; poppler's ``pdftotext -bbox``
gives every word drawn and its box. A page passes when it is A4, turned the way the document
asks, and no word is drawn over another one (the symptom of a row too short for its text,
or of a cell whose text runs under its neighbour).

Importable as ``print_check`` from any test folder (tests/ is on sys.path, see support.py).
Without soffice the checks fail when $CI is set (CI installs LibreOffice) and skip, naming
what is missing, on a developer machine without it.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

A4 = (595.0, 842.0)  # points, portrait
SIZE_SLACK = 1.5  # LibreOffice writes 595.30 x 841.89
OVERLAP_SLACK = 1.0  # points two word boxes may share on both axes (glyph ascent/descent)
TIMEOUT = 180  # seconds; a cold LibreOffice start on a busy 2-core machine takes ~10 s

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def overlaps(self, other: Word, slack: float = OVERLAP_SLACK) -> bool:
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return dx > slack and dy > slack


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text(self) -> str:
        """The page's words top to bottom, each column's left-aligned cells read downwards.

        A wrapped cell's lines share their left edge, so ordering by (left edge, top) puts
        them one after the other: a wrapped address reads as one string again.
        """
        return "".join(w.text for w in sorted(self.words, key=lambda w: (round(w.x0), w.y0)))


def need_soffice() -> None:
    """Fail in CI, skip with the reason elsewhere, when LibreOffice or poppler is missing."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return
    why = f"{' and '.join(missing)} not installed (Debian: libreoffice-calc-nogui, poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


@cache
def _profile() -> str:
    """One LibreOffice user profile per test process, so parallel runs never share a lock."""
    path = tempfile.mkdtemp(prefix="kongcuo-soffice-")
    atexit.register(shutil.rmtree, path, True)
    return Path(path).as_uri()


def convert(path: Path, to: str = "pdf", outdir: Path | None = None) -> Path:
    """``path`` converted by LibreOffice (``pdf``, ``xls``, …); returns the new file."""
    need_soffice()
    outdir = outdir or path.parent
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={_profile()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), str(path)],
        capture_output=True, text=True, timeout=TIMEOUT,
    )
    out = outdir / f"{path.stem}.{to.split(':')[0]}"
    assert done.returncode == 0 and out.exists(), f"soffice failed: {done.stdout}{done.stderr}"
    return out


def pages(pdf: Path) -> list[Page]:
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=True)
    out = []
    for n, (w, h, body) in enumerate(_PAGE.findall(done.stdout), 1):
        words = tuple(Word(float(a), float(b), float(c), float(d), html.unescape(t))
                      for a, b, c, d, t in _WORD.findall(body))
        out.append(Page(n, float(w), float(h), words))
    return out


def collisions(page: Page) -> list[tuple[Word, Word]]:
    """Pairs of words on ``page`` drawn over each other (sweep over x, so big pages stay fast)."""
    found = []
    active: list[Word] = []
    for word in sorted(page.words, key=lambda w: w.x0):
        active = [a for a in active if a.x1 - OVERLAP_SLACK > word.x0]
        found.extend((a, word) for a in active if a.overlaps(word))
        active.append(word)
    return found


def printed(workbook: Path, landscape: bool) -> list[Page]:
    """Print ``workbook`` to PDF and assert every page is A4, turned as asked, words apart."""
    result = pages(convert(workbook, "pdf"))
    assert result, f"{workbook.name} printed no page"
    for page in result:
        size = sorted((page.width, page.height))
        assert abs(size[0] - A4[0]) < SIZE_SLACK and abs(size[1] - A4[1]) < SIZE_SLACK, (
            f"page {page.number} is {page.width:.0f}x{page.height:.0f} pt, not A4")
        assert page.landscape == landscape, f"page {page.number} is not {'landscape' if landscape else 'portrait'}"
        clash = collisions(page)
        assert not clash, f"page {page.number}: words drawn over each other: " + "; ".join(
            f"{a.text!r}@({a.x0:.0f},{a.y0:.0f}) / {b.text!r}@({b.x0:.0f},{b.y0:.0f})" for a, b in clash[:5])
    return result
