"""Gunicorn settings, read with ``gunicorn -c python:newsroom.gunicorn``."""

import gc
import multiprocessing
import os

# Loopback unless an application server behind Varnish on another machine names its private
# address; never a public one (deploy/README.md).
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Load the app once in the master so workers start fast and share memory.
preload_app = True
accesslog = "-"
errorlog = "-"
# gunicorn's control socket (for gunicornc) defaults to one path per user: every gunicorn of
# that user, such as a second site or a test server, would take it over or delete it. Nothing
# here uses it; signals reload and stop the server.
control_socket_disable = True


def pre_fork(server, worker):
    """Take what the master loaded (Django, the project's code and settings) out of the garbage
    collector's reach before each worker is forked from it.

    It lives as long as the worker, yet each full collection walked all of it again (61 ms of
    the request it fell in), writing to each object's header and so copying, in every worker,
    the memory it shares with the master.
    """
    gc.freeze()
