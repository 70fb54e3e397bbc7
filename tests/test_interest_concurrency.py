"""200 registrations from parallel clients against 4 gunicorn workers sharing the test database:
every one stored once, none lost, no 5xx. Runs on SQLite and, with LMS_TEST_DATABASE_URL, on
PostgreSQL. The server runs as a subprocess on a free 127.0.0.1 port and is always stopped."""
import contextlib
import http.cookiejar
import uuid
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.interest_support import VALID_ANSWERS, registrations

CLIENTS = 20
SUBMISSIONS_PER_CLIENT = 10
REQUEST_TIMEOUT = 30
TEST_DEADLINE = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_gunicorn(folder: Path, **settings: str):
    """gunicorn with 4 sync workers on a free 127.0.0.1 port against the test database; always stopped."""
    port = _free_port()
    env = {
        **os.environ,
        "LMS_ENV": "testing",
        "DATABASE_URL": TEST_DATABASE_URL,
        "SECRET_KEY": "concurrency-test-" + "k" * 40,
        "LMS_INSTANCE_PATH": str(folder),
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "INTEREST_MIN_FILL_SECONDS": "0",
        **settings,
    }
    log = open(folder / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--worker-class", "sync", "--timeout", "60",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + Path(log.name).read_text()[-3000:])
            time.sleep(0.2)
        yield base, Path(log.name)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    settings = {"INTEREST_LIMIT_PER_IP": "100000 per hour", "RATELIMIT_STORAGE_URI": "memory://"}
    with running_gunicorn(tmp_path_factory.mktemp("gunicorn"), **settings) as server:
        yield server


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar, the form's hidden tokens, and a POST that reports its status."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def form_tokens(self) -> dict:
        with self.opener.open(self.base + "/interest", timeout=REQUEST_TIMEOUT) as response:
            html = response.read().decode()
        return {name: value for name, value in re.findall(r'name="(csrf_token|form_token)"[^>]*value="([^"]+)"', html)} or {
            name: value for value, name in re.findall(r'value="([^"]+)"[^>]*name="(csrf_token|form_token)"', html)
        }

    def submit(self, tokens: dict, email: str) -> tuple[int, str]:
        data = urllib.parse.urlencode({**VALID_ANSWERS, **tokens, "email": email, "hlm_check": ""}).encode()
        try:
            with self.opener.open(self.base + "/interest", data=data, timeout=REQUEST_TIMEOUT) as response:
                return response.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def _run_clients(base: str, work) -> list:
    """Run ``work(browser, client_number)`` in CLIENTS threads; collect what each returns."""
    results, errors = [], []
    lock = threading.Lock()

    def client(number):
        browser = Browser(base)
        try:
            outcome = work(browser, number)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                errors.append(repr(error))
            return
        with lock:
            results.extend(outcome)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TEST_DEADLINE
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "clients still running at the deadline"
    assert errors == []
    return results


def test_200_parallel_submissions_to_4_workers_are_all_stored_once(gunicorn_server):
    base, log = gunicorn_server
    db.session.remove()  # hold no connection or snapshot while the workers write

    def work(browser, number):
        outcomes = []
        for n in range(SUBMISSIONS_PER_CLIENT):
            tokens = browser.form_tokens()
            outcomes.append(browser.submit(tokens, f"client{number}.form{n}@example.nhs.uk"))
        return outcomes

    outcomes = _run_clients(base, work)
    statuses = [status for status, _ in outcomes]
    assert len(statuses) == CLIENTS * SUBMISSIONS_PER_CLIENT
    assert [s for s in statuses if s >= 500] == [], log.read_text()[-3000:]
    assert set(statuses) == {302}
    stored = registrations()
    assert len(stored) == 200
    assert len({r.reference for r in stored}) == 200
    assert len({r.email for r in stored}) == 200


def test_the_same_form_sent_at_once_by_two_workers_is_stored_once(gunicorn_server):
    base, log = gunicorn_server
    db.session.remove()
    barrier = threading.Barrier(2 * CLIENTS, timeout=60)

    def work(browser, number):
        tokens = browser.form_tokens()
        outcome = []

        def twice():
            barrier.wait()
            outcome.append(browser.submit(tokens, f"double{number}@example.nhs.uk"))

        # Two simultaneous POSTs of one form from the same browser: a double-click.
        second = threading.Thread(target=twice, daemon=True)
        second.start()
        twice()
        second.join(timeout=REQUEST_TIMEOUT * 2)
        return outcome

    outcomes = _run_clients(base, work)
    assert [status for status, _ in outcomes] == [302] * 2 * CLIENTS, log.read_text()[-3000:]
    assert len({location for _, location in outcomes}) == CLIENTS  # both clicks: the same confirmation
    stored = registrations()
    assert len(stored) == CLIENTS
    assert db.session.execute(db.select(db.func.count()).select_from(db.metadata.tables["interest_events"])).scalar_one() == CLIENTS


REDIS_URI = "redis://127.0.0.1:6379/14"


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_the_per_ip_limit_is_shared_by_all_workers_through_redis(tmp_path):
    """With per-worker memory counters, 4 workers would let about 40 through; Redis makes it 10."""
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    db.session.remove()
    settings = {
        "INTEREST_LIMIT_PER_IP": "10 per hour",
        "RATELIMIT_STORAGE_URI": REDIS_URI,
        "RATELIMIT_KEY_PREFIX": f"lms-test-{uuid.uuid4().hex}",
    }
    with running_gunicorn(tmp_path, **settings) as (base, log):
        browser = Browser(base)
        statuses = [browser.submit(browser.form_tokens(), f"limit{n}@example.nhs.uk")[0] for n in range(12)]
    assert statuses[:10] == [302] * 10, log.read_text()[-3000:]
    assert statuses[10:] == [429, 429]
    assert len(registrations()) == 10
