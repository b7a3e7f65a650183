"""Cache back-ends that fail soft: a dead or hung cache costs speed, never a 500 or a long wait.

Django's back-ends raise when their server is down (the cached_db session engine then fails
every editor's request) and wait for the client's timeout when it hangs. Here every cache call
that fails is answered as a miss, and the back-end stops asking its server for ``PAUSE``
seconds, so that a request makes at most one slow call however many it would have made:
sessions are then read from the database, and reader pages are built from it. This is the one
place that handles cache faults; callers treat the cache as always there, merely forgetful.
"""

import logging
import os
import pickle
import time
import zlib

from django.core.cache.backends import filebased, redis
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# Sent when a cache asks its server again after a failure, before the call that does: what a
# write missed meanwhile may need writing again (articles/cache.py renews the generation).
cache_resumed = Signal()


class FailSoftMixin:
    """Answer every failed call as a miss, then leave the server alone for ``PAUSE`` seconds.

    The first call after the pause sends ``cache_resumed`` first: a save made while the cache
    was unreachable could not tell it that pages changed, and the pages stored before would be
    served again once it answers.
    """

    failures = ()  # the exceptions that mean "the cache server is unavailable"
    PAUSE = 5.0

    _resume_at = 0.0
    _failed = False

    def _call(self, method, fallback, *args, **kwargs):
        if time.monotonic() < self._resume_at:
            return fallback
        if self._failed:
            self._failed = False
            cache_resumed.send(sender=type(self), cache=self)
            if time.monotonic() < self._resume_at:  # it failed again there
                return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except self.failures:
            # One cache instance per thread: this pause holds only for the thread that saw it.
            self._failed = True
            self._resume_at = time.monotonic() + self.PAUSE
            logger.exception("Cache unavailable; not asking it again for %.0f s", self.PAUSE)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=filebased.DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=filebased.DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=filebased.DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=filebased.DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` for each connection pool, reading
    through a connection of its own, and keeping the values of ``kept_keys`` while Redis
    promises to say when they change.

    Django makes a new ``redis.Redis`` for every cache call, and redis-py sets up some 170
    response callbacks in each: 0.3 ms of a 0.43 ms cache hit. The client object holds no
    connection of its own (the pool does), so one can serve every call.

    Reads (GET, MGET: every cache hit) go further: they send their command on one connection
    kept for them, where redis-py's client would take a connection from the pool and give it
    back, polling its socket and recording a dozen metrics each time (two thirds of the CPU of a
    GET). Django keeps one cache instance, so one client, per thread; the connection is made
    again in a forked process (gunicorn loads the site before it forks its workers), so that
    no two processes ever share a socket.

    The keys of ``kept_keys`` (the content generation, read on every cached page) are read
    once, then answered from the worker with no round trip for as long as both hold:
    - Redis has pushed no change of them. The reading connection speaks RESP3 and has Redis
      track those keys (``CLIENT TRACKING ON BCAST``), so a write from any process puts an
      invalidation on this connection's socket before the writer has its answer; each read
      looks for one there first (a poll of the socket, not a round trip). A write through this
      client forgets them at once, and so does a new connection (Redis may have restarted).
    - No more than ``kept_seconds`` have passed, the socket timeout by default. A frozen Redis
      pushes nothing, but a write it misses takes that long to fail: by then no worker trusts
      a value read before, so each asks, finds Redis silent and builds pages from the database,
      as when nothing is kept.
    Only immutable values belong there: every caller is given the same object.
    """

    def __init__(self, *args, kept_keys=(), kept_seconds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._reader = None
        self._reader_pid = None
        self._kept_keys = frozenset(kept_keys)
        self._kept_seconds = kept_seconds or kwargs.get("socket_timeout") or 0
        self._kept = {}  # key: (value, monotonic time until which it holds)

    def get_client(self, key=None, *, write=False):
        if write:
            self._kept.clear()
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]

    def _connection(self):
        if self._reader_pid != os.getpid():
            pool = self._get_connection_pool(write=False)
            options = dict(pool.connection_kwargs)
            if self._kept_keys:
                options["protocol"] = 3
            self._reader = pool.connection_class(**options)
            self._reader_pid = os.getpid()
            self._kept.clear()
            if self._kept_keys:
                self._reader._parser.set_invalidation_push_handler(self._invalidated)
                self._reader.register_connect_callback(self._track)
        return self._reader

    def _track(self, connection):
        self._kept.clear()
        prefixes = [part for key in sorted(self._kept_keys) for part in ("PREFIX", key)]
        connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", *prefixes)
        connection.read_response()

    def _invalidated(self, message):
        keys = message[1]  # None when the database was flushed
        if keys is None:
            self._kept.clear()
        for key in keys or ():
            self._kept.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _read(self, *command):
        reader = self._connection()
        if self._kept_keys:
            self._drain()
        try:
            reader.send_command(*command)
            return reader.read_response()
        except BaseException:
            # Whatever stopped the exchange halfway, the next command must not read this
            # one's answer: start again on a new connection.
            reader.disconnect()
            self._kept.clear()
            raise

    def _drain(self):
        """Read the invalidations that Redis pushed since the last command, one at a time.

        Read before every command: redis-py's parser reads those queued ahead of a reply
        recursively, a stack frame each, and a worker that read nothing while editors saved
        would find thousands there. A closed connection (Redis restarted) is dropped here, and
        the command that follows makes a new one.
        """
        if not self._reader.is_connected:
            return  # nothing kept: any connection made now will be asked to track afresh
        try:
            while self._reader.can_read(timeout=0):
                self._reader.read_response(push_request=True)
        except Exception:
            self._reader.disconnect()
            self._kept.clear()

    def _kept_value(self, key):
        """What is kept for ``key`` if it still holds, else None."""
        if key not in self._kept or self._reader_pid != os.getpid():
            return None
        self._drain()
        value, until = self._kept.get(key, (None, 0))
        return value if time.monotonic() < until else None

    def _keep(self, key, value, read_at):
        if key in self._kept_keys:
            self._kept[key] = (value, read_at + self._kept_seconds)

    def get(self, key, default):
        value = self._kept_value(key)
        if value is not None:
            return value
        read_at = time.monotonic()
        value = self._read("GET", key)
        if value is None:
            return default
        value = self._serializer.loads(value)
        self._keep(key, value, read_at)
        return value

    def get_many(self, keys):
        if not keys:
            return {}
        read_at = time.monotonic()
        values = self._read("MGET", *keys)
        found = {
            key: self._serializer.loads(v)
            for key, v in zip(keys, values, strict=True)
            if v is not None
        }
        for key, value in found.items():
            self._keep(key, value, read_at)
        return found


class RedisCache(FailSoftMixin, redis.RedisCache):
    """Django's Redis cache, whose calls to a hung server give up after a quarter of a second.

    The client would otherwise wait for the operating system (a frozen server accepts
    connections and never answers). A healthy Redis on the same network answers in well under
    a millisecond. OPTIONS can still set other values.
    """

    failures = (RedisError, OSError)
    timeouts = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}

    def __init__(self, server, params):
        options = {**self.timeouts, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        # The client sees whole keys, prefix and version included.
        kept_keys = [self.make_key(key) for key in options.get("kept_keys", ())]
        self._options = {**options, "kept_keys": kept_keys}


class FileBasedCache(FailSoftMixin, filebased.FileBasedCache):
    """Django's file cache, which a full or read-only disk would otherwise turn into 500s.

    Django culls by listing the whole folder before every write: 1.6 ms at 1,000 entries,
    more than the write itself, paid by every page built. Here each process culls on one
    write in ``CULL_EVERY``: the folder may grow by that many entries a worker beyond
    MAX_ENTRIES before a cull takes a third of it away.
    """

    failures = (OSError,)
    CULL_EVERY = 20

    _writes = 0

    def _write_content(self, file, timeout, value):
        # Stored without compression (zlib level 0, the format Django reads): decompressing a
        # page took a fifth of every cache hit, where the disk space saved is a few MB.
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 0))

    def _cull(self):
        self._writes += 1
        if self._writes % self.CULL_EVERY == 0:
            super()._cull()
