"""What users see when doccano refuses them or is not there, and how the adapter retries."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading

import pytest

from pipeline.doccano import server
from pipeline.doccano.client import Credentials, Doccano
from pipeline.doccano.errors import DoccanoAuthError, DoccanoError, DoccanoUnavailable

from .helpers import prediction, write_predictions


def archival_ner(*args: str, env: dict[str, str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.mark.doccano
@pytest.mark.parametrize("command", ["export", "pull"])
def test_wrong_password_is_one_clear_line_without_the_password(tmp_path, doccano_server, command):
    wrong = "Wr0ng-but-Distinctive-Secret"
    env = {**os.environ, "DOCCANO_URL": doccano_server.url, "DOCCANO_USERNAME": doccano_server.username, "DOCCANO_PASSWORD": wrong}
    write_predictions(tmp_path / "pred", [prediction("a", "Mao Zedong in Peking.", [("Peking", "PLACE", "p")])])
    args = ["export", "pred", "--project", "never"] if command == "export" else ["pull", "--project", "never", "--model", "blank:en"]
    done = archival_ner(*args, env=env, cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [
        f"archival-ner: error: doccano at {doccano_server.url} rejected the username or password (user '{doccano_server.username}')"
    ]
    assert wrong not in done.stdout + done.stderr
    assert doccano_server.password not in done.stdout + done.stderr
    assert not (tmp_path / "annotations").exists()


@pytest.mark.parametrize("command", ["export", "pull"])
def test_server_down_is_a_clear_error_and_nothing_is_written(tmp_path, command):
    url = f"http://127.0.0.1:{server.free_port()}"  # nothing listens there
    env = {**os.environ, "DOCCANO_URL": url, "DOCCANO_USERNAME": "someone", "DOCCANO_PASSWORD": "Not-Used-Anywhere-42"}
    write_predictions(tmp_path / "pred", [prediction("a", "Mao Zedong in Peking.", [("Peking", "PLACE", "p")])])
    args = ["export", "pred", "--project", "p"] if command == "export" else ["pull", "--project", "p", "--model", "blank:en"]
    done = archival_ner(*args, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"archival-ner: error: cannot reach doccano at {url} while logging in (ConnectionError)"]
    assert "Not-Used-Anywhere-42" not in done.stdout + done.stderr
    assert not (tmp_path / "annotations").exists()


def test_credentials_never_come_from_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCANO_")}
    done = archival_ner("pull", "--project", "p", "--password", "x", env=env, cwd=tmp_path)
    assert done.returncode != 0 and "No such option" in done.stderr
    done = archival_ner("pull", "--project", "p", "--model", "blank:en", "--url", "http://127.0.0.1:9", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "set DOCCANO_USERNAME and DOCCANO_PASSWORD" in done.stderr


def test_insecure_warns(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCCANO_")}
    done = archival_ner("pull", "--project", "p", "--model", "blank:en", "--insecure", "--url", "https://127.0.0.1:9", env=env, cwd=tmp_path)
    assert "warning: TLS certificate verification is off" in done.stderr


class _FlakyDoccano(http.server.BaseHTTPRequestHandler):
    """A stand-in for faults a real doccano does not produce on demand: 503s before an answer, and
    a page link that leads back to the same page."""

    failures_left = 0
    looping_pages = False
    requests: list[str] = []

    def do_POST(self):  # login
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        type(self).requests.append(self.path)
        if type(self).failures_left != 0:
            type(self).failures_left -= 1
            self.send_response(503)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        next_page = f"http://127.0.0.1:{self.server.server_address[1]}/v1/projects?page=2" if type(self).looping_pages else None
        self.wfile.write(json.dumps({"count": 1, "next": next_page, "results": [{"id": 7, "name": "p"}]}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyDoccano)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _FlakyDoccano.requests = []
    _FlakyDoccano.looping_pages = False
    _FlakyDoccano.failures_left = 0
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _connect(httpd, **options) -> Doccano:
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return Doccano(Credentials(url=url, username="u", password="Pw-for-the-fake-1"), backoff=0.0, **options)


def test_retries_5xx_with_backoff_then_succeeds(flaky):
    _FlakyDoccano.failures_left = 2
    assert _connect(flaky, retries=3).find_project("p")["id"] == 7
    assert len(_FlakyDoccano.requests) == 3


def test_retries_are_bounded(flaky):
    _FlakyDoccano.failures_left = -1  # always failing
    with pytest.raises(DoccanoUnavailable, match="HTTP 503 \\(after retries\\)"):
        _connect(flaky, retries=2).find_project("p")
    assert len(_FlakyDoccano.requests) == 3  # the first try and two retries


def test_a_page_link_that_loops_is_an_error_not_a_hang(flaky):
    _FlakyDoccano.looping_pages = True
    with pytest.raises(DoccanoError, match="page link that repeats"):
        _connect(flaky).find_project("p")
    assert _FlakyDoccano.requests == ["/v1/projects", "/v1/projects?page=2"]  # page 2 links to itself


def test_tls_is_verified_unless_turned_off(flaky):
    assert _connect(flaky)._session.verify is True
    assert _connect(flaky, verify=False)._session.verify is False


@pytest.mark.doccano
def test_wrong_password_from_the_library(credentials):
    bad = Credentials(url=credentials.url, username=credentials.username, password="not-" + credentials.password)
    with pytest.raises(DoccanoAuthError) as caught:
        Doccano(bad)
    assert bad.password not in str(caught.value) and credentials.password not in str(caught.value)


@pytest.mark.doccano
def test_cli_export_then_pull_print_what_they_did(tmp_path, doccano_env, doccano, project_name):
    write_predictions(tmp_path / "pred", [prediction("a", "Mao Zedong in Peking.", [("Peking", "PLACE", "place.beijing")])])
    env = dict(os.environ)
    done = archival_ner("export", "pred", "--project", project_name, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"project '{project_name}' (id ") and "1 uploaded, 0 already there" in done.stdout
    assert (tmp_path / "annotations" / "exported" / f"{project_name}.jsonl").is_file()
    project_id = doccano.find_project(project_name)["id"]
    doccano.confirm(project_id, doccano.examples(project_id)[0]["id"])

    done = archival_ner("pull", "--project", project_name, "--model", "blank:en", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"1 document(s), 1 span(s) -> annotations/gold/{project_name}.jsonl and annotations/gold/{project_name}.spacy"
    assert lines[1] == f"0 problem(s) (0 left out of the gold) -> annotations/gold/{project_name}.problems.csv"
    assert lines[3].split() == ["key", "exported", "accepted", "boundary", "relabelled", "deleted", "added", "precision"]
    assert lines[4].split() == ["PLACE", "1", "1", "0", "0", "0", "0", "1.00"]
    assert doccano_env.password not in done.stdout + done.stderr
