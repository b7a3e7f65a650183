"""Real servers for the tests of a site spread over machines, each started on a free port of
127.0.0.1 and stopped afterwards: an S3 emulator, Varnish, nginx, a streaming PostgreSQL pair.

Each helper is a context manager. A missing program skips the test, or fails it under CI=true
(tests.services.require).
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

from tests.services import require

BASE_DIR = Path(__file__).resolve().parent.parent
# moto's standalone server is an emulator of Amazon S3, not S3 itself; any key pair is accepted.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-tests", "AWS_SECRET_ACCESS_KEY": "not-a-secret"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {Path(log).read_text()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"not listening on {port} after {timeout} s")


@contextlib.contextmanager
def process(command, port, log, **options):
    """``command`` running until the block ends, once it listens on ``port``."""
    with open(log, "w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **options)
    try:
        wait_until_listening(port, server, log)
        yield server
    finally:
        stop(server)


def stop(server, timeout=15):
    """Stop ``server`` as an operator would (SIGTERM); kill it, with a warning that names it,
    if it outlives ``timeout``: what a test checked stands, and the hang shows in the report."""
    server.terminate()
    try:
        server.wait(timeout)
    except subprocess.TimeoutExpired:
        warnings.warn(f"killed after {timeout} s: {server.args}", stacklevel=2)
        server.kill()
        server.wait()


@contextlib.contextmanager
def s3_server():
    """moto's S3 emulator; yields its endpoint URL."""
    with s3_emulator() as (endpoint, _):
        yield endpoint


@contextlib.contextmanager
def s3_emulator():
    """moto's S3 emulator; yields its endpoint URL and its process, to stop or freeze."""
    require(shutil.which("moto_server", path=Path(sys.executable).parent), "moto is not installed")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-s3-") as folder:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        with process(command, port, Path(folder) / "moto.log") as server:
            yield f"http://127.0.0.1:{port}", server


def make_bucket(endpoint, name):
    """A new, empty bucket on ``endpoint``."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **lowercase())
    client.create_bucket(Bucket=name)
    # Readers fetch media straight from the bucket: anyone may read, as deploy/README.md says.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read(name)))
    return client


def public_read(bucket):
    """The bucket policy that lets anyone read (never list or write) a bucket's files."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def lowercase(credentials=S3_CREDENTIALS):
    return {name.lower(): value for name, value in credentials.items()}


def get(url, headers=None, timeout=10):
    """(status, headers, body) of a GET, with no redirect followed and no error raised."""
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def environment(**variables):
    """This process's environment without the run's own service settings, plus ``variables``."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "DATABASE_URL", "DATABASE_REPLICA_URL", "MEDIA_BUCKET"}
    }
    return {**kept, **{name: str(value) for name, value in variables.items()}}


def readable_folder(prefix):
    """A temporary folder that servers dropping root's rights (varnish, nginx's workers) read."""
    folder = tempfile.TemporaryDirectory(prefix=prefix)
    os.chmod(folder.name, 0o755)
    return folder


@contextlib.contextmanager
def varnish(backend_port):
    """Varnish with deploy/varnish.vcl in front of the site on ``backend_port``; its URL."""
    varnishd = shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")
    require(varnishd, "Varnish is not installed (apt-get install varnish varnish-modules)")
    require(
        list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")),
        "varnish-modules (xkey) is not installed",
    )
    port = free_port()
    with readable_folder("newsroom-varnish-") as folder:
        vcl = Path(folder) / "site.vcl"
        text = (BASE_DIR / "deploy" / "varnish.vcl").read_text()
        vcl.write_text(
            text.replace("BACKEND_HOST", "127.0.0.1").replace("BACKEND_PORT", str(backend_port))
        )
        vcl.chmod(0o644)
        command = [
            varnishd,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(Path(folder) / "work"),
            "-s",
            "malloc,64m",
            # No management port: nothing else listens.
            "-T",
            "none",
        ]
        with process(command, port, Path(folder) / "varnish.log"):
            yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def nginx(upstream_port, static_root):
    """nginx with deploy/nginx.conf in front of ``upstream_port``; its URL."""
    binary = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    require(binary, "nginx is not installed (apt-get install nginx)")
    port = free_port()
    with readable_folder("newsroom-nginx-") as folder:
        conf = Path(folder) / "nginx.conf"
        text = (BASE_DIR / "deploy" / "nginx.conf").read_text()
        for placeholder, value in (
            ("LISTEN", f"127.0.0.1:{port}"),
            ("UPSTREAM", f"127.0.0.1:{upstream_port}"),
            ("STATIC_ROOT", str(static_root)),
            ("RUN_DIR", folder),
        ):
            text = text.replace(placeholder, value)
        # Root's test run: workers keep root's rights to read the run's temporary folders.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(text.replace("user www-data;", user))
        command = [binary, "-c", str(conf), "-p", folder, "-g", "daemon off;"]
        with process(command, port, Path(folder) / "nginx.log"):
            yield f"http://127.0.0.1:{port}"


def postgres_programs():
    """The folder of PostgreSQL's server programs (Debian's postgresql package), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
    return found[-1].parent if found else None


def as_postgres(command):
    """PostgreSQL refuses to run as root: under root, run ``command`` as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_pair():
    """A PostgreSQL primary and a streaming replica made from it with pg_basebackup, each on
    a free port; yields (primary URL, replica URL) to a database named newsroom on each."""
    programs = postgres_programs()
    require(programs, "PostgreSQL's server programs are not installed (apt-get install postgresql)")
    with readable_folder("newsroom-postgres-") as folder:
        folder = Path(folder)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        primary, replica = folder / "primary", folder / "replica"
        primary_port, replica_port = free_port(), free_port()

        def run(program, *arguments, check=True):
            command = as_postgres([str(programs / program), *arguments])
            return subprocess.run(command, check=check, capture_output=True)

        run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")

        def server(data, port):
            command = [
                str(programs / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={folder}",
                "-c",
                "fsync=off",
            ]
            return process(as_postgres(command), port, folder / f"{data.name}.log")

        def wait_until_ready(port):
            """Listening is not ready: a server starting up refuses connections for a while."""
            deadline = time.monotonic() + 30
            while run(
                "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port), check=False
            ).returncode:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL on {port} not ready after 30 s")
                time.sleep(0.1)

        with server(primary, primary_port):
            wait_until_ready(primary_port)
            run(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(replica),
                "-R",  # a standby, streaming from the primary
                "-X",
                "stream",
            )
            with server(replica, replica_port):
                wait_until_ready(replica_port)
                run(
                    "createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(primary_port),
                    "-U",
                    "postgres",
                    "newsroom",
                )
                yield (
                    f"postgres://postgres@127.0.0.1:{primary_port}/newsroom",
                    f"postgres://postgres@127.0.0.1:{replica_port}/newsroom",
                )


@contextlib.contextmanager
def redis_server():
    """A Redis server of the test's own, keeping nothing on disk; yields its URL."""
    binary = shutil.which("redis-server")
    require(binary, "redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-redis-") as folder:
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", folder]
        with process(command, port, Path(folder) / "redis.log"):
            yield f"redis://127.0.0.1:{port}/0"
