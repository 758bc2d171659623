"""The web UI (French first): one blueprint per feature."""

from __future__ import annotations

from flask import Flask

from workshop.web import (
    admin,
    admin_benches,
    admin_identity,
    admin_users,
    auth,
    benches,
    catalogue,
    devices,
    documents,
    donations,
    eventlog,
    main,
    needs,
    netboot,
    portal,
    printing,
    public,
    reservations,
    stock,
    waste,
)
from workshop.web.labels import register_template_helpers


def register_web(app: Flask) -> None:
    """Register the UI blueprints and template helpers."""
    for module in (auth, main, devices, donations, benches, printing, documents, portal, public):
        app.register_blueprint(module.bp)
    for module in (waste, stock, eventlog, netboot):
        app.register_blueprint(module.bp)
    for module in (catalogue, needs, reservations):
        app.register_blueprint(module.bp)
    for module in (admin, admin_users, admin_identity, admin_benches):
        app.register_blueprint(module.bp)
    register_template_helpers(app)
