"""`kurukan serve` runs the production server; `kurukan demo` runs it with the worker, and both stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backups"))
from backup_helpers import new_install  # noqa: E402  (scratch installations on the suite's engine)

KURUKAN = [sys.executable, "-m", "kurukan"]


def fresh_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KURUKAN_", "DJANGO_"))}
    env["KURUKAN_DATA_DIR"] = str(data_dir)
    env["KURUKAN_REQUIRE_2FA"] = "0"
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_page(url: str, process: subprocess.Popen, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped before answering"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                return response.status
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


def children_of(pid: int) -> dict[int, str]:
    """Process id → command line of the live processes whose parent is pid (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found[int(stat.parent.name)] = (
                    (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except (OSError, IndexError):
        return False


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """In a session of its own, as a terminal would run it: Ctrl+C reaches its whole process group."""
    return subprocess.Popen(  # noqa: S603 (our own command)
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def interrupt(process: subprocess.Popen) -> None:
    """Ctrl+C in a terminal: SIGINT to the whole foreground process group."""
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn and /proc are Linux's")
def test_serve_runs_gunicorn_warns_about_unsafe_settings_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = fresh_env(tmp_path)
    subprocess.run([*KURUKAN, "keys", "init"], env=env, check=True, capture_output=True)
    subprocess.run([*KURUKAN, "migrate", "-v0"], env=env, check=True, capture_output=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {**{k: v for k, v in env.items() if k != "XDG_RUNTIME_DIR"}, "HOME": str(home)}
    server = start([*KURUKAN, "serve", "--port", str(port), "--workers", "2", "--threads", "2"], env)
    silent = []
    try:
        assert wait_for_page(f"http://127.0.0.1:{port}/accounts/login/", server) == 200
        workers = children_of(server.pid)
        assert len(workers) == 2  # two gunicorn worker processes under the arbiter
        # No control socket at the one path per user that a second server on the machine would take over.
        assert not (home / ".gunicorn").exists()
        huge_header = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/", headers={"X-Padding": "a" * 20_000}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(huge_header, timeout=5)  # noqa: S310 (loopback)
        assert 400 <= refused.value.code < 500
        # Clients that keep their connection open and say nothing more (the refused one above is still open)
        # held a worker until gunicorn killed it after its 30 s grace: Ctrl+C must not wait for them.
        for _ in range(4):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
            silent.append(client)
        time.sleep(0.5)
    finally:
        asked = time.monotonic()
        interrupt(server)
        for client in silent:
            client.close()
    assert time.monotonic() - asked < 10
    out, err = server.communicate()
    assert "gunicorn, 2 processus × 2 fils" in out
    assert "ATTENTION" in err and "kurukan.E001" in err
    assert "was sent SIGKILL" not in err
    assert children_of(server.pid) == {}
    assert not any(alive(pid) for pid in workers)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn and /proc are Linux's")
def test_demo_serves_with_the_worker_beside_it_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {**fresh_env(tmp_path), "KURUKAN_PORT": str(port)}
    demo = start([*KURUKAN, "demo", "--events", "30"], env)
    try:
        assert wait_for_page(f"http://127.0.0.1:{port}/accounts/login/", demo, seconds=180) == 200
        children = children_of(demo.pid)
        assert any("db_worker" in cmd for cmd in children.values()), children
        assert any(" serve" in cmd for cmd in children.values()), children
    finally:
        interrupt(demo)
    assert demo.returncode == 0, demo.stderr.read()[-2000:] if demo.stderr else ""
    assert not any(alive(pid) for pid in children)  # the worker and the server both stopped


@pytest.mark.slow
def test_demo_after_an_interrupted_load_says_so_and_starts_again_on_request(tmp_path):
    """On the suite's engine: a SQLite file, or a scratch PostgreSQL database (emptied by flush)."""
    install = new_install(tmp_path, "demo")
    env = install.env(KURUKAN_REQUIRE_2FA="0")
    try:
        first = subprocess.Popen(
            [*KURUKAN, "demo", "--no-serve", "--events", "5000"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        marker = install.data_dir / "demo-load.incomplete"
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the load never started"
        time.sleep(1)
        os.killpg(first.pid, signal.SIGKILL)  # a crash, a power cut: no clean-up runs
        first.wait()

        again = subprocess.run(
            [*KURUKAN, "demo", "--no-serve", "--events", "30"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert again.returncode != 0
        assert "interrompu" in again.stdout and "kurukan demo --restart" in again.stderr
        assert marker.exists()

        restarted = subprocess.run(
            [*KURUKAN, "demo", "--no-serve", "--events", "30", "--restart"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert restarted.returncode == 0, restarted.stderr[-3000:]
        assert "nouveau chargement" in restarted.stdout
        assert "Démonstration :" in restarted.stdout  # loaded afresh, not "déjà présents"
        assert not marker.exists()
        logins = install.python(
            "from kurukan.accounts.models import User\nfrom kurukan.vocabularies.models import Term\n"
            "result = [User.objects.count(), Term.objects.filter(vocabulary='violation_type').count() > 0]"
        )
        assert logins[1] is True  # reference data loaded again after emptying
    finally:
        install.drop()
