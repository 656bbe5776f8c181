"""A throw-away PostgreSQL + PostGIS server for the tests: initdb/pg_ctl in a temporary
directory, a Unix socket there and a loopback port, stopped and deleted at the end.

No system service is needed (``make test`` installs ``postgresql`` and
``postgresql-15-postgis-3``). As root, the server runs as the ``postgres`` system user:
PostgreSQL refuses to run as root.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "eit_admin"
ADMIN_PASSWORD = "admin-secret-4p"
READER = "eit_reader"
READER_PASSWORD = "reader-secret-7q"
DATABASE = "eit"
NO_POSTGIS_DATABASE = "eit_nopostgis"


def find_bin_dir() -> Path | None:
    """The newest PostgreSQL bin folder whose server has the PostGIS extension installed."""
    for bin_dir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        version = bin_dir.split("/")[-2]
        has_postgis = glob.glob("/usr/share/postgresql/{}/extension/postgis.control".format(version))
        if os.path.exists(os.path.join(bin_dir, "initdb")) and has_postgis:
            return Path(bin_dir)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bin_dir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def _cmd(self, args: list) -> list:
        return (["runuser", "-u", self.run_as, "--"] if self.run_as else []) + args

    def _run(self, args: list, **kwargs):
        return subprocess.run(self._cmd(args), check=True, capture_output=True, text=True, **kwargs)

    def start(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        if self.run_as:
            os.chown(pwfile, *self._ids())
        self._run([str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", ADMIN, "--pwfile", str(pwfile),
                   "-A", "scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        pwfile.unlink()
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "shared_buffers = 128MB\nmax_connections = 50\n".format(self.port, self.socket_dir))
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                   "-w", "-t", "60", "start"])
        self.psql("postgres", "CREATE DATABASE {};".format(DATABASE))
        self.psql("postgres", "CREATE DATABASE {};".format(NO_POSTGIS_DATABASE))
        self.psql(DATABASE, "CREATE EXTENSION postgis;")
        # A role that may read but not create anything: the "schema without write rights" case.
        self.psql("postgres", "CREATE ROLE {} LOGIN PASSWORD '{}';".format(READER, READER_PASSWORD))
        self.psql(DATABASE, "REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE {} FROM PUBLIC;"
                  .format(DATABASE))

    def _ids(self):
        entry = pwd.getpwnam(self.run_as)
        return entry.pw_uid, entry.pw_gid

    def stop(self) -> None:
        subprocess.run(self._cmd([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, text=True)

    def psql(self, database: str, sql: str) -> str:
        """Run SQL as the superuser through the socket; return the unaligned output."""
        result = subprocess.run(
            [str(self.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir),
             "-p", str(self.port), "-U", ADMIN, "-d", database, "-f", "-"],
            input=sql, check=True, capture_output=True, text=True)
        return result.stdout.strip()

    def uri(self, database: str = DATABASE, user: str = ADMIN, password: str | None = ADMIN_PASSWORD, **extra) -> str:
        """A QGIS data source URI (host/port/user/password) for a loopback connection."""
        from qgis.core import QgsDataSourceUri

        uri = QgsDataSourceUri()
        uri.setConnection("127.0.0.1", str(self.port), database, user, password or "")
        for key, value in extra.items():
            uri.setParam(key, value)
        return uri.uri(False)

    def ogr_dsn(self, database: str = DATABASE) -> str:
        return "PG:host=127.0.0.1 port={} dbname={} user={} password={}".format(self.port, database, ADMIN, ADMIN_PASSWORD)

    def ogr2ogr(self, source: str, layer: str | None, table: str, schema: str = "public", extra=()) -> None:
        """Load a layer with ogr2ogr as a GIS team does: lower-case field names, ``geom``."""
        args = ["ogr2ogr", "-f", "PostgreSQL", self.ogr_dsn(), source]
        if layer:
            args.append(layer)
        args += ["-nln", "{}.{}".format(schema, table), "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=gid",
                 "-overwrite", *extra]
        subprocess.run(args, check=True, capture_output=True, text=True)


def start_server() -> PgServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL with PostGIS is not installed (postgresql, postgresql-15-postgis-3)")
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="eit_pg_"))
    (root / "socket").mkdir()
    if run_as:
        uid, gid = pwd.getpwnam(run_as).pw_uid, pwd.getpwnam(run_as).pw_gid
        for path in (root, root / "socket"):
            os.chown(path, uid, gid)
    server = PgServer(bin_dir, root, _free_port(), run_as)
    try:
        server.start()
    except Exception:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


def stop_server(server: PgServer) -> None:
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)
