"""Reading pages as a browser would: which other files a page makes the browser fetch."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# (tag, attribute) pairs whose URL the browser fetches on its own while loading the page.
FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("object", "data"),
    ("embed", "src"),
}
# <link rel=…> values that make the browser fetch href.
FETCHING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.css_urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in FETCHED and value:
                self.urls.append(value)
        if tag == "link" and FETCHING_LINKS & set(values.get("rel", "").lower().split()):
            self.urls.append(values.get("href", ""))
        self.css_urls.extend(CSS_URL.findall(values.get("style", "")))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css_urls.extend(CSS_URL.findall(data))


def fetched_urls(html: str, *, inline_css: bool = False) -> list[str]:
    """Every URL the page's markup makes a browser fetch: scripts, style sheets, icons, images,
    frames; with `inline_css`, also every url(…) in its inline styles, which a browser fetches
    only when a rule applies. data: URLs are included, to be judged by the caller."""
    collector = _Collector()
    collector.feed(html)
    return collector.urls + (collector.css_urls if inline_css else [])


def off_origin(urls: list[str]) -> list[str]:
    """The URLs that would leave the page's own origin (absolute or scheme-relative)."""
    return [url for url in urls if re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I)]


def csrf_token(page: str) -> str:
    """The CSRF token of the (first) form on a page, to post it as a browser would."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
