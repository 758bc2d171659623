"""`bench-agent print-labels`: print the label jobs queued for this bench, once.

Sample run::

    $ bench-agent print-labels
    job 12 on usb://0416:5011: printed
    1 label job handled; results queued for the server (bench-agent sync sends them now)
    $ bench-agent print-labels
    no label job waiting
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `print-labels` subcommand."""
    parser = subparsers.add_parser(
        "print-labels", help="print the label jobs the workshop queued for this bench"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """One pass: fetch, print, queue the results; exit 1 if a job failed or the server is away."""
    from pathlib import Path

    from agents.client import ClientError
    from agents.errors import AgentError
    from agents.printing import LabelsMissing, print_pending, printer_opener, require_labels
    from agents.settings import load_settings
    from agents.sync.link import fail, make_client, open_outbox

    try:
        require_labels()
    except LabelsMissing as exc:
        return fail(exc.message, 2)
    try:
        settings = load_settings()
        outcomes = print_pending(
            make_client(settings),
            open_outbox(settings),
            Path(settings.state_dir),
            opener=printer_opener(settings.printer_file_dir),
        )
    except ClientError as exc:
        return fail(exc.message)
    except AgentError as exc:
        return fail(str(exc), 2)
    for outcome in outcomes:
        state = "printed" if outcome.printed else f"failed ({outcome.error})"
        print(f"job {outcome.job_id} on {outcome.uri}: {state}")
    if not outcomes:
        print("no label job waiting")
    else:
        noun = "job" if len(outcomes) == 1 else "jobs"
        print(
            f"{len(outcomes)} label {noun} handled; results queued for the server "
            "(bench-agent sync sends them now)"
        )
    return 0 if all(o.printed for o in outcomes) else 1
