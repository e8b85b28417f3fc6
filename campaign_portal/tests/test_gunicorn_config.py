"""gunicorn.conf.py loads, gunicorn accepts every value in it, and the environment overrides them."""

import runpy
import time
from pathlib import Path

import pytest
from gunicorn.config import Config

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
OVERRIDES = ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT")


def load(monkeypatch, **env):
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(CONFIG))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn's own validation of each setting
    return config


def test_defaults_serve_on_loopback_with_workers_of_their_own(monkeypatch):
    config = load(monkeypatch)
    assert config.bind == ["127.0.0.1:8000"]
    assert config.workers >= 1
    assert config.threads >= 1
    assert config.worker_class_str == ("gthread" if config.threads > 1 else "sync")
    assert config.timeout >= 120
    assert config.max_requests > 0
    assert config.max_requests_jitter > 0
    assert config.accesslog == "-"
    assert config.errorlog == "-"
    assert config.preload_app is False


def test_environment_overrides_the_values(monkeypatch):
    config = load(
        monkeypatch, GUNICORN_BIND="0.0.0.0:9000", GUNICORN_WORKERS="5", GUNICORN_THREADS="1", GUNICORN_TIMEOUT="300"
    )
    assert config.bind == ["0.0.0.0:9000"]
    assert (config.workers, config.threads, config.timeout) == (5, 1, 300)
    assert config.worker_class_str == "sync"


def test_a_mistyped_number_stops_the_start(monkeypatch):
    with pytest.raises(RuntimeError, match="GUNICORN_WORKERS"):
        load(monkeypatch, GUNICORN_WORKERS="three")


def test_access_log_time_is_beijing_time(monkeypatch):
    config = load(monkeypatch)
    stamp = config.logger_class(config).now()
    assert stamp.endswith("+0800]")
    assert time.strftime("%Y") in stamp
