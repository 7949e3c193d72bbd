"""Take the README's screenshots of the site (docs/site*.png) with headless Chromium.

    python tools/site_screenshot.py                      # retake every screenshot of the README
    python tools/site_screenshot.py --out x.png --page 'matrix.html?lang=zh' [--width 390 --phone]

Builds the site of the shipped catalogue into a temporary folder, opens each page at its
size and saves a PNG (one CSS pixel a pixel, so the files stay small). Needs what the
browser tests need: Debian's chromium and chromium-driver, and selenium (pip install
'.[test]'); Chinese needs a CJK font (Debian's fonts-noto-cjk), or it shows as boxes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser helper the tests use

from browser import chromium, missing  # noqa: E402


@dataclass(frozen=True)
class Shot:
    out: Path
    page: str  # a page of the site, with ?lang= and #filters as a reader's address has them
    width: int = 1280
    height: int = 860
    phone: bool = False


# The README's screenshots: the index filtered to one theme, and the matrix in Chinese.
SHOTS = (
    Shot(REPO / "docs" / "site.png", "index.html#theme=collective-economy"),
    Shot(REPO / "docs" / "site-matrix.png", "matrix.html?lang=zh", height=760),
)


def take(site: Path, shot: Shot) -> None:
    path, _, fragment = shot.page.partition("#")
    page, _, query = path.partition("?")
    address = (site / page).as_uri() + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    with chromium(shot.width, shot.height, phone=shot.phone) as driver:
        driver.get(address)
        shot.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(shot.out))
    print(f"{shot.out}: {shot.out.stat().st_size // 1024} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="one screenshot to this file (with --page) instead of the README's")
    parser.add_argument("--page", default="index.html", help="e.g. 'index.html?lang=zh#theme=collective-economy'")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=860)
    parser.add_argument("--phone", action="store_true", help="emulate a phone of --width CSS pixels")
    args = parser.parse_args()
    reason = missing()
    if reason:
        raise SystemExit(f"site_screenshot: {reason}")

    from polcat.catalogue import load_catalogue
    from polcat.site import build_site

    shots = [Shot(args.out, args.page, args.width, args.height, args.phone)] if args.out else list(SHOTS)
    cat = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(cat, cat.entries(), site)
        for shot in shots:
            take(site, shot)


if __name__ == "__main__":
    main()
