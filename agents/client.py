"""HTTP client of the workshop API (standard library only: the agent must start fast).

Every transport problem becomes `ServerUnreachable`; every HTTP error becomes
`ServerRejected(status, code, message, field)` built from the API's error body
`{"error": {"code", "message", "field"}}`, with `TokenRefused` for 401.
TLS certificates are always verified for https (a custom CA file may be given).
"""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.error
import urllib.request
from typing import Any

from agents.errors import AgentError

API_PREFIX = "/api/v1"
# Statuses worth retrying later: the same request may well succeed then.
TRANSIENT_STATUSES = frozenset({408, 425, 429})


class ClientError(AgentError):
    """Base error of the server link."""


class ServerUnreachable(ClientError):
    """The server could not be reached or did not answer in time."""


class ServerRejected(ClientError):
    """The server answered with an HTTP error."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        details: dict[str, Any] = {"status": status, "code": code}
        if field:
            details["field"] = field
        super().__init__(message, details)
        self.status = status
        self.code = code
        self.field = field

    @property
    def transient(self) -> bool:
        """True when a later retry may succeed (5xx, 408, 425, 429)."""
        return self.status >= 500 or self.status in TRANSIENT_STATUSES


class TokenRefused(ServerRejected):
    """401: the server refused the bench token (revoked, or another server)."""


def _rejection(status: int, raw: bytes) -> ServerRejected:
    try:
        decoded = json.loads(raw or b"{}")
    except ValueError:
        decoded = None  # not our JSON error body (a proxy's page): keep the status alone
    error = decoded.get("error") if isinstance(decoded, dict) else None
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code") or f"http_{status}")
    message = str(error.get("message") or f"HTTP {status}")
    field = error.get("field")
    cls = TokenRefused if status == 401 else ServerRejected
    return cls(status, code, message, field)


class ServerClient:
    """Calls the workshop's bench API; one instance per server and token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_file: str | None = None,
        timeout: float = 30.0,
        agent_version: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.agent_version = agent_version
        self._ssl = ssl.create_default_context(cafile=ca_file) if ca_file else None
        if self._ssl is None and self.base_url.startswith("https://"):
            self._ssl = ssl.create_default_context()

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send one JSON request; return (status, decoded body) or raise a ClientError."""
        data = None if body is None else json.dumps(body).encode()
        return self.request_raw(method, path, data)

    def request_raw(self, method: str, path: str, data: bytes | None) -> tuple[int, Any]:
        """Send bytes already encoded as JSON (the outbox keeps the exact body it sends)."""
        headers = {"Accept": "application/json", "Accept-Language": "en"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(
            self.base_url + API_PREFIX + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self._ssl) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as error:
            raise _rejection(error.code, error.read()) from error
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            # HTTPException: the connection broke mid-response (server killed).
            reason = getattr(error, "reason", None) or error
            url = {"url": self.base_url}
            raise ServerUnreachable(f"server unreachable: {reason}", url) from error
        try:
            return status, json.loads(raw or b"null")
        except ValueError as error:
            raise ServerRejected(status, "bad_response", "the server sent invalid JSON") from error

    def enroll(self, code: str, hostname: str | None) -> dict[str, Any]:
        """Trade a one-time enrollment code for this bench's token."""
        body = {"code": code, "hostname": hostname, "agent_version": self.agent_version}
        return self.request("POST", "/enroll", body)[1]

    def enroll_site(self, secret: str, hostname: str | None) -> dict[str, Any]:
        """Trade the site's reusable enrolment secret for a token of a new bench session."""
        body = {"secret": secret, "hostname": hostname, "agent_version": self.agent_version}
        return self.request("POST", "/enroll/site", body)[1]

    def heartbeat(self) -> dict[str, Any]:
        """Say the bench is alive; return the bench as the server sees it."""
        return self.request("POST", "/bench/heartbeat", {"agent_version": self.agent_version})[1]

    def put_disks(self, observed_at: str, disks: list[dict[str, Any]]) -> int:
        """Replace the set of disks the server shows for this bench; return its count."""
        body = {"observed_at": observed_at, "disks": disks}
        return int(self.request("PUT", "/bench/disks", body)[1]["count"])

    def get_tasks(self) -> list[dict[str, Any]]:
        """The tasks the server asks this bench to start, oldest first."""
        answer = self.request("GET", "/bench/tasks")[1]
        tasks = answer.get("tasks") if isinstance(answer, dict) else None
        if not isinstance(tasks, list):
            raise ServerRejected(200, "malformed_answer", "the task list is not a list")
        return tasks

    def put_progress(self, uid: str, progress: dict[str, Any]) -> None:
        """Report a running task's progress (latest wins; nothing is kept if it fails)."""
        self.request("PUT", f"/bench/tasks/{uid}/progress", progress)

    def send_record(self, body: bytes) -> tuple[int, dict[str, Any]]:
        """POST one outbox record (its exact stored JSON); 201 created, 200 duplicate."""
        return self.request_raw("POST", "/bench/records", body)
