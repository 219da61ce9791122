"""Helpers for the real-browser tests: headless Chromium, annotated example pages, screenshots.

``python -m tests.browser`` regenerates ``docs/annotated-example.png`` from ``examples/ptce-bretagne.html`` (and
``docs/mkdocs-site.png``, ``docs/site-glossary.png``).

Playwright is imported lazily, so this module imports (and the tests skip cleanly) when it is missing.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
MKDOCS_SCREENSHOT = ROOT / "docs" / "mkdocs-site.png"
SCREENSHOT = ROOT / "docs" / "annotated-example.png"
INDEX_SCREENSHOT = ROOT / "docs" / "site-glossary.png"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREEN = {"width": 1000, "height": 800}
BUBBLE_RGB = (0x1F, 0x29, 0x37)  # background of the definition bubble in ptce_gloss/assets/gloss.css

# The definition bubble is the term's ::after box. Its containing block is the term (position:relative),
# and getComputedStyle resolves left/width of an absolutely positioned box to used pixel values, so
# the bubble's border box is: term padding-box left + left + margin-left, then borders + paddings + width.
# Only exact for a term on one line (a split inline's containing block spans its fragments): `lines` says.
BUBBLE_BOX_JS = """(term) => {
  const px = (v) => parseFloat(v) || 0;
  const box = term.getBoundingClientRect();
  const own = getComputedStyle(term);
  const after = getComputedStyle(term, "::after");
  const left = box.left + px(own.borderLeftWidth) + px(after.left) + px(after.marginLeft);
  const top = box.top + px(own.borderTopWidth) + px(after.top) + px(after.marginTop);
  const border = after.boxSizing === "border-box";  // then width and height already hold paddings and borders
  const width = border ? px(after.width) : px(after.borderLeftWidth) + px(after.paddingLeft) + px(after.width)
              + px(after.paddingRight) + px(after.borderRightWidth);
  const height = border ? px(after.height) : px(after.borderTopWidth) + px(after.paddingTop) + px(after.height)
               + px(after.paddingBottom) + px(after.borderBottomWidth);
  return {display: after.display, content: after.content, left, right: left + width, top, bottom: top + height,
          width, height, lines: term.getClientRects().length, termLeft: box.left, termRight: box.right,
          termBottom: box.bottom, shift: term.style.getPropertyValue("--gloss-shift"),
          viewport: document.documentElement.clientWidth, text: term.textContent};
}"""

# Decode a PNG with the browser's own decoder and find the pixels of one colour (within `tolerance` per channel).
FIND_COLOUR_JS = """async ([url, rgb, tolerance]) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0, minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance
        && Math.abs(data[i + 2] - rgb[2]) <= tolerance) {
      const x = (i / 4) % canvas.width, y = Math.floor(i / 4 / canvas.width);
      count++; minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
  }
  return {width: canvas.width, height: canvas.height, count, minX, maxX, minY, maxY};
}"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and Playwright are both available."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (as root: apt-get install -y chromium; bash scripts/test.sh does it)"
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing (pip install -e '.[test]')"
    return None


def missing_axe() -> str | None:
    """Why axe-core cannot be injected, or None."""
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} is missing (npm install --prefix .tools axe-core@^4.10; bash scripts/test.sh does it)"
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch Debian's headless Chromium through Playwright (never a downloaded browser) and close it after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def annotate_example(tmp_path: Path, name: str | Path, *args: str) -> Path:
    """Run the installed ``gloss annotate`` on examples/NAME (or on the path NAME) and return the page it wrote.

    The output is written in tmp_path; its name derives from the input and the arguments, so one folder can hold
    several variants of the same input.
    """
    source = Path(name) if Path(name).is_absolute() else EXAMPLES / name
    if not source.is_file():
        raise FileNotFoundError(source)
    variant = "".join(ch if ch.isalnum() else "_" for ch in "-".join(args)) if args else "default"
    output = tmp_path / f"{source.stem}.{variant}.gloss.html"
    command = [sys.executable, "-m", "ptce_gloss", "annotate", str(source), *args, "-o", str(output)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    if result.returncode != 0 or not output.is_file():
        raise RuntimeError(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}")
    return output


def new_page(browser: Browser, width: int = SCREEN["width"], height: int = SCREEN["height"]) -> Page:
    """A page in a fresh context (no state shared between tests) with the given viewport."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def hover_term(page: Page, index: int) -> None:
    """Move the mouse over the index-th annotated term (scrolled to the middle of the viewport)."""
    term = page.locator(".gloss-term").nth(index)
    term.evaluate("t => t.scrollIntoView({block: 'center', inline: 'nearest'})")
    term.hover()


def take_screenshot(html_path: Path, png_path: Path, browser: Browser | None = None) -> Path:
    """Hover the third annotated term of html_path and save a 1000x800 screenshot of the viewport as png_path."""
    if browser is None:
        with chromium() as own:
            return take_screenshot(html_path, png_path, own)
    page = new_page(browser)
    try:
        page.goto(html_path.resolve().as_uri())
        if page.locator(".gloss-term").count() < 3:
            raise ValueError(f"{html_path} has fewer than three annotated terms")
        hover_term(page, 2)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        png_path.write_bytes(page.screenshot(type="png"))  # type given: png_path may end in .tmp
    finally:
        page.context.close()
    return png_path


def find_colour(browser: Browser, png: bytes, rgb: tuple[int, int, int] = BUBBLE_RGB, tolerance: int = 2) -> dict[str, Any]:
    """Decode png in the browser; return its size and the count and bounding box of the pixels of colour rgb."""
    page = new_page(browser, 100, 100)
    try:
        url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        found: dict[str, Any] = page.evaluate(FIND_COLOUR_JS, [url, list(rgb), tolerance])
        return found
    finally:
        page.context.close()


def build_mkdocs_example(folder: Path) -> Path:
    """Build examples/mkdocs-site (the gloss plugin on) in a copy under folder; return its home page."""
    import shutil
    import subprocess

    source = folder / "mkdocs-site"
    shutil.copytree(ROOT / "examples" / "mkdocs-site", source)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=source, check=True, env=env)
    return source / "site" / "index.html"


def build_index_example(folder: Path) -> Path:
    """Annotate the examples as a site, with its glossary page (``--index glossaire.html --link-to
    index``), into folder/site; return the glossary page."""
    import shutil

    source = folder / "examples"
    shutil.copytree(EXAMPLES, source, ignore=shutil.ignore_patterns("mkdocs-site", "*.yaml", "*.yml"))
    output = folder / "site"
    command = [sys.executable, "-m", "ptce_gloss", "annotate", str(source), "-o", str(output), "-q", "-j", "1"]
    command += ["--index", "glossaire.html", "--link-to", "index", "--structured-data"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}")
    return output / "glossaire.html"


def take_index_screenshot(index_path: Path, png_path: Path, browser: Browser | None = None, entry: str = "gloss-scic") -> Path:
    """Open the site's glossary page at one entry (highlighted as the target of a term's link) and save
    a 1000x800 screenshot of the viewport as png_path."""
    if browser is None:
        with chromium() as own:
            return take_index_screenshot(index_path, png_path, own, entry)
    page = new_page(browser)
    try:
        page.goto(index_path.resolve().as_uri() + "#" + entry)
        page.locator(f"#{entry}").evaluate("e => e.scrollIntoView({block: 'center'})")
        png_path.parent.mkdir(parents=True, exist_ok=True)
        png_path.write_bytes(page.screenshot(type="png"))
    finally:
        page.context.close()
    return png_path


def main() -> int:
    """Regenerate docs/annotated-example.png, docs/mkdocs-site.png and docs/site-glossary.png (each
    written beside as .tmp, then renamed)."""
    reason = missing_browser()
    if reason:
        print(f"cannot take the screenshot: {reason}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        pages = [
            (annotate_example(Path(folder), "ptce-bretagne.html"), SCREENSHOT),
            (build_mkdocs_example(Path(folder)), MKDOCS_SCREENSHOT),
        ]
        shots = [(page, target, take_screenshot) for page, target in pages]
        shots.append((build_index_example(Path(folder)), INDEX_SCREENSHOT, take_index_screenshot))
        for page, target, shoot in shots:
            partial = target.with_name(target.name + ".tmp")
            shoot(page, partial)
            os.replace(partial, target)
            print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
