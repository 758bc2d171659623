"""The address in QR codes and documents: the setting, or in development the request's host."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from workshop.settings import WorkshopSettings


def test_without_the_setting_links_use_the_address_the_request_came_to(app, monkeypatch):
    from workshop.web.public_url import public_base_url

    monkeypatch.setattr(app.config["WORKSHOP"], "public_base_url", "")
    with app.test_request_context("/", base_url="http://192.168.1.20:5000"):
        assert public_base_url() == "http://192.168.1.20:5000"
    monkeypatch.setattr(app.config["WORKSHOP"], "public_base_url", "https://atelier.example.org/")
    with app.test_request_context("/", base_url="http://evil.example"):
        assert public_base_url() == "https://atelier.example.org"


def test_production_needs_the_setting_and_it_must_be_an_address():
    strong = "s" * 40
    with pytest.raises(ValidationError, match="WORKSHOP_PUBLIC_BASE_URL must be set"):
        WorkshopSettings(env="production", secret_key=strong, public_base_url="")
    for wrong in ("atelier.example.org", "javascript:alert(1)", "https://a b", "ftp://x"):
        with pytest.raises(ValidationError, match="must be an http"):
            WorkshopSettings(public_base_url=wrong)
    settings = WorkshopSettings(
        env="production", secret_key=strong, public_base_url="https://atelier.example.org"
    )
    assert settings.public_base_url == "https://atelier.example.org"
