"""A static website of the catalogue that works offline: `polcat site OUT`.

Open ``OUT/index.html`` from disk or copy the folder to any static host: there is no
server, no CDN and no network request. The catalogue travels as ``assets/data.js``
(browsers refuse fetch() of local files); live filters and search run in the page::

    from polcat.catalogue import load_catalogue
    from polcat.site import build_site

    cat = load_catalogue()
    build_site(cat, cat.entries(), Path("site-out"))
"""

from __future__ import annotations

from polcat.site.build import build_site

__all__ = ["build_site"]
