"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright.

The tests fail (never skip) when Chromium or playwright is missing: CI installs both (.ci/run).
Screenshots go to test-artifacts/ and are listed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SAVED = pytest.StashKey[list[Path]]()


def chromium_path() -> Path:
    """$GOVLINT_CHROMIUM, else /usr/bin/chromium, else `chromium` on the PATH."""
    configured = os.environ.get("GOVLINT_CHROMIUM")
    if configured:
        return Path(configured)
    default = Path("/usr/bin/chromium")
    found = shutil.which("chromium")
    return default if default.exists() or found is None else Path(found)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not executable.exists():
        pytest.fail(f"Chromium not found at {executable}: the browser tests need it. Install the Debian "
                    "packages (apt-get install chromium chromium-driver), as .ci/run does, or set "
                    "GOVLINT_CHROMIUM to a Chromium binary.", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """An opened page and what it did while loading: console errors, requests, dialogs."""

    page: Page
    origin: str = ""
    """Where the page's own requests go: the served site (http://127.0.0.1:PORT/), or nothing
    for a local file, whose only own request is the file itself."""
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def dismiss(self, dialog: Dialog) -> None:
        """Record a dialog (alert, confirm…) the page opened, and close it."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def external_requests(self) -> list[str]:
        """Requests for anything but the page file itself (or the served site's own pages)."""
        own = self.page.url
        return [url for url in self.requests if url != own and not (self.origin and url.startswith(self.origin))]


GLYPHS_JS = """() => {
  const font = getComputedStyle(document.body).fontFamily;
  const draw = (text) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const context = canvas.getContext("2d");
    context.font = `48px ${font}`;
    context.fillText(text, 4, 52);
    return Array.from(context.getImageData(0, 0, 64, 64).data).join(",");
  };
  return draw("政") !== draw("府");
}"""
"""Whether two Chinese characters in the page's font draw differently: without a CJK font both
are the same empty box."""


def assert_chinese_glyphs(page: Page) -> None:
    """The page's Chinese text is drawn with real glyphs (CI must install a CJK font)."""
    assert page.evaluate(GLYPHS_JS), "Chinese characters are drawn as empty boxes: install fonts-noto-cjk"


def screenshot(visit: Visit, target: Path) -> Path:
    """The whole page as a PNG at `target`, named in the test's output."""
    visit.page.screenshot(path=str(target), full_page=True)
    print(f"screenshot: {target}")
    return target


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[[Path | str], Visit]]:
    """Open a local file (or a URL of a served site) in a fresh page, recording console errors,
    requests and dialogs."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[arg-type]

    def open_file(target: Path | str) -> Visit:
        page = context.new_page()
        seen = Visit(page, origin=target if isinstance(target, str) else "")
        page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.on("request", lambda request: seen.requests.append(request.url))
        page.on("dialog", seen.dismiss)
        # the pages have no script (their tests assert it), so once "load" has fired every
        # request they make has been made: waiting for half a second of network quiet adds nothing
        page.goto(target if isinstance(target, str) else target.resolve().as_uri(), wait_until="load")
        return seen

    yield open_file
    context.close()


@pytest.fixture
def artifact(request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """A path in test-artifacts/ for a file the test saves; listed at the end of the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    saved = request.config.stash.setdefault(SAVED, [])

    def path(name: str) -> Path:
        target = ARTIFACTS / name
        saved.append(target)
        return target

    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    saved = [p for p in config.stash.get(SAVED, []) if p.exists()]
    if saved:
        terminalreporter.write_sep("-", "browser test artifacts")
        for path in saved:
            terminalreporter.write_line(str(path))
