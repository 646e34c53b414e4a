"""Fifty signed-in users browsing like people, against `kurukan serve` on 127.0.0.1 (docs/benchmarks.md).

    python bench/load.py [--users 50] [--think 2] [--duration 60] [--saturate 20] [--database-url URL]

Sets up a demo installation in bench/out/ (synthetic data, one monitor account per simulated user, two-factor
login off as in the demo), starts `kurukan serve` (gunicorn, sized for the machine) and, as the baseline, a
trivial Django view behind the same gunicorn settings (bench/trivial_site.py). Then:

1. paced: every user signs in, then clicks every `--think` seconds on average (uniform 0.5–1.5×): lists
   with filters, detail pages, the API, a draft now and then. Reports p50/p95/p99, errors, throughput.
2. saturation: the same users without pauses for `--saturate` seconds, against Kurukan and then against the
   trivial view: throughput of each and their ratio.

Bounded (fixed durations) and loopback only: it refuses any host but 127.0.0.1. The load generator runs on
the same machine as the servers and takes CPU from them; say so next to any figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from _common import _create_pg_database
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"
PASSWORD = "bench-load-password-2026"
CREATE_USERS = """
from kurukan.accounts.models import Organisation, Role, User
org = Organisation.objects.get(code="ohchr")
for n in range({users}):
    user, _ = User.objects.get_or_create(username=f"load{{n:02d}}", defaults={{"role": Role.MONITOR, "organisation": org}})
    user.set_password("{password}")
    user.save()
"""


@dataclass
class Sample:
    action: str
    status: int
    seconds: float


@dataclass
class Phase:
    name: str
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    def summary(self) -> dict:
        times = sorted(s.seconds for s in self.samples)
        errors = [s for s in self.samples if s.status >= 500 or s.status == 0]
        rejected = [s for s in self.samples if 400 <= s.status < 500]

        def pct(p: float) -> float:
            return round(1000 * times[min(len(times) - 1, int(p * len(times)))], 1) if times else 0.0

        return {
            "phase": self.name,
            "requests": len(times),
            "errors": len(errors),
            "rejected_4xx": len(rejected),
            "throughput_rps": round(len(times) / self.seconds, 1),
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "mean_ms": round(1000 * statistics.fmean(times), 1) if times else 0.0,
            "by_action": {
                action: pct_of([s.seconds for s in self.samples if s.action == action])
                for action in sorted({s.action for s in self.samples})
            },
        }


def pct_of(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(1000 * values[len(values) // 2], 1),
        "p95_ms": round(1000 * values[min(len(values) - 1, int(0.95 * len(values)))], 1),
    }


class User:
    """One person in a browser: a session with keep-alive connections, signed in as a monitor."""

    def __init__(self, base: str, username: str, ids: list[str]) -> None:
        self.base, self.username, self.ids = base, username, ids
        self.http = requests.Session()
        # Like a browser, re-send a GET once when a kept-alive connection was closed under it; never a POST.
        retry = Retry(total=None, connect=1, read=1, status=0, redirect=5, allowed_methods=frozenset({"GET"}))
        self.http.mount("http://", HTTPAdapter(max_retries=retry))
        self.random = random.Random(username)

    def sign_in(self) -> None:
        page = self.http.get(f"{self.base}/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        response = self.http.post(
            f"{self.base}/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.base}/accounts/login/"},
            timeout=60,
        )
        assert "sessionid" in self.http.cookies, f"{self.username} could not sign in ({response.status_code})"

    def click(self) -> tuple[str, requests.Response]:
        """One click, chosen with the weights of a working day: mostly lists and records, a few writes."""
        r = self.random
        roll = r.random()
        if roll < 0.30:
            status = r.choice(["", "verified", "reported", "pending"])
            year = r.randint(2013, 2024)
            url = f"/incidents/?date_from={year}-01-01&date_to={year}-12-31&verification_status={status}"
            return "list_filtered", self.get(url)
        if roll < 0.40:
            return "list", self.get(f"/incidents/?q={r.choice(['attaque', 'Mopti', 'enlèvement', ''])}")
        if roll < 0.70:
            return "detail", self.get(f"/incidents/{r.choice(self.ids)}/")
        if roll < 0.82:
            return "api_list", self.get(f"/api/incidents?limit=25&offset={25 * r.randint(0, 20)}")
        if roll < 0.95:
            return "api_detail", self.get(f"/api/incidents/{r.choice(self.ids)}")
        token = self.http.cookies.get("csrftoken", "")
        body = {
            "title": "Attaque signalée (test de charge)",
            "start_date": f"2024-03-0{r.randint(1, 9)}",
            "region": f"ML0{r.randint(1, 9)}",
        }
        response = self.http.post(
            f"{self.base}/api/incidents", json=body, headers={"X-CSRFToken": token}, timeout=60
        )
        return "api_write", response

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=60)


def run_phase(
    name: str, users: list, seconds: float, think: float, click=None, start_gap: float = 0.0
) -> Phase:
    phase = Phase(name, seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def person(user, offset: float) -> None:
        time.sleep(offset)  # people do not all click at the same instant
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                action, response = click(user) if click else user.click()
                status = response.status_code
            except requests.RequestException:
                action, status = "connection", 0
            sample = Sample(action, status, time.perf_counter() - started)
            with lock:
                phase.samples.append(sample)
            if think:
                time.sleep(user.random.uniform(0.5 * think, 1.5 * think))

    threads = [
        threading.Thread(target=person, args=(user, start_gap * n / len(users)), daemon=True)
        for n, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return phase


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit(f"{url} never answered")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between clicks (paced phase)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the paced phase")
    parser.add_argument("--saturate", type=float, default=20.0, help="seconds of each saturation phase")
    parser.add_argument("--events", type=int, default=3500, help="demo events to load (≈1.4 reports each)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in bench/out)")
    parser.add_argument("--workers", type=int, default=0, help="kurukan serve --workers (0: for the machine)")
    parser.add_argument("--threads", type=int, default=0, help="kurukan serve --threads (0: default)")
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or args.duration > 600 or args.saturate > 300:
        raise SystemExit("bounded: at most 200 users, 600 s paced and 300 s saturated")

    engine = "postgresql" if args.database_url else "sqlite"
    data_dir = OUT / f"load-{engine}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KURUKAN_", "DJANGO_"))}
    env.update(
        KURUKAN_DATA_DIR=str(data_dir),
        KURUKAN_REQUIRE_2FA="0",
        KURUKAN_LOGIN_FAILURE_LIMIT="1000",
        PYTHONPATH=str(ROOT / "src"),
    )
    if args.database_url:
        env["KURUKAN_DATABASE_URL"] = args.database_url
        assert urlsplit(args.database_url).hostname in {HOST, "localhost"}, "loopback only"
        _create_pg_database(args.database_url)
    kurukan = [sys.executable, "-m", "kurukan"]
    print(f"Setting up {data_dir} ({engine}, {args.events} events)…", flush=True)
    subprocess.run(
        [*kurukan, "demo", "--no-serve", "--events", str(args.events), "-v", "0"], env=env, check=True
    )
    code = CREATE_USERS.format(users=args.users, password=PASSWORD)
    subprocess.run([*kurukan, "shell", "-c", code], env=env, check=True)

    from kurukan.server.runner import Sizing

    sizing = Sizing.for_machine(args.workers, args.threads)
    port, trivial_port = free_port(), free_port()
    serve_args = ["serve", "--host", HOST, "--port", str(port)]
    serve_args += ["--workers", str(sizing.workers), "--threads", str(sizing.threads)]
    server = subprocess.Popen(
        [*kurukan, *serve_args], env=env, start_new_session=True, stderr=subprocess.DEVNULL
    )
    trivial = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "trivial_site.py"),
            str(trivial_port),
            str(sizing.workers),
            str(sizing.threads),
        ],
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://{HOST}:{port}"
        wait_until_up(f"{base}/accounts/login/", server)
        wait_until_up(f"http://{HOST}:{trivial_port}/ok", trivial)
        probe = User(base, "load00", [])
        probe.sign_in()
        ids = [
            item["public_id"] for item in probe.http.get(f"{base}/api/incidents?limit=100").json()["items"]
        ]
        print("one user alone, 10 s (the machine's state for this run)…", flush=True)
        alone = User(base, "load00", ids)
        alone.sign_in()
        solo = run_phase("one_user", [alone], 10.0, 0.0)
        users = [User(base, f"load{n:02d}", ids) for n in range(args.users)]
        started = time.perf_counter()
        for user in users:
            user.sign_in()
        sign_in_seconds = time.perf_counter() - started
        print(
            f"{args.users} users signed in ({sign_in_seconds:.1f} s); paced phase {args.duration:.0f} s…",
            flush=True,
        )
        paced = run_phase("paced", users, args.duration, args.think, start_gap=args.think)
        print(f"saturation {args.saturate:.0f} s against Kurukan…", flush=True)
        saturated = run_phase("saturated", users, args.saturate, 0.0)
        print(f"saturation {args.saturate:.0f} s against the trivial view…", flush=True)
        trivial_users = [User(f"http://{HOST}:{trivial_port}", f"t{n}", []) for n in range(args.users)]
        baseline = run_phase(
            "trivial_saturated", trivial_users, args.saturate, 0.0, click=lambda u: ("trivial", u.get("/ok"))
        )
    finally:
        stop(server)
        stop(trivial)

    report = {
        "engine": engine,
        "events": args.events,
        "users": args.users,
        "think_seconds": args.think,
        "server": f"gunicorn gthread {sizing.workers} workers x {sizing.threads} threads",
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "phases": [paced.summary(), saturated.summary(), baseline.summary(), solo.summary()],
    }
    kurukan_rps = report["phases"][1]["throughput_rps"]
    trivial_rps = report["phases"][2]["throughput_rps"]
    report["saturation_ratio_to_trivial"] = round(kurukan_rps / trivial_rps, 3) if trivial_rps else None
    (OUT / f"load-{engine}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\n{engine}: paced {args.users} users p50 {report['phases'][0]['p50_ms']} ms, "
        f"p95 {report['phases'][0]['p95_ms']} ms, p99 {report['phases'][0]['p99_ms']} ms, "
        f"{report['phases'][0]['errors']} errors; saturation {kurukan_rps} req/s = "
        f"{report['saturation_ratio_to_trivial']} × the trivial view's {trivial_rps} req/s; "
        f"one user alone p50 {report['phases'][3]['p50_ms']} ms; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
