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


class _FormReader(HTMLParser):
    """The fields of the first form posting to `action`, as a browser would send them unchanged
    (inputs with their values, textareas with their text, selects with their selected option;
    submit buttons left out)."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and attrs.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in attrs):
            self.fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.done, f"no form posting to {action}"
    # Browsers drop the one newline that may follow <textarea>.
    return {k: v.removeprefix("\r\n").removeprefix("\n") if k in ("body", "sender_address") else v
            for k, v in reader.fields.items()}  # fmt: skip
