"""gunicorn's settings for the portal: `gunicorn --config gunicorn.conf.py campaign_portal.wsgi`.

Chosen with `make bench-load` on two cores (see the README, "Deadline-day load"); each can be set from the
environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""

import datetime
import os
import time
import zoneinfo

from gunicorn import glogging

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def _whole_number(name, default, lowest=1):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a whole number; got {value!r}") from exc
    if number < lowest:
        raise RuntimeError(f"{name} must be {lowest} or more; got {number}")
    return number


# Behind the reverse proxy on the same machine (deploy/nginx.conf.example).
bind = [os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"]
workers = _whole_number("GUNICORN_WORKERS", 4)
threads = _whole_number("GUNICORN_THREADS", 1)
# Measured with 30 users on two cores once pages cost tens of milliseconds (2x8, 4x2, 3x4 and 4x1 side by side):
# 4 single-threaded workers served the most requests per second with the lowest median and p95 (32 and 180 ms,
# against 55 and 386 ms for 2 workers of 8 threads), in about 450 MB for the four. The pages are work for Python
# more than waits on the database, and threads of one worker take turns at Python: a download being written slowed
# every page its worker served. Threads (GUNICORN_THREADS) still suit a server whose database is far away.
worker_class = "gthread" if threads > 1 else "sync"

# The Excel summary, the briefing and a registry export of up to BACKGROUND_EXPORT_ROWS rows are written in the
# request: give them time. nginx's proxy_read_timeout matches.
timeout = _whole_number("GUNICORN_TIMEOUT", 120)
# On a restart, requests under way (a download) may finish.
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests, the workers not all at once, so that memory a long day of
# exports leaves behind is given back.
max_requests = 2000
max_requests_jitter = 200

# Each worker loads the portal itself: a restart of one (max_requests) reads the code as deployed.
preload_app = False

# Logs to stdout and stderr, i.e. systemd's journal; the access log in Beijing time, whatever the machine's zone.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# The error log's times come from the process's zone.
os.environ.setdefault("TZ", "Asia/Shanghai")
time.tzset()


class BeijingTimeLogger(glogging.Logger):
    """gunicorn's logger, with the access log's time (%(t)s) in Beijing time."""

    def now(self):
        return datetime.datetime.now(BEIJING).strftime("[%d/%b/%Y:%H:%M:%S %z]")


logger_class = BeijingTimeLogger
