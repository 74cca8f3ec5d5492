"""The processes a local doccano runs: start each in its own process group, find, stop, reap.

Linux only: liveness and process groups are read from ``/proc``. A process is identified by its
pid *and* its start time, so a recycled pid is never mistaken for ours; zombies count as gone.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import subprocess
import time
from pathlib import Path

from .errors import ServerError

logger = logging.getLogger(__name__)

#: Processes this interpreter started (the test suite calls ``up`` and ``down`` in one process):
#: kept referenced so that they can be reaped, and so that Popen does not warn they still run.
_children: dict[int, subprocess.Popen] = {}


@dataclasses.dataclass(frozen=True)
class ProcessRecord:
    """One process ``up`` started: its pid is also its process group id."""

    name: str
    pid: int
    start_ticks: int
    log: str



def spawn(name: str, command: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> ProcessRecord:
    with log.open("a", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: down stops its children too
        )
    _children[process.pid] = process  # keeps it referenced (no "still running" warning) and reapable
    ticks = _start_ticks(process.pid)
    logger.info("started doccano %s (pid %d, log %s)", name, process.pid, log)
    return ProcessRecord(name=name, pid=process.pid, start_ticks=ticks or 0, log=str(log))


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name, or None if there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return raw[raw.rindex(")") + 2 :].split()


def _start_ticks(pid: int) -> int | None:
    fields = _proc_stat(pid)
    return int(fields[19]) if fields else None


def group_members(process: ProcessRecord) -> list[int]:
    """Live (non-zombie) pids in the process group ``process`` leads, if the group is still ours."""
    leader = _proc_stat(process.pid)
    if leader and leader[0] != "Z" and process.start_ticks and int(leader[19]) != process.start_ticks:
        return []  # the pid was reused by an unrelated process
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _proc_stat(int(entry.name))
        if fields and fields[0] != "Z" and int(fields[2]) == process.pid:
            members.append(int(entry.name))
    return members


def reap(pid: int) -> None:
    """Collect the exit status of a child of this process, so that it does not linger as a zombie."""
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        del _children[pid]


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _terminate(process: ProcessRecord) -> None:
    """SIGTERM the leader only, so that it stops its own children in its own way; the whole group
    only when the leader is gone. A group-wide SIGTERM would kill celery's pool process in the
    middle of a task, and celery then records no result: the task stays PENDING forever."""
    members = group_members(process)
    if process.pid in members:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(process.pid, signal.SIGTERM)
    elif members:
        _signal_group(process.pid, signal.SIGTERM)


def stop_all(processes: list[ProcessRecord], *, timeout: float) -> None:
    """SIGTERM every leader (gunicorn and celery shut down gracefully: a running import finishes
    and records its result), wait for the whole group, then SIGKILL what is left (celery may
    ignore SIGTERM)."""
    targets = [p for p in processes if group_members(p)]
    for process in targets:
        _terminate(process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive_after_reap(p) for p in targets):
        time.sleep(0.2)
    for process in targets:
        if group_members(process):
            logger.warning("doccano %s ignored SIGTERM for %.0f s; killing it", process.name, timeout)
            _signal_group(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10.0
    while any(_alive_after_reap(p) for p in targets):
        if time.monotonic() > deadline:
            left = {p.name: group_members(p) for p in targets if group_members(p)}
            raise ServerError(f"could not stop doccano processes {left}")
        time.sleep(0.1)
    for process in processes:  # collect exit statuses of our own children (zombies by now)
        child = _children.pop(process.pid, None)
        if child is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=5)


def _alive_after_reap(process: ProcessRecord) -> bool:
    reap(process.pid)
    return bool(group_members(process))
