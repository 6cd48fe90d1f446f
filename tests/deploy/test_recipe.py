"""The deployment recipe in deploy/: what can be checked without a container engine.

No image registry is reachable from the development machines, so the image cannot be built
here (podman installs from Debian, but has no base image to start from). What is checked: the
Dockerfile's shape (two stages, the frontend built in the first, a user without privileges in
the second, the Makefile targets it runs exist), the compose file's shape (every service the
recipe promises, in the right order, with the right commands and health checks), and the
commands the services run, run here outside a container against real PostgreSQL and Redis:
the migrations, a worker and its health check, its graceful stop, and the app's readiness.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from bookbug.db.migrations import at_head
from tests.app_server import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_image_is_built_in_two_stages_with_the_frontend_and_runs_as_a_user_without_privileges():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)", text, re.MULTILINE)
    assert stages == ["build", "runtime"]
    build, runtime = text.split("AS runtime", 1)
    assert "reflex export --frontend-only" in build  # the frontend is built into the image
    assert re.search(r"^USER bookbug$", runtime, re.MULTILINE) and "useradd --uid 10001" in runtime
    assert "COPY --from=build --chown=bookbug:bookbug /app /app" in runtime
    targets = re.search(r"RUN make (.+)$", build, re.MULTILINE).group(1).split()
    dry = subprocess.run(["make", "-n", *targets], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr


def test_compose_runs_migrations_once_before_the_app_and_workers_behind_a_tls_proxy():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "app", "worker", "proxy"}
    assert services["migrate"]["command"] == ["python", "-m", "bookbug.startup"]
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["worker"]["command"] == ["python", "-m", "workers"]
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "python", "-m", "workers", "--check"]
    grace = float(re.search(r"(\d+)", services["worker"]["environment"]["WORKER_SHUTDOWN_GRACE"]).group(1))
    assert float(services["worker"]["stop_grace_period"].rstrip("s")) > grace  # the worker hands back itself
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "443:443" in services["proxy"]["ports"]
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy app:3000" in caddy and "{$DOMAIN}" in caddy


def _environment(db_url: str, redis_url: str, tmp_path: Path, service: str) -> dict[str, str]:
    """The service's environment from compose.yaml, its hosts pointed at this machine's services."""
    declared = {k: str(v) for k, v in compose()["services"][service]["environment"].items()}
    declared.update(DATABASE_URL=db_url, REDIS_URL=redis_url, DATA_DIR=str(tmp_path / "data"),
                    APP_URL="https://localhost")
    declared = {k: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", v) for k, v in declared.items()}
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "BOOKBUG_TEST"))}, **declared,
            "PYTHONPATH": str(ROOT)}


def _command(argv: list[str]) -> list[str]:
    return [sys.executable if argv[0] == "python" else str(ROOT / ".venv" / "bin" / argv[0]), *argv[1:]]


def test_the_services_commands_migrate_run_a_worker_check_its_health_and_stop_it_gracefully(
    postgres_url, redis_url, tmp_path
):
    services = compose()["services"]
    migrate = subprocess.run(_command(services["migrate"]["command"]), cwd=ROOT, capture_output=True, text=True,
                             env=_environment(postgres_url, redis_url, tmp_path, "migrate"))
    assert migrate.returncode == 0, migrate.stderr
    assert at_head(postgres_url)

    env = _environment(postgres_url, redis_url, tmp_path, "worker")
    env["WORKER_METRICS_PORT"] = str(free_port())  # the container's 9101 may be taken on this machine
    check = _command(services["worker"]["healthcheck"]["test"][1:])
    assert subprocess.run(check, cwd=ROOT, env=env).returncode == 1  # nobody there yet
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen(_command(services["worker"]["command"]), cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(check, cwd=ROOT, env=env).returncode != 0:
            assert worker.poll() is None and time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.5)
        metrics = httpx.get(f"http://127.0.0.1:{env['WORKER_METRICS_PORT']}/metrics", timeout=10).text
        assert "bookbug_engine_runs" in metrics
        worker.send_signal(signal.SIGTERM)  # what `docker compose stop` sends
        assert worker.wait(timeout=float(services["worker"]["stop_grace_period"].rstrip("s"))) == 0
    finally:
        if worker.poll() is None:
            worker.kill()


def test_the_apps_health_check_passes_once_it_is_ready(postgres_url, redis_url, tmp_path):
    services = compose()["services"]
    env = _environment(postgres_url, redis_url, tmp_path, "app")
    subprocess.run(_command(services["migrate"]["command"]), cwd=ROOT, env=env, check=True)
    port = free_port()
    # The compose command serves the built frontend too; the health check only needs the back end.
    command = [*_command(services["app"]["command"][:4]), "--backend-only", "--backend-port", str(port)]
    env["PATH"] = f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
    with open(tmp_path / "app.log", "wb") as log:
        app = subprocess.Popen(command, cwd=ROOT, env={**env, "GRANIAN_WORKERS": "1"}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    probe = services["app"]["healthcheck"]["test"][1:]
    probe = [_command(probe)[0], *[arg.replace("127.0.0.1:3000", f"127.0.0.1:{port}") for arg in probe[1:]]]
    try:
        deadline = time.monotonic() + 120
        while subprocess.run(probe, cwd=ROOT, env=env, capture_output=True).returncode != 0:
            assert app.poll() is None and time.monotonic() < deadline, (tmp_path / "app.log").read_text()[-3000:]
            time.sleep(1)
    finally:
        if app.poll() is None:
            os.killpg(app.pid, signal.SIGTERM)
            app.wait(timeout=30)
