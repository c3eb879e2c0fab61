"""Posting an edit form as a browser would: what the page shows, sent back."""

from collections import defaultdict
from html.parser import HTMLParser

from django.test import Client


def opened(client: Client, url: str) -> dict[str, str]:
    """The hidden ``version`` field of the edit form at ``url`` (see hamlet.versions)."""
    # A record not saved yet has no version: its hidden field is sent empty, as a browser sends it.
    return {"version": client.get(url).context["form"]["version"].value() or ""}


class _Forms(HTMLParser):
    """Each <form>'s successful controls, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append(defaultdict(list))
        elif not self.forms:
            return
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (kind in ("checkbox", "radio") and "checked" not in attrs):
                return
            self.forms[-1][name].append(attrs.get("value") or ("on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1][self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.forms[-1][name].append("")

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # HTML drops the line break that follows <textarea>.
            value = self.forms[-1][self._textarea][-1]
            self.forms[-1][self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None


def form_data(response, having: str = "version") -> dict[str, list[str]]:
    """What submitting the page's form that has a field named ``having`` would send."""
    parser = _Forms()
    parser.feed(response.content.decode())
    return dict(next(form for form in parser.forms if having in form))
