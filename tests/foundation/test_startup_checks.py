"""Bad configuration stops start-up with one clear sentence naming the variable, not a traceback."""

from __future__ import annotations

import re
import os
import subprocess
import sys

import pytest

from bookbug.settings import ROOT, Settings


def run_startup(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("S3_", "CLERK_", "DATABASE_URL", "REDIS_URL"))}
    clean.update(DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "bookbug.startup"], cwd=tmp_path, env=clean,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/bookbug"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://root@127.0.0.1/bookbug"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://:notaport"}, "REDIS_URL"),
        ({"S3_BUCKET": "books"}, "S3_ACCESS_KEY_ID"),
        ({"S3_BUCKET": "books", "S3_ACCESS_KEY_ID": "key"}, "S3_SECRET_ACCESS_KEY"),
        ({"CLERK_SECRET_KEY": "sk_test"}, "CLERK_JWT_KEY"),
        ({"CLERK_SECRET_KEY": "sk_test", "CLERK_JWT_KEY": "pem"}, "CLERK_PUBLISHABLE_KEY"),
        ({"CLERK_SECRET_KEY": "sk_test", "CLERK_JWT_KEY": "pem", "CLERK_PUBLISHABLE_KEY": "pk_test_bm90IGEgaG9zdA"},
         "CLERK_PUBLISHABLE_KEY"),
        ({"CLERK_SECRET_KEY": "sk_test", "CLERK_JWT_KEY": "pem", "CLERK_PUBLISHABLE_KEY": "sk_test_swapped"},
         "CLERK_PUBLISHABLE_KEY"),
        ({"PAGE_CONCURRENCY": "lots"}, "PAGE_CONCURRENCY"),
    ],
)
def test_bad_configuration_stops_with_one_sentence_naming_the_variable(tmp_path, env, variable) -> None:
    result = run_startup(tmp_path, **env)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_good_configuration_applies_migrations_to_the_embedded_database(tmp_path) -> None:
    result = run_startup(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "bookbug.db").exists()


def test_settings_read_comma_separated_lists_and_default_to_embedded(monkeypatch) -> None:
    monkeypatch.setenv("OPERATOR_EMAILS", "Ada@Example.com, bob@example.com")
    settings = Settings()
    assert settings.operator_emails == ["ada@example.com", "bob@example.com"]
    assert settings.embedded
    assert settings.db_url.startswith("sqlite:///")


def test_env_example_lists_every_setting() -> None:
    documented = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
                  if line and not line.startswith("#")}
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_every_setting_is_read_by_the_app() -> None:
    """A documented setting that nothing reads (SECRET_KEY once was) promises what the app does not do."""
    sources = [path.read_text() for path in (ROOT / "bookbug").rglob("*.py")]
    sources += [(ROOT / "rxconfig.py").read_text(), *(path.read_text() for path in (ROOT / "workers").rglob("*.py"))]
    text = "\n".join(sources)
    for name in Settings.model_fields:
        uses = len(re.findall(rf"\b{name}\b", text))
        assert uses >= 2, f"{name.upper()} is declared but never read: use it or remove it"
