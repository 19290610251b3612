"""The forms of a rendered page, read the way a browser would submit them.

Tests that must try every form of the product (wrong-kind fields, dates out of range) find the
forms on the pages themselves, so a new form is covered without being listed anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    enctype: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> value as a browser sends it
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type (text, date, file…)

    def names_of_kind(self, kind: str) -> list[str]:
        return [name for name, found in self.kinds.items() if found == kind]


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._by_id: dict[str, PageForm] = {}
        self._outside: list[tuple[str, str, dict[str, str]]] = []  # inputs with form="id"
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = PageForm(
                action=attributes.get("action") or self.page_url,
                method=(attributes.get("method") or "get").lower(),
                enctype=attributes.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
            if attributes.get("id"):
                self._by_id[attributes["id"]] = self._form
            return
        if tag == "input" and attributes.get("form"):
            self._outside.append((attributes["form"], tag, attributes))
            return
        self._field(self._form, tag, attributes)

    def _field(self, form: PageForm | None, tag: str, attributes: dict[str, str]) -> None:
        name = attributes.get("name")
        if form is None or not name:
            if tag == "option" and self._form is not None and self._select:
                self._option(attributes)
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in attributes or name not in form.fields:
                    form.fields[name] = attributes.get("value", "on")
            elif kind != "file":
                form.fields[name] = attributes.get("value", "")
        elif tag == "select":
            self._select = name
            form.kinds.setdefault(name, "select")
        elif tag == "textarea":
            self._textarea = name
            form.kinds.setdefault(name, "textarea")
            form.fields[name] = ""

    def _option(self, attributes: dict[str, str]) -> None:
        form, name = self._form, self._select
        value = attributes.get("value", "")
        if "selected" in attributes or name not in form.fields or not form.fields[name]:
            form.fields[name] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def close(self) -> None:
        super().close()
        for form_id, tag, attributes in self._outside:
            if form_id in self._by_id:
                self._field(self._by_id[form_id], tag, attributes)


def forms_on(html: str, page_url: str) -> list[PageForm]:
    """Every form on the page, with the values a browser would send if nothing were changed
    (inputs placed outside a form with form="its id" included; a select sends its selected
    option, else its first option with a value; a group of checkboxes sends its checked box, else
    its first one, so a list's first row counts as ticked)."""
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def post_forms_on(html: str, page_url: str) -> list[PageForm]:
    return [form for form in forms_on(html, page_url) if form.method == "post"]
