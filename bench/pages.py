"""Benchmark key pages against a bare Flask+Jinja page under the same gunicorn settings.

    .venv/bin/python bench/pages.py [--seconds 5] [--workers 4] [--clients 8]

Starts gunicorn twice on 127.0.0.1 (the app on a fresh SQLite database with demo data, then the
bare app), drives each page with concurrent keep-alive-free HTTP clients for a fixed time, and
prints requests per second and the ratio to the floor. Figures, not pass/fail.
"""
import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT, env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn for {target} did not start")


def request(port: int, method: str, path: str, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def sign_in(port: int, email: str, password: str) -> str:
    response, data = request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', data).group(1).decode()
    body = urlencode({"email": email, "password": password, "csrf_token": token})
    response, _ = request(port, "POST", "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, body)
    assert response.status == 302, f"sign-in failed: {response.status}"
    return response.getheader("Set-Cookie").split(";", 1)[0]


def measure(port: int, path: str, seconds: float, clients: int, cookie: str | None = None) -> float:
    count, errors = [0], [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def client():
        done = failed = 0
        while time.time() < stop:
            response, _ = request(port, "GET", path, {"Cookie": cookie} if cookie else {})
            if response.status == 200:
                done += 1
            else:
                failed += 1
        with lock:
            count[0] += done
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors[0]:
        print(f"  warning: {errors[0]} non-200 responses on {path}")
    return count[0] / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="lms-bench-")
    env = {**os.environ, "LMS_INSTANCE_PATH": instance, "LMS_ENV": "development"}
    env.pop("DATABASE_URL", None)
    subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    demo = subprocess.run([PYTHON, "-m", "flask", "--app", "wsgi", "lms", "demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    password = re.search(r"trainee@example\.org\s+(\S+)", demo.stdout).group(1)

    results = {}
    port = free_port()
    floor_server = start_gunicorn("bench.bare_app:app", port, args.workers, env)
    try:
        results["bare Flask + Jinja page (floor)"] = measure(port, "/", args.seconds, args.clients)
    finally:
        floor_server.terminate()
        floor_server.wait()

    port = free_port()
    app_server = start_gunicorn("wsgi:app", port, args.workers, env)
    try:
        cookie = sign_in(port, "trainee@example.org", password)
        pages = [
            ("/ (home)", "/", None),
            ("/programmes/facilitator", "/programmes/facilitator", None),
            ("/learn (trainee)", "/learn", cookie),
            ("module page (trainee)", "/learn/facilitator/reading-the-report", cookie),
        ]
        for label, path, page_cookie in pages:
            results[label] = measure(port, path, args.seconds, args.clients, page_cookie)
    finally:
        app_server.terminate()
        app_server.wait()

    floor = results["bare Flask + Jinja page (floor)"]
    print(f"\n{args.workers} gunicorn sync workers, {args.clients} clients, {args.seconds:.0f} s per page\n")
    print(f"{'page':<36}{'req/s':>10}{'ratio to floor':>18}")
    for label, rate in results.items():
        print(f"{label:<36}{rate:>10.0f}{rate / floor:>18.2f}")


if __name__ == "__main__":
    main()
