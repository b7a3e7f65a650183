"""What a test does when a service it needs (a browser, a database server) is missing."""

import os

import pytest


def require(available, reason):
    """Skip the test without the service; under CI=true a missing service fails it instead."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: every service must be present)")
    pytest.skip(reason)
