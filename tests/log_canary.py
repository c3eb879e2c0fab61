"""Fails the test run if any log record names a resident.

Loaded from ``tests/conftest.py``. How it works:

- **Canaries.** Every resident the suite makes or loads (``post_init`` and ``post_save`` on
  ``residents.Resident``) adds her prison number and pseudonym. Any string shaped like a prison
  number (one letter, four digits, two letters) counts as well, so a number typed into a form
  or bulk-created by the demo is caught without ever being saved through the ORM. Pseudonyms
  count when they look like names, five characters or more (``NAME_LIKE``): generated input
  saved as a pseudonym ("0", "NaN", "<script>…") would otherwise match ordinary log lines.
- **Capture.** One handler on the root logger for the whole session, and on every logger that
  does not propagate to it (``django.server``, which writes the live server's request lines in
  the browser tests). ``django.request``, ``django.security``, ``axes`` and ``hamlet.security``
  propagate to the root under ``LOGGING`` in ``hamlet/settings.py``, so they are captured at the
  levels a deployment writes (INFO by default, WARNING for axes). Hamlet's own loggers are
  opened to DEBUG for the run, so a debug line cannot hide a leak. Each record is kept as its
  formatted message, arguments merged, with its traceback and the path of any request attached.
  SQL logged by query-count tests (``django.db.backends`` at DEBUG) is not captured: production
  runs with DEBUG off, which never logs queries.
- **Verdict.** At the end of the session the records are searched for every canary; any match is
  listed under "Personal data in logs" and the run fails even if every test passed.
- **In parallel** (pytest-xdist, ``-n``). Each worker is a session of its own with its own
  records and canaries, and xdist takes a worker's verdict from its test reports alone, not its
  exit status. So each worker searches its own records and sends what it found, with its counts,
  to the controller (``workeroutput``), which adds them up and gives the verdict for the run.
"""

import functools
import logging
import re
from collections import defaultdict

import pytest

PRISON_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{4}[A-Za-z]{2}(?![A-Za-z0-9])")
# A pseudonym counts when it looks like a name ("Tamsin", "Resident 12"). Generated input saved as a
# pseudonym by tests/test_bad_input.py ("<script>alert(1)</script>", SQL) is left out: other tests
# put the same strings in addresses on purpose, and they identify no one.
NAME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9 '\-]{4,}")
HAMLET_LOGGERS = ("hamlet", "residents", "mentoring", "programme", "evaluation")


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)  # message with its args, then any traceback
        except Exception:  # a badly formed record still gets looked at
            text = f"{record.name}: {record.msg!r} {record.args!r}"
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "get_full_path"):
            text += f" [request {request.get_full_path()}]"
        self.records.append(text)


_collector = _Collector()
_canaries: set[str] = set()
_leaks_key = pytest.StashKey[list[str]]()


def _remember(instance, **kwargs) -> None:
    # Read the loaded values only: touching a deferred field in post_init would load it again.
    for value in (instance.__dict__.get("prison_number"), instance.__dict__.get("pseudonym")):
        if isinstance(value, str) and NAME_LIKE.fullmatch(value.strip()):
            _canaries.add(value.strip())


def _attach() -> None:
    """Put the collector on the root and on every logger that stops propagation. Django's
    logging set-up replaces the root's handlers, so this is checked before every test."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        if _collector not in logger.handlers:
            logger.addHandler(_collector)
    for name in HAMLET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)


def pytest_sessionstart(session):
    from django.db.models.signals import post_init, post_save

    post_init.connect(_remember, sender="residents.Resident", weak=False, dispatch_uid="log_canary_init")
    post_save.connect(_remember, sender="residents.Resident", weak=False, dispatch_uid="log_canary_save")
    _attach()


def pytest_runtest_setup(item):
    _attach()


WORD = re.compile(r"\w+")


@functools.cache
def _whole_word(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)


def _any_of(names) -> re.Pattern | None:
    if not names:
        return None
    alternatives = (rf"(?<!\w){re.escape(name)}(?!\w)" for name in sorted(names, key=len, reverse=True))
    return re.compile("|".join(alternatives), re.IGNORECASE)


def leaks(records: list[str], canaries: set[str]) -> list[str]:
    """The records that carry a canary (a whole word, in any case) or anything shaped like a
    prison number.

    One pattern of thousands of names tried at every place in every record took minutes at the
    end of a run. A name that starts with a word character can only start where a word of the
    record starts, and that word is then the name's first word: so an ASCII record is tried
    only with the names whose first word it holds. A record or name beyond ASCII is tried with
    the one pattern, since case folding there goes beyond ``str.lower`` (the Kelvin sign is a k).
    """
    by_first_word: dict[str, list[str]] = defaultdict(list)
    unsifted = []
    for name in canaries:
        first = WORD.match(name)
        if first and name.isascii():
            by_first_word[first.group().lower()].append(name)
        else:
            unsifted.append(name)
    everyone, unsifted_names = None, _any_of(unsifted)
    found = []
    for text in records:
        if PRISON_NUMBER.search(text):
            found.append(text)
        elif not text.isascii():
            everyone = everyone or _any_of(canaries)  # compiled only if needed: it takes seconds
            if everyone and everyone.search(text):
                found.append(text)
        elif (unsifted_names and unsifted_names.search(text)) or any(
            _whole_word(name).search(text)
            for word in {word.lower() for word in WORD.findall(text)} & by_first_word.keys()
            for name in by_first_word[word]
        ):
            found.append(text)
    return found


# What the xdist workers found, added up by the controller (pytest_testnodedown).
_from_workers = {"records": 0, "canaries": 0, "leaks": []}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    found = getattr(node, "workeroutput", {}).get("log_canary")
    if found is None:
        # A worker that died before its session finished never searched its records: fail,
        # rather than report a clean run that was not checked.
        found = {"records": 0, "canaries": 0, "leaks": [f"{node.gateway.id} sent no log canary verdict"]}
    for key in ("records", "canaries"):
        _from_workers[key] += found[key]
    _from_workers["leaks"].extend(found["leaks"])


def pytest_sessionfinish(session, exitstatus):
    found = leaks(_collector.records, _canaries) + _from_workers["leaks"]
    session.config.stash[_leaks_key] = found
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller gives the verdict
        workeroutput["log_canary"] = {"records": len(_collector.records), "canaries": len(_canaries), "leaks": found}
    if found and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    found = config.stash.get(_leaks_key, [])
    records = len(_collector.records) + _from_workers["records"]
    canaries = len(_canaries) + _from_workers["canaries"]
    terminalreporter.write_line(
        f"log canary: {records} log records checked against {canaries} residents' "
        f"identities: {len(found) or 'no'} leaks"
    )
    if found:
        terminalreporter.section("Personal data in logs", sep="=", red=True, bold=True)
        for text in found[:50]:
            terminalreporter.write_line(text[:2000])
        terminalreporter.write_line(
            "These records name a resident, so the run fails even where every test passed.", red=True
        )
