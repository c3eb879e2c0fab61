"""The client half of scripts/check-scale-out.sh: one person's browser talking to two Hamlet
nodes in turn, as a load balancer without sticky sessions would send it.

    check_scale_out.py http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B WING_ID

Both nodes serve one PostgreSQL database with the demo loaded (users with the demo password);
WING_ID is the Hamlet's, the wing its custody manager changes.
Each check prints PASS or FAIL with what it saw; any FAIL exits non-zero. The checks:

1. a session signed in on one node is signed in on the other;
2. a change saved through one node (the wing's resident profile) reads back through the other,
   with the confirmation set by one shown by the other, and the dashboard that the other node
   had worked out and held (hamlet.computed, in the Redis both share) shows it at once;
3. wrong passwords tried on both nodes are counted together: five in all, alternating, lock the
   username at this address on both, and the right password is then refused on either;
4. signing out on one node ends the session on the other.
"""

import secrets
import sys
from html.parser import HTMLParser

import requests

PASSWORD = "hamlet-demo-2026"  # noqa: S105  (hamlet.demo's, for every demo user: README)
FAILURE_LIMIT = 5  # AXES_FAILURE_LIMIT in hamlet/settings.py


class Form(HTMLParser):
    """The fields of the first form on a page holding ``marker`` (a field name), as a browser
    would send them: inputs, checked boxes, textareas and selected options."""

    def __init__(self, marker: str):
        super().__init__()
        self.marker, self.fields, self.found = marker, {}, False
        self._in_form = self._done = False
        self._textarea = self._select = None
        self._current: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form":
            self._in_form, self._current = True, {}
        elif not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._current[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._current[name] = name, ""
        elif tag == "select" and name:
            self._select = name
            self._current.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self._current[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self._current[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            if self.marker in self._current:
                self.fields, self.found, self._done = self._current, True, True


def form_on(response: requests.Response, marker: str) -> dict:
    form = Form(marker)
    form.feed(response.text)
    if not form.found:
        raise Failure(f"no form with {marker!r} on {response.url} ({response.status_code})")
    return form.fields


class Failure(Exception):
    pass


class Browser(requests.Session):
    """One browser's cookies; no request waits more than 30 seconds for a node."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(*args, **kwargs)


failures: list[str] = []


def check(what: str, ok: bool, saw: str) -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {what}: {saw}")
    if not ok:
        failures.append(what)


def sign_in(browser: Browser, node: str, username: str, password: str) -> requests.Response:
    """Fetch the sign-in form (its CSRF token and cookie) and send it, as a browser does."""
    fields = form_on(browser.get(f"{node}/sign-in/"), "username")
    fields.update(username=username, password=password)
    return browser.post(f"{node}/sign-in/", data=fields, allow_redirects=False)


def signed_in(browser: Browser, node: str) -> bool:
    home = browser.get(f"{node}/", allow_redirects=False)
    return home.status_code == 200 and "Sign out" in home.text


def main(a: str, b: str, wing: str) -> int:
    print(f"node A {a}, node B {b}")
    browser = Browser()  # one cookie jar: both nodes are the same host to a browser

    # 1. Sessions.
    response = sign_in(browser, a, "manager.dhi", PASSWORD)
    check("signed in on A", response.status_code == 302 and signed_in(browser, a), f"{response.status_code}")
    check("the session from A is signed in on B", signed_in(browser, b), f"GET {b}/ as manager.dhi")

    # 2. A write through one node, read through the other. A's dashboard is held first, so that
    # only a generation that B's save moved on in the shared cache can make A count it again.
    held = [browser.get(f"{a}/") for _ in range(2)][-1]
    check("the dashboard is worked out and held on A", "How The Hamlet is doing" in held.text, f"GET {a}/")
    fields = form_on(browser.get(f"{a}/wings/{wing}/edit/"), "resident_profile")
    token = f"scale-out check {secrets.token_hex(6)}"
    fields["resident_profile"] = token
    saved = browser.post(f"{b}/wings/{wing}/edit/", data=fields, allow_redirects=False)
    check(
        "a form from A saved through B", saved.status_code == 302, f"POST {b}/wings/{wing}/edit/ → {saved.status_code}"
    )
    shown = browser.get(f"{a}{saved.headers.get('Location', f'/wings/{wing}/')}")
    check("B's change read through A", token in shown.text, f"{token!r} on {shown.url}")
    check("B's confirmation shown by A", "has been updated" in shown.text, "the flash message after the redirect")
    dashboard = browser.get(f"{a}/")
    check("the dashboard held on A shows B's change", token in dashboard.text, f"{token!r} on {a}/")

    # 3. Lock-outs counted across both nodes, alternating A, B, A, B, A: each node alone sees
    # fewer than the limit, so only a count they share locks the username.
    nodes = [a if n % 2 == 0 else b for n in range(FAILURE_LIMIT)]
    outsider = Browser()
    statuses = [sign_in(outsider, node, "officer.dhi", "not the password").status_code for node in nodes]
    check(
        f"{FAILURE_LIMIT} wrong passwords, {nodes.count(a)} on A and {nodes.count(b)} on B, each refused",
        all(status in (200, 429) for status in statuses),
        f"statuses {statuses}",
    )
    for name, node in (("B", b), ("A", a)):
        response = sign_in(Browser(), node, "officer.dhi", PASSWORD)
        check(
            f"officer.dhi locked out on {name} after failures on both",
            response.status_code == 429 and "locked" in response.text,
            f"right password on {name} → {response.status_code}",
        )
    # The same, for a username with fewer failures than the limit: not locked (the control).
    sign_in(Browser(), a, "officer.other", "not the password")
    response = sign_in(Browser(), b, "officer.other", PASSWORD)
    check(
        "officer.other, one failure on A, still signs in on B", response.status_code == 302, f"{response.status_code}"
    )

    # 4. Sign out on B; the session is gone on A too.
    fields = form_on(browser.get(f"{a}/"), "csrfmiddlewaretoken")
    browser.post(f"{b}/sign-out/", data={"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]})
    check("signed out on B, so signed out on A", not signed_in(browser, a), f"GET {a}/ after signing out on B")

    if failures:
        print(f"FAILED: {len(failures)} checks: {'; '.join(failures)}")
        return 1
    print("Hamlet kept no state in a process: every check passed across the two nodes.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(*sys.argv[1:4]))
    except (Failure, requests.RequestException) as error:
        print(f"FAILED: {error}")
        sys.exit(1)
