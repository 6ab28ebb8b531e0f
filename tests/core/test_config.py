"""Settings: outside debug and testing the application refuses to start with secrets that
anyone could guess, and starts once both are set."""
from __future__ import annotations

import pytest

from app import config, create_app
from app.config import UnsafeConfiguration

GOOD_SECRET = "9pX4-secret-key-for-this-test-only-aZ0qLm7"
GOOD_DATA_KEY = "Qw3r-data-key-for-this-test-only-Tz8vBn1k"

pytestmark = pytest.mark.no_database


@pytest.fixture(autouse=True)
def production_environment(monkeypatch):
    """A process environment that sets nothing, as on a fresh server."""
    for name in ("FLASK_DEBUG", "SECRET_KEY", "DATA_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def production(tmp_path, **settings) -> dict:
    values = {"SECRET_KEY": GOOD_SECRET, "DATA_KEY": GOOD_DATA_KEY,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jiyi.sqlite3'}"}
    values.update(settings)
    return values


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATA_KEY"])
def test_production_refuses_to_start_without_a_key(tmp_path, name):
    with pytest.raises(UnsafeConfiguration, match=name):
        create_app(production(tmp_path, **{name: ""}))


@pytest.mark.parametrize("name, dev_value", [("SECRET_KEY", config.DEV_SECRET_KEY),
                                             ("DATA_KEY", config.DEV_DATA_KEY)])
def test_production_refuses_to_start_with_the_development_key(tmp_path, name, dev_value):
    with pytest.raises(UnsafeConfiguration, match=name):
        create_app(production(tmp_path, **{name: dev_value}))


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATA_KEY"])
def test_production_refuses_to_start_with_a_short_key(tmp_path, name):
    with pytest.raises(UnsafeConfiguration, match=name):
        create_app(production(tmp_path, **{name: "short-key"}))


def test_production_refuses_to_start_when_the_environment_sets_no_keys(tmp_path):
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jiyi.sqlite3'}"})


def test_production_starts_with_both_keys_set(tmp_path):
    app = create_app(production(tmp_path))
    assert (app.debug, app.testing) == (False, False)
    assert (app.config["SECRET_KEY"], app.config["DATA_KEY"]) == (GOOD_SECRET, GOOD_DATA_KEY)


def test_production_takes_both_keys_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("DATA_KEY", GOOD_DATA_KEY)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jiyi.sqlite3'}"})
    assert (app.config["SECRET_KEY"], app.config["DATA_KEY"]) == (GOOD_SECRET, GOOD_DATA_KEY)


def test_debug_starts_with_the_development_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jiyi.sqlite3'}"})
    assert (app.config["SECRET_KEY"], app.config["DATA_KEY"]) == (config.DEV_SECRET_KEY, config.DEV_DATA_KEY)
