"""print_pending on a real outbox: once per job, results queued, malformed answers refused.

The server is replaced by canned answers in the exact shape of GET /api/v1/bench/label-jobs
(the real server is exercised in tests/system/agents/sync/test_print_labels.py).
"""

from __future__ import annotations

import base64
import json

import pytest

from agents.outbox import Outbox
from agents.printing import MalformedJobs, print_pending
from labels.errors import PrinterUnreachableError


class CannedServer:
    def __init__(self, answer):
        self.answer = answer

    def request(self, method, path, body=None):
        assert (method, path) == ("GET", "/bench/label-jobs")
        return 200, self.answer


class Printer:
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def __call__(self, uri):
        self.uri = uri
        return self

    def send(self, data):
        if self.fail:
            raise PrinterUnreachableError(f"{self.uri}: connection refused")
        self.sent.append(data)


def _job(job_id, data=b"\x1b@label"):
    return {
        "id": job_id,
        "printer": {"uri": "tcp://192.0.2.1:9100"},
        "data_base64": base64.b64encode(data).decode(),
    }


def test_each_job_printed_once_while_its_result_waits(tmp_path):
    outbox, printer = Outbox(tmp_path / "outbox.sqlite3"), Printer()
    server = CannedServer([_job(7), _job(8, b"\x1b@other")])
    first = print_pending(server, outbox, tmp_path, opener=printer)
    assert [(o.job_id, o.printed) for o in first] == [(7, True), (8, True)]
    assert printer.sent == [b"\x1b@label", b"\x1b@other"]
    again = print_pending(server, outbox, tmp_path, opener=printer)
    assert again == [] and len(printer.sent) == 2
    bodies = [json.loads(outbox.get(i).body) for i in (1, 2)]
    assert [b["kind"] for b in bodies] == ["label.result", "label.result"]
    assert bodies[0]["payload"] == {"job_id": 7, "printed": True, "error": None}


def test_a_failed_print_is_reported_with_the_reason(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    [outcome] = print_pending(CannedServer([_job(9)]), outbox, tmp_path, opener=Printer(fail=True))
    assert not outcome.printed and "connection refused" in outcome.error
    payload = json.loads(outbox.get(1).body)["payload"]
    assert payload["printed"] is False and "connection refused" in payload["error"]


@pytest.mark.parametrize(
    "answer", [{"id": 1}, "jobs", [{"id": 1}], [_job(1) | {"data_base64": "%%"}]]
)
def test_malformed_answers_are_refused_before_anything_prints(tmp_path, answer):
    printer = Printer()
    with pytest.raises(MalformedJobs):
        print_pending(
            CannedServer(answer), Outbox(tmp_path / "o.sqlite3"), tmp_path, opener=printer
        )
    assert printer.sent == []


def test_a_file_printer_outside_the_folder_is_refused_and_nothing_written(tmp_path):
    from agents.printing import printer_opener
    from agents.settings import load_settings

    secret, folder = tmp_path / "bench.json", tmp_path / "printers"
    secret.write_bytes(b'{"token": "s3cret"}')
    folder.mkdir()
    (folder / "lp0").write_bytes(b"")
    jobs = [
        {**_job(1), "printer": {"uri": f"file://{secret}"}},
        {**_job(2), "printer": {"uri": f"file://{folder}/lp0"}},
    ]
    settings = load_settings(
        {"BENCH_CONFIG": str(tmp_path / "none.json"), "BENCH_PRINTER_FILE_DIR": str(folder)}
    )
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    server = CannedServer(jobs)
    outcomes = print_pending(server, outbox, tmp_path, opener=printer_opener(None))
    assert [o.printed for o in outcomes] == [False, False]
    assert all("must be a printer device" in o.error for o in outcomes)
    again = print_pending(
        CannedServer([{**jobs[1], "id": 3}]),
        outbox,
        tmp_path,
        opener=printer_opener(settings.printer_file_dir),
    )
    assert [o.printed for o in again] == [True]
    assert (folder / "lp0").read_bytes() == b"\x1b@label"
    assert secret.read_bytes() == b'{"token": "s3cret"}'
