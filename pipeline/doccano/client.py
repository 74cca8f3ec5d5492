"""The one adapter between this project and a doccano 1.8.4 server (doccano-client 1.2.8 + HTTP).

Everything else in the package calls this module and gets plain dicts back; nothing else imports
doccano-client or requests. The adapter adds what doccano-client lacks:

- a timeout on every request and bounded retries with exponential backoff on connection errors,
  timeouts and 5xx answers (POSTs are retried only when the connection failed, i.e. when the
  request cannot have reached the server, so a retry never creates anything twice);
- TLS verification on by default (turning it off is explicit and logged as a warning);
- errors that say what failed in one line, as ``DoccanoUnavailable`` (cannot reach, 5xx after
  retries), ``DoccanoAuthError`` (bad credentials) or ``DoccanoError`` (anything else); no message
  ever contains the password;
- bounded waiting for doccano's background tasks (imports, exports), whose failures doccano
  reports in the task result instead of an HTTP error.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import os
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import requests
from doccano_client import DoccanoClient
from doccano_client.exceptions import DoccanoAPIError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import DoccanoAuthError, DoccanoError, DoccanoUnavailable

logger = logging.getLogger(__name__)

URL_ENV = "DOCCANO_URL"
USERNAME_ENV = "DOCCANO_USERNAME"
PASSWORD_ENV = "DOCCANO_PASSWORD"
SEQUENCE_LABELING = "SequenceLabeling"
#: doccano guesses a file's encoding with chardet unless told; we always send UTF-8 and say so.
UPLOAD_ENCODING = "utf_8"
RETRY_STATUS = frozenset({500, 502, 503, 504})


@dataclasses.dataclass(frozen=True)
class Credentials:
    """Where and as whom to log in. The password never appears in ``repr`` or in messages."""

    url: str
    username: str
    password: str = dataclasses.field(repr=False)

    def scrub(self, text: str) -> str:
        return text.replace(self.password, "***") if self.password else text


def credentials_from_env(
    *, url: str | None = None, prompt: Callable[[str, bool], str] | None = None
) -> Credentials:
    """Read DOCCANO_URL / DOCCANO_USERNAME / DOCCANO_PASSWORD; ask ``prompt`` for what is missing.

    ``prompt(label, hide)`` is given by an interactive CLI only. Credentials never come from argv.
    """
    url = url or os.environ.get(URL_ENV)
    username = os.environ.get(USERNAME_ENV)
    password = os.environ.get(PASSWORD_ENV)
    if not url:
        raise DoccanoAuthError(f"no doccano URL: set {URL_ENV} (or start one with `archival-ner doccano up`)")
    if not username and prompt:
        username = prompt("doccano username", False)
    if not password and prompt:
        password = prompt("doccano password", True)
    if not username or not password:
        raise DoccanoAuthError(f"no doccano credentials: set {USERNAME_ENV} and {PASSWORD_ENV}")
    return Credentials(url=url.rstrip("/"), username=username, password=password)


class _TimeoutAdapter(HTTPAdapter):
    """An HTTPAdapter that gives every request a timeout unless the caller set one."""

    def __init__(self, *, timeout: float, **kwargs: Any) -> None:
        self.timeout = timeout
        super().__init__(**kwargs)

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class Doccano:
    """A logged-in session with one doccano server."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        verify: bool = True,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.url = credentials.url
        self._credentials = credentials
        if not verify:
            logger.warning("TLS certificate verification is OFF for %s: the connection can be intercepted", self.url)
        if self.url.startswith("http://") and not _is_loopback(self.url):
            logger.warning("%s is plain http: the password travels unencrypted", self.url)
        self._client = DoccanoClient(self.url, verify=verify)
        # doccano-client keeps its requests.Session private; this is the one place we reach in.
        self._session: requests.Session = self._client._base_repository._session
        retry = Retry(
            total=retries, connect=retries, read=retries, status=retries, other=0,
            backoff_factor=backoff, status_forcelist=RETRY_STATUS,
            allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent methods only; POST is not
            raise_on_status=False, respect_retry_after_header=True,
        )
        adapter = _TimeoutAdapter(timeout=timeout, max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        with self._errors("logging in"):
            try:
                self._client.login(credentials.username, credentials.password)
            except DoccanoAPIError as err:
                if err.response is not None and err.response.status_code in (400, 401, 403):
                    raise DoccanoAuthError(
                        f"doccano at {self.url} rejected the username or password (user '{credentials.username}')"
                    ) from None
                raise

    # --- projects and label types ------------------------------------------------------------

    def find_project(self, name: str) -> dict | None:
        with self._errors("listing projects"):
            matches = [p for p in self._paged("projects") if p["name"] == name]
        if len(matches) > 1:
            raise DoccanoError(f"doccano has {len(matches)} projects named '{name}'; rename all but one")
        return matches[0] if matches else None

    def create_project(self, *, name: str, description: str, guideline: str) -> dict:
        body = {
            "name": name, "description": description, "guideline": guideline,
            "project_type": SEQUENCE_LABELING, "resourcetype": "SequenceLabelingProject",
            "collaborative_annotation": True,  # reviewers see the uploaded pre-annotations
            "allow_overlapping": True,  # a PROPOSAL contains PLACE, PERSON, ... spans
            "random_order": False, "grapheme_mode": False, "use_relation": False, "tags": [],
        }
        with self._errors(f"creating project '{name}'"):
            return self._client._base_repository.post("projects", json=body).json()

    def span_types(self, project_id: int) -> list[dict]:
        with self._errors("listing span labels"):
            return self._client._base_repository.get(f"projects/{project_id}/span-types").json()

    def create_span_type(self, project_id: int, *, text: str, color: str, key: str | None) -> dict:
        body = {"text": text, "background_color": color, "text_color": "#000000", "prefix_key": None, "suffix_key": key}
        with self._errors(f"creating span label {text}"):
            return self._client._base_repository.post(f"projects/{project_id}/span-types", json=body).json()

    def update_span_type(self, project_id: int, type_id: int, **fields: Any) -> dict:
        with self._errors(f"updating span label {type_id}"):
            response = self._session.patch(f"{self.url}/v1/projects/{project_id}/span-types/{type_id}", json=fields)
            _raise_for_status(response)
            return response.json()

    # --- examples and spans --------------------------------------------------------------------

    def examples(self, project_id: int) -> list[dict]:
        """Every example: id, text, meta, is_confirmed (any reviewer, collaborative projects)."""
        with self._errors("listing examples"):
            return list(self._paged(f"projects/{project_id}/examples", limit=500))

    def delete_examples(self, project_id: int, ids: list[int]) -> None:
        if not ids:  # doccano deletes *every* example when given an empty list
            return
        with self._errors(f"deleting examples {ids}"):
            self._client.example.bulk_delete(project_id, ids)

    def spans(self, project_id: int, example_id: int) -> list[dict]:
        with self._errors(f"reading spans of example {example_id}"):
            return self._client._base_repository.get(f"projects/{project_id}/examples/{example_id}/spans").json()

    def create_span(self, project_id: int, example_id: int, *, label_id: int, start: int, end: int) -> dict:
        body = {"label": label_id, "start_offset": start, "end_offset": end, "example": example_id}
        with self._errors(f"adding a span to example {example_id}"):
            return self._client._base_repository.post(f"projects/{project_id}/examples/{example_id}/spans", json=body).json()

    def update_span(self, project_id: int, example_id: int, span_id: int, **fields: Any) -> dict:
        with self._errors(f"changing span {span_id} of example {example_id}"):
            response = self._session.patch(
                f"{self.url}/v1/projects/{project_id}/examples/{example_id}/spans/{span_id}", json=fields
            )
            _raise_for_status(response)
            return response.json()

    def delete_span(self, project_id: int, example_id: int, span_id: int) -> None:
        with self._errors(f"deleting span {span_id} of example {example_id}"):
            self._client._base_repository.delete(f"projects/{project_id}/examples/{example_id}/spans/{span_id}")

    def confirm(self, project_id: int, example_id: int) -> None:
        """Mark an example as reviewed. (doccano's state endpoint toggles, so check first.)"""
        with self._errors(f"confirming example {example_id}"):
            example = self._client._base_repository.get(f"projects/{project_id}/examples/{example_id}").json()
            if not example["is_confirmed"]:
                self._client._base_repository.post(f"projects/{project_id}/examples/{example_id}/states", json={})

    # --- import and export ---------------------------------------------------------------------

    def upload_jsonl(self, project_id: int, path: Path) -> str:
        """Hand a JSONL file to doccano's importer; return the task id (see ``wait_task``)."""
        with self._errors(f"uploading {path.name}"):
            upload_id = self._client._data_import_repository.upload(str(path))
            return self._client._data_import_repository.ingest(
                project_id, [upload_id], SEQUENCE_LABELING, "JSONL",
                column_data="text", column_label="label", encoding=UPLOAD_ENCODING,
            )

    def wait_task(self, task_id: str, *, timeout: float = 600.0) -> dict:
        """Wait for a background task; return its result. A failed task raises DoccanoError."""
        deadline = time.monotonic() + timeout
        delay = 0.2
        while True:
            with self._errors(f"checking task {task_id}"):
                state = self._client._base_repository.get(f"tasks/status/{task_id}").json()
            if state.get("error"):
                raise DoccanoError(f"doccano task {task_id} failed: {state['error'].get('text', state['error'])}")
            if state.get("ready"):
                return state.get("result") or {}
            if time.monotonic() > deadline:
                raise DoccanoUnavailable(
                    f"doccano task {task_id} did not finish within {timeout:.0f} s (is its task worker running?)"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)

    def export_jsonl(self, project_id: int, *, confirmed_only: bool, timeout: float = 600.0) -> list[dict]:
        """Run doccano's own JSONL export and return its records (one dict per example)."""
        with self._errors("starting doccano's export"):
            response = self._client._base_repository.post(
                f"projects/{project_id}/download", json={"format": "JSONL", "exportApproved": confirmed_only}
            )
            task_id = response.json()["task_id"]
        self.wait_task(task_id, timeout=timeout)
        with self._errors("downloading doccano's export"):
            response = self._client._base_repository.get(f"projects/{project_id}/download", params={"taskId": task_id})
        try:
            archive = zipfile.ZipFile(io.BytesIO(response.content))
        except zipfile.BadZipFile:
            raise DoccanoError(f"doccano's export of project {project_id} is not a zip file") from None
        records = []
        for name in sorted(archive.namelist()):
            if not name.endswith(".jsonl"):
                continue
            # split on "\n" only: str.splitlines() also breaks at U+2028, U+0085, \x1c-\x1e, ...,
            # which doccano writes unescaped inside the JSON strings of a document's text
            for number, line in enumerate(archive.read(name).decode("utf-8").split("\n"), start=1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except ValueError as err:
                        raise DoccanoError(f"doccano's export {name}:{number}: not JSON ({err})") from None
        return records

    # --- plumbing ------------------------------------------------------------------------------

    def _paged(self, resource: str, **params: Any) -> Iterator[dict]:
        response = self._client._base_repository.get(resource, params=params or None).json()
        if isinstance(response, list):  # not paginated
            yield from response
            return
        seen_pages: set[str] = set()
        while True:
            yield from response["results"]
            next_page = response.get("next")
            if not next_page:
                return
            if next_page in seen_pages:  # a server whose "next" loops would page forever
                raise DoccanoError(f"doccano listed {resource} with a page link that repeats: {next_page}")
            seen_pages.add(next_page)
            response = self._client._base_repository.get(next_page).json()

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn transport and HTTP failures into one-line errors that never carry the password."""
        try:
            yield
        except (DoccanoError, DoccanoUnavailable, DoccanoAuthError):
            raise
        except DoccanoAPIError as err:
            code = err.response.status_code if err.response is not None else "?"
            body = self._credentials.scrub((err.response.text if err.response is not None else "")[:300])
            if code in RETRY_STATUS:
                raise DoccanoUnavailable(f"doccano at {self.url} failed while {action}: HTTP {code} (after retries)") from None
            if code in (401, 403):
                raise DoccanoAuthError(f"doccano at {self.url} refused {action}: HTTP {code} {body}") from None
            raise DoccanoError(f"doccano at {self.url} refused {action}: HTTP {code} {body}") from None
        except (requests.ConnectionError, requests.Timeout) as err:
            reason = type(err).__name__
            raise DoccanoUnavailable(f"cannot reach doccano at {self.url} while {action} ({reason})") from None
        except requests.RequestException as err:
            message = self._credentials.scrub(str(err))[:300]
            raise DoccanoUnavailable(f"talking to doccano at {self.url} failed while {action}: {message}") from None


def _raise_for_status(response: requests.Response) -> None:
    if response.status_code >= 400:
        raise DoccanoAPIError(f"HTTP {response.status_code}", response)


def _is_loopback(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")
