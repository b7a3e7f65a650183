"""What a test does when a service it needs (a browser, a database server) is missing."""

import os
import unittest


def require(available, reason):
    """Skip the test without the service; under CI=true a missing service fails it instead.

    Raised as Exceptions, not as pytest's outcomes (BaseExceptions): pytest runs a test class's
    cleanups after a setUpClass that raised an Exception only, and without them the servers
    that setUpClass had started before the missing one outlived the run.
    """
    if available:
        return
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"{reason} (CI=true: every service must be present)")
    raise unittest.SkipTest(reason)
