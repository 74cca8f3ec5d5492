"""A local doccano 1.8.4 for users who have none: install once, start, stop, and tell the truth.

doccano cannot share the project's environment (it needs ``marshmallow<4`` and ``numpy<2`` and
pins ``pandas<2``), so it is installed once into its own virtual environment in the cache folder
(``$ARCHIVAL_NER_CACHE``, default ``~/.cache/archival-ner``) from ``server-requirements.txt``.

doccano's own ``webserver`` command binds 0.0.0.0. Instead we run its WSGI app ``config.wsgi``
under gunicorn bound to 127.0.0.1, with the environment its CLI would set, plus its task worker
(celery; imports and exports do not run without it). Each process gets its own process group, so
that stopping it also stops its children (gunicorn workers, celery pool processes). The home folder
holds the SQLite database, uploads, logs (``logs/``), a generated secret key, and ``server.json``:
what ``up`` started (pid, process group, start time), so that ``down`` stops exactly that and
``status`` can tell a live server from a stale record. Process bookkeeping reads ``/proc`` (Linux).
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Iterator

from . import processes
from .errors import ServerError
from .processes import ProcessRecord

logger = logging.getLogger(__name__)

DOCCANO_VERSION = "1.8.4"
REQUIREMENTS_FILE = "server-requirements.txt"
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
RECORD_FILE = "server.json"
#: Written into the venv after a complete install; holds the hash of the requirements file.
INSTALLED_STAMP = ".archival-ner-installed"
#: Passwords doccano's docs and tutorials use; a server with one of them is open to anyone.
DEFAULT_PASSWORDS = frozenset({"password", "admin", "doccano", "changeme", "secret", "123456", "12345678"})
#: The admin's e-mail is required by Django but unused here.
ADMIN_EMAIL = "admin@example.com"
PASSWORD_ENV = "ARCHIVAL_NER_DOCCANO_ADMIN_PASSWORD"

#: A migrated database with doccano's roles and no users, copied into each new home (migrating
#: from scratch takes 15-30 s). It lives inside the venv, so a reinstall rebuilds it.
TEMPLATE_DB = "archival-ner-template.sqlite3"

# Runs inside doccano's venv: migrate, create roles, and (when a username is given) create or
# update the admin. The password arrives in the environment of this one short-lived process,
# never on a command line.
_INIT_SCRIPT = """
import os, django
django.setup()
from django.core import management
management.call_command("migrate", verbosity=0)
management.call_command("create_roles")
if os.environ.get("DOCCANO_ADMIN_USERNAME"):
    management.call_command(
        "create_admin", "--noinput", username=os.environ["DOCCANO_ADMIN_USERNAME"],
        password=os.environ.pop("{password_env}"), email="{email}",
    )
""".format(password_env=PASSWORD_ENV, email=ADMIN_EMAIL)


@dataclasses.dataclass(frozen=True)
class ServerStatus:
    """What is known about the doccano server of one home folder."""

    home: Path
    state: str  # "running", "stopped" or "degraded"
    url: str | None = None
    processes: dict[str, bool] = dataclasses.field(default_factory=dict)
    answering: bool = False
    detail: str = ""


def cache_dir() -> Path:
    """The folder holding doccano's virtual environment (``$ARCHIVAL_NER_CACHE``)."""
    return Path(os.environ.get("ARCHIVAL_NER_CACHE") or "~/.cache/archival-ner").expanduser()


def default_home() -> Path:
    """Where the local server keeps its database and logs unless told otherwise."""
    data = Path(os.environ.get("XDG_DATA_HOME") or "~/.local/share").expanduser()
    return data / "archival-ner" / "doccano"


def venv_dir(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / f"doccano-{DOCCANO_VERSION}"


def requirements_text() -> str:
    return resources.files(__package__).joinpath(REQUIREMENTS_FILE).read_text(encoding="utf-8")


def check_credentials(username: str | None, password: str | None) -> None:
    """Refuse to create an admin without a name, or with an empty or well-known password."""
    if not username:
        raise ServerError("DOCCANO_USERNAME is not set: the admin account needs a name")
    if not password:
        raise ServerError("DOCCANO_PASSWORD is not set or empty: refusing to start doccano without one")
    if password.lower() in DEFAULT_PASSWORDS or password == username:
        raise ServerError("DOCCANO_PASSWORD is a default or guessable password: choose another one")


def is_installed(cache: Path | None = None) -> bool:
    stamp = venv_dir(cache) / INSTALLED_STAMP
    wanted = hashlib.sha256(requirements_text().encode("utf-8")).hexdigest()
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted


def install(*, cache: Path | None = None, python: str | None = None) -> Path:
    """Install doccano into its own venv once; return the venv. Safe to call concurrently."""
    venv = venv_dir(cache)
    venv.parent.mkdir(parents=True, exist_ok=True)
    wanted = hashlib.sha256(requirements_text().encode("utf-8")).hexdigest()
    stamp = venv / INSTALLED_STAMP
    with _file_lock(venv.parent / f"{venv.name}.lock"):
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
            return venv
        if venv.exists():  # an interrupted or outdated install: start over
            shutil.rmtree(venv)
        log_path = venv.parent / f"{venv.name}-install.log"
        logger.info("installing doccano %s into %s (once; log: %s)", DOCCANO_VERSION, venv, log_path)
        started = time.monotonic()
        requirements = venv.parent / f"{venv.name}-requirements.txt"
        requirements.write_text(requirements_text(), encoding="utf-8")
        with log_path.open("w", encoding="utf-8") as log:
            for command in (
                [python or sys.executable, "-m", "venv", str(venv)],
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-input", "-r", str(requirements)],
            ):
                done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                if done.returncode != 0:
                    raise ServerError(f"installing doccano failed ({command[0]} exit {done.returncode}); see {log_path}")
        stamp.write_text(wanted, encoding="utf-8")
        logger.info("installed doccano in %.0f s", time.monotonic() - started)
    return venv


def up(
    *,
    home: Path,
    port: int = DEFAULT_PORT,
    username: str | None,
    password: str | None,
    workers: int = 2,
    timeout: float = 180.0,
    cache: Path | None = None,
) -> ServerStatus:
    """Start doccano (web server and task worker) on 127.0.0.1:``port``; wait until it answers."""
    check_credentials(username, password)
    home = home.expanduser().resolve()
    current = status(home=home)
    if current.state == "running":
        logger.info("doccano from %s is already running at %s", home, current.url)
        return current
    if current.state == "degraded":
        raise ServerError(f"doccano in {home} is half running ({current.detail}); run `archival-ner doccano down` first")
    _forget(home)
    _check_port_free(port)
    venv = install(cache=cache)
    backend = _backend_dir(venv)
    home.mkdir(parents=True, exist_ok=True, mode=0o700)  # the database holds password hashes
    (home / "logs").mkdir(exist_ok=True)
    env = _server_env(home, backend)
    url = f"http://{HOST}:{port}"

    init_log = home / "logs" / "init.log"
    if not (home / "db.sqlite3").exists():
        shutil.copyfile(_template_db(venv, backend), home / "db.sqlite3")
    _run_init(venv, backend, {**env, "DOCCANO_ADMIN_USERNAME": username, PASSWORD_ENV: password}, init_log)

    commands = {
        "web": [
            str(venv / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"{HOST}:{port}",
            "--workers", str(workers), "--chdir", str(backend), "--timeout", "300",
        ],
        "worker": [
            str(venv / "bin" / "celery"), "--app=config", f"--workdir={backend}", "worker",
            "--loglevel=info", "--concurrency=1",  # one import at a time, in the order received
        ],
    }
    started: list[ProcessRecord] = []
    try:
        for name, command in commands.items():
            started.append(processes.spawn(name, command, env=env, cwd=backend, log=home / "logs" / f"{name}.log"))
            _write_record(home, url=url, port=port, venv=venv, processes=started)  # before anything can fail
        _wait_until_ready(url, started, timeout=timeout)
    except BaseException:
        processes.stop_all(started, timeout=10.0)
        _forget(home)
        raise
    logger.info("doccano is running at %s (home %s)", url, home)
    return status(home=home)


def down(*, home: Path, timeout: float = 20.0) -> list[str]:
    """Stop what ``up`` started from ``home`` (and nothing else); return the names stopped."""
    home = home.expanduser().resolve()
    record = _read_record(home)
    if record is None:
        return []
    recorded = [ProcessRecord(**p) for p in record["processes"]]
    stopped = [p.name for p in recorded if processes.group_members(p)]
    processes.stop_all(recorded, timeout=timeout)
    _forget(home)
    return stopped


def status(*, home: Path) -> ServerStatus:
    """Report whether the server started from ``home`` runs, judged by its processes and its answer."""
    home = home.expanduser().resolve()
    record = _read_record(home)
    if record is None:
        return ServerStatus(home=home, state="stopped", detail="not started")
    recorded = [ProcessRecord(**p) for p in record["processes"]]
    alive = {p.name: bool(processes.group_members(p)) for p in recorded}
    answering = _health(record["url"], timeout=5.0) if any(alive.values()) else False
    if not any(alive.values()):
        return ServerStatus(home, "stopped", record["url"], alive, False, "stale record: its processes are gone")
    if all(alive.values()) and answering:
        return ServerStatus(home, "running", record["url"], alive, True, "")
    dead = [name for name, ok in alive.items() if not ok]
    detail = f"not running: {', '.join(dead)}" if dead else "processes run but the server does not answer"
    return ServerStatus(home, "degraded", record["url"], alive, answering, detail)


# --- environment ---------------------------------------------------------------------------------


def _run_init(venv: Path, backend: Path, env: dict[str, str], log_path: Path) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-c", _INIT_SCRIPT],
            env=env, cwd=backend, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    if done.returncode != 0:
        raise ServerError(f"initializing doccano's database failed; see {log_path}")


def _template_db(venv: Path, backend: Path) -> Path:
    """The migrated, user-less database new homes start from; built once per install."""
    template = venv / TEMPLATE_DB
    with _file_lock(venv.parent / f"{venv.name}.lock"):
        if not template.is_file():
            scratch = Path(tempfile.mkdtemp(prefix="template-", dir=venv))
            try:
                env = _server_env(scratch, backend)
                _run_init(venv, backend, env, venv.parent / f"{venv.name}-template.log")
                os.replace(scratch / "db.sqlite3", template)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return template


def _backend_dir(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages/backend/config/wsgi.py"))
    if not found:
        raise ServerError(f"doccano's backend is missing from {venv}; delete that folder and retry")
    return found[0].parent.parent


def _server_env(home: Path, backend: Path) -> dict[str, str]:
    """The environment doccano's CLI sets (backend/cli.py), pointed at ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCCANO_", "DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"sqlite:///{home / 'db.sqlite3'}",
        MEDIA_ROOT=str(home / "media"),
        STANDALONE="True",  # serves the front end's media and favicon, as `doccano webserver` does
        DEBUG="False",
        SECRET_KEY=_secret_key(home),
        PYTHONPATH=str(backend),
        DOCCANO_HOME=str(home),
    )
    return env


def _secret_key(home: Path) -> str:
    """Django's secret key: generated once per home, readable by the owner only."""
    path = home / "secret_key"
    if not path.is_file():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no obstacle
        try:
            sock.bind((HOST, port))
        except OSError as err:
            raise ServerError(f"port {port} on {HOST} is in use ({err.strerror})") from None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_until_ready(url: str, started: list[ProcessRecord], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in started:
            processes.reap(process.pid)
            if not processes.group_members(process):
                raise ServerError(f"doccano {process.name} exited while starting; see {process.log}")
        if _health(url, timeout=10.0):
            return
        time.sleep(0.5)
    raise ServerError(f"doccano did not answer at {url} within {timeout:.0f} s; see logs in {Path(started[0].log).parent}")


def _health(url: str, *, timeout: float) -> bool:
    """True when doccano's health check passes, including a round trip through the task worker."""
    try:
        with urllib.request.urlopen(f"{url}/v1/health/?format=json", timeout=timeout) as response:
            checks = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return bool(checks) and all(value == "OK" for value in checks.values())


# --- the record ----------------------------------------------------------------------------------


def _write_record(home: Path, *, url: str, port: int, venv: Path, processes: list[ProcessRecord]) -> None:
    record = {
        "url": url,
        "port": port,
        "venv": str(venv),
        "doccano": DOCCANO_VERSION,
        "processes": [dataclasses.asdict(p) for p in processes],
    }
    tmp = home / f".{RECORD_FILE}.tmp"
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(tmp, home / RECORD_FILE)


def _read_record(home: Path) -> dict | None:
    path = home / RECORD_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as err:
        raise ServerError(f"{path}: unreadable server record ({err}); stop doccano's processes and delete it") from None
    return record


def _forget(home: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (home / RECORD_FILE).unlink()


def recorded_url(home: Path | None = None) -> str | None:
    """The URL of the local server started from ``home`` (default home), if it has a record."""
    record = _read_record((home or default_home()).expanduser().resolve())
    return record["url"] if record else None
