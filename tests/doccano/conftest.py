"""A real doccano 1.8.4 for the whole session, on a free 127.0.0.1 port in a temporary home.

``pipeline.doccano.server`` installs doccano into its own venv in the cache folder the first time
(``$ARCHIVAL_NER_CACHE``, default ``~/.cache/archival-ner``; about two minutes from the package
registry), then starts its web server and task worker; later sessions reuse the venv (about 20 s
to start). Each test works in its own project, so tests do not see each other's documents.
"""
from __future__ import annotations

import itertools
import json
import secrets
import types

import pytest

from pipeline.doccano import processes, server
from pipeline.doccano.client import Credentials, Doccano

_names = itertools.count(1)


@pytest.fixture(scope="session")
def doccano_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("doccano-home")
    username, password = "archival-test", secrets.token_urlsafe(18)
    state = server.up(home=home, port=server.free_port(), username=username, password=password, workers=2)
    started = [processes.ProcessRecord(**p) for p in json.loads((home / server.RECORD_FILE).read_text())["processes"]]
    try:
        yield types.SimpleNamespace(url=state.url, username=username, password=password, home=home)
    finally:
        assert server.down(home=home) == ["web", "worker"]
        # the web server's workers and the task worker's pool are gone too, not only their leaders
        assert [p.name for p in started if processes.group_members(p)] == []
        assert server.status(home=home).state == "stopped"


@pytest.fixture
def credentials(doccano_server) -> Credentials:
    return Credentials(url=doccano_server.url, username=doccano_server.username, password=doccano_server.password)


@pytest.fixture
def doccano(credentials) -> Doccano:
    return Doccano(credentials)


@pytest.fixture
def doccano_env(doccano_server, monkeypatch):
    """The environment a user sets for the CLI commands."""
    monkeypatch.setenv("DOCCANO_URL", doccano_server.url)
    monkeypatch.setenv("DOCCANO_USERNAME", doccano_server.username)
    monkeypatch.setenv("DOCCANO_PASSWORD", doccano_server.password)
    return doccano_server


@pytest.fixture
def project_name(request) -> str:
    """A project name no other test uses."""
    return f"t{next(_names)}-{request.node.name[:40].replace('[', '-').replace(']', '')}"
