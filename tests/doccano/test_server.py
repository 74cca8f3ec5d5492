"""The local server: credentials, binding, truthful status, and a down that leaves nothing behind."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import pytest

from pipeline.doccano import processes, server
from pipeline.doccano.errors import ServerError


@pytest.mark.parametrize(
    "username, password, message",
    [
        (None, "Good-Pass-123", "DOCCANO_USERNAME is not set"),
        ("admin", None, "DOCCANO_PASSWORD is not set or empty"),
        ("admin", "", "DOCCANO_PASSWORD is not set or empty"),
        ("admin", "password", "default or guessable"),
        ("admin", "Password", "default or guessable"),
        ("admin", "admin", "default or guessable"),
    ],
)
def test_up_refuses_missing_or_default_credentials_before_doing_anything(tmp_path, username, password, message):
    with pytest.raises(ServerError, match=message):
        server.up(home=tmp_path / "home", port=server.free_port(), username=username, password=password, cache=tmp_path / "cache")
    assert not (tmp_path / "home").exists() and not (tmp_path / "cache").exists()


def test_cli_up_refuses_without_credentials(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCANO_")}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "doccano", "up", "--home", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == "archival-ner: error: DOCCANO_USERNAME is not set: the admin account needs a name"


@pytest.mark.doccano
def test_running_server_is_bound_to_loopback_only(doccano_server):
    state = server.status(home=doccano_server.home)
    assert state.state == "running" and state.answering
    assert state.processes == {"web": True, "worker": True}
    port = int(doccano_server.url.rsplit(":", 1)[1])
    listening = _listening_addresses(port)
    assert listening == {"0100007F"}  # 127.0.0.1, not 0.0.0.0


@pytest.mark.doccano
def test_up_again_returns_the_running_server_and_a_taken_port_is_refused(doccano_server, tmp_path):
    before = json.loads((doccano_server.home / server.RECORD_FILE).read_text())
    again = server.up(home=doccano_server.home, port=1, username=doccano_server.username, password=doccano_server.password)
    assert again.state == "running" and again.url == doccano_server.url
    assert json.loads((doccano_server.home / server.RECORD_FILE).read_text()) == before
    port = int(doccano_server.url.rsplit(":", 1)[1])
    with pytest.raises(ServerError, match=f"port {port} on 127.0.0.1 is in use"):
        server.up(home=tmp_path, port=port, username="someone", password="An0ther-Pass")


def test_down_kills_a_group_that_ignores_sigterm_and_only_that(tmp_path):
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    # a leader that ignores SIGTERM and a child in its group, like celery and its pool process
    stubborn = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "subprocess.Popen([sys.executable, '-c', 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)'])\n"
        "time.sleep(300)\n"
    )
    worker = processes.spawn("worker", [sys.executable, "-c", stubborn], env=dict(os.environ), cwd=tmp_path, log=home / "logs" / "w.log")
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        server._write_record(home, url="http://127.0.0.1:9", port=9, venv=tmp_path, processes=[worker])
        deadline = time.monotonic() + 10
        while len(processes.group_members(worker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(processes.group_members(worker)) == 2
        assert server.status(home=home).state == "degraded"  # processes up, nothing answers

        assert server.down(home=home, timeout=1.0) == ["worker"]
        assert processes.group_members(worker) == []
        assert bystander.poll() is None  # not ours to stop
        assert server.status(home=home).state == "stopped"
    finally:
        bystander.kill()
        bystander.wait()


def test_down_lets_the_leader_finish_its_childs_work(tmp_path):
    """Like celery's warm shutdown: on SIGTERM the leader waits for its pool process to finish the
    running task. SIGTERM must reach the leader only, or the task dies half done, its result unsaved."""
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    done = tmp_path / "task-done"
    task = f"import pathlib, time; time.sleep(1.0); pathlib.Path({str(done)!r}).write_text('ok')"
    leader = (
        "import signal, subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', {task!r}])\n"
        "signal.signal(signal.SIGTERM, lambda *_: sys.exit(child.wait()))\n"
        "time.sleep(300)\n"
    )
    worker = processes.spawn("worker", [sys.executable, "-c", leader], env=dict(os.environ), cwd=tmp_path, log=home / "logs" / "w.log")
    server._write_record(home, url="http://127.0.0.1:9", port=9, venv=tmp_path, processes=[worker])
    deadline = time.monotonic() + 10
    while len(processes.group_members(worker)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(processes.group_members(worker)) == 2

    assert server.down(home=home, timeout=10.0) == ["worker"]
    assert done.read_text() == "ok"  # the child was not interrupted
    assert processes.group_members(worker) == []


def test_status_and_down_handle_a_stale_record(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    record = server.ProcessRecord(name="web", pid=dead.pid, start_ticks=1, log="web.log")
    server._write_record(tmp_path, url="http://127.0.0.1:9", port=9, venv=tmp_path, processes=[record])
    state = server.status(home=tmp_path)
    assert state.state == "stopped" and "stale" in state.detail
    assert server.down(home=tmp_path) == []
    assert not (tmp_path / server.RECORD_FILE).exists()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on ``port`` (from /proc/net/tcp; state 0A = LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as handle:
            for line in list(handle)[1:]:
                fields = line.split()
                address, hex_port = fields[1].rsplit(":", 1)
                if int(hex_port, 16) == port and fields[3] == "0A":
                    found.add(address)
    return found


@pytest.mark.doccano
def test_new_homes_start_from_a_database_without_users(doccano_server):
    import sqlite3

    venv = json.loads((doccano_server.home / server.RECORD_FILE).read_text())["venv"]
    with contextlib.closing(sqlite3.connect(f"{venv}/{server.TEMPLATE_DB}")) as template:
        assert template.execute("select count(*) from auth_user").fetchone() == (0,)
        assert template.execute("select count(*) from roles_role").fetchone() == (3,)
    with contextlib.closing(sqlite3.connect(doccano_server.home / "db.sqlite3")) as db:
        assert db.execute("select username, is_superuser from auth_user").fetchall() == [(doccano_server.username, 1)]
