"""What the benchmarks that serve the portal share: notes on stderr, a PostgreSQL database of their own, a free
loopback port, and the portal's environment with DEBUG off."""

import os
import secrets
import signal
import socket
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def note(text):
    print(text, file=sys.stderr, flush=True)


def server_url():
    """The PostgreSQL server the benchmarks create their databases on: BENCH_PG_URL's, else a PostgreSQL
    DATABASE_URL's, else 127.0.0.1:5432 (its maintenance database, from which the others are created)."""
    for name in ("BENCH_PG_URL", "DATABASE_URL"):
        parts = urlsplit(os.environ.get(name) or "")
        if parts.scheme in {"postgres", "postgresql", "pgsql"}:
            return urlunsplit(parts._replace(path="/postgres"))
    return DEFAULT_SERVER


def database_command(server, statement):
    import psycopg2

    connection = psycopg2.connect(server, connect_timeout=5)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def create_database(server, name):
    """A database of this name, created afresh; its URL."""
    from psycopg2 import sql

    database_command(server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    database_command(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_database(server, name):
    from psycopg2 import sql

    try:
        database_command(server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    except Exception as exc:  # noqa: BLE001 - the end of the run goes on; say what was left behind
        note(f"could not drop the database {name}: {exc}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_env(database_url, port, static_root, **extra):
    """The portal's environment for one run: DEBUG off, secrets of its own, quiet logs; `extra` adds or
    overrides variables."""
    import base64

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "DJANGO_MEMBER_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DJANGO_MEMBER_INDEX_KEY": secrets.token_urlsafe(40),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


def stop(process):
    """Stop a server started in a session of its own (start_new_session), and everything it started."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
