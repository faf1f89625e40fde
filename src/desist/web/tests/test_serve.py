"""`desist serve`: gunicorn on the loopback address, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from desist.cli import app
from desist.web.cli import default_workers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_has_help_with_workers_and_the_development_server() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--workers" in result.output and "--dev" in result.output
    assert 2 <= default_workers() <= 8


def test_gunicorn_serves_the_sign_in_page_and_ctrl_c_stops_it_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DESIST_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "desist", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline, status = time.monotonic() + 60, 0
        while time.monotonic() < deadline and not status:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as r:
                    status = r.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        server.send_signal(signal.SIGINT)  # what Ctrl-C sends
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, err
    assert f"Serving http://127.0.0.1:{port}/ with 2 workers" in out
    assert "Traceback" not in err
