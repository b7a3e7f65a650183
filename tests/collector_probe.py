"""A WSGI application that tells what Python's garbage collector does around the requests it
serves, served by tests/test_gunicorn.py with the site's gunicorn settings.

Each request leaves cyclic garbage, which only the collector frees, and answers whether the
collector was on while it ran and how many collections its process has run so far.
"""

import gc
import json

GARBAGE_CYCLES = 2000  # each request's, more than the young generation's threshold (700)


def application(environ, start_response):
    for _ in range(GARBAGE_CYCLES):
        cycle = []
        cycle.append(cycle)
    body = json.dumps(
        {
            "collector_on": gc.isenabled(),
            "collections": sum(generation["collections"] for generation in gc.get_stats()),
        }
    ).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
