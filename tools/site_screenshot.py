"""Take the README's screenshot of the site (docs/site.png) with headless Chromium.

    python tools/site_screenshot.py [--out docs/site.png] [--page 'index.html#theme=collective-economy']

Builds the site of the shipped catalogue into a temporary folder, opens a page at a
desktop width and saves a PNG. Needs what the browser tests need: Debian's chromium and
chromium-driver, and selenium (pip install '.[test]').
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser helper the tests use

from browser import chromium, missing  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "site.png")
    parser.add_argument("--page", default="index.html#theme=collective-economy")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()
    reason = missing()
    if reason:
        raise SystemExit(f"site_screenshot: {reason}")

    from polcat.catalogue import load_catalogue
    from polcat.site import build_site

    cat = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(cat, cat.entries(), site)
        page, _, fragment = args.page.partition("#")
        with chromium(args.width, args.height) as driver:
            driver.get((site / page).as_uri() + (f"#{fragment}" if fragment else ""))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
    print(f"{args.out}: {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
