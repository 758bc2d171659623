"""JSON API under /api/v1 for benches and integrations (bearer tokens, one error format)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Importing the endpoint modules registers their routes on `bp`.
import workshop.api.documents  # noqa: E402, F401
import workshop.api.reservations  # noqa: E402, F401
from workshop.api import (  # noqa: E402, F401
    bench_link,
    bench_tasks,
    benches,
    devices,
    donations,
    meta,
    printing,
    stock,
)
