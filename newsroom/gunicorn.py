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


def pre_request(worker, req):
    """Keep the garbage collector out of the request a sync worker serves.

    A page leaves many objects alive while it is built (rows, model instances, template nodes),
    so a collection that falls in it walks them all: the middle generation's took 1.4-2.5 ms,
    up to 7, in about one request in eleven. Once the response is sent they are freed by their
    reference counts, and the collection the worker owes runs on what is left, between requests
    (``post_request``). A threaded worker keeps the collector as it is: one thread's request
    would switch it back on in the middle of another's.
    """
    if worker.cfg.threads == 1:
        gc.disable()


def post_request(worker, req, environ, resp):
    """Switch the collector back on once the response is sent: the next allocation past its
    threshold runs the collection the request put off, before the worker takes another."""
    gc.enable()
