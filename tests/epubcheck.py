"""EPUBCheck (Debian's `epubcheck`, a Java program) run on an EPUB the tests made.

Without Java or EPUBCheck the test is skipped with the reason; with CI=true that is a failure.
Debian's /usr/bin/epubcheck is a jar run through binfmt_misc, which containers often lack, so
the jar is run with `java -jar` directly.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

JARS = (Path("/usr/share/java/epubcheck.jar"),)
_PROBLEM = re.compile(r"^(FATAL|ERROR|WARNING)\(", re.MULTILINE)


def _need_epubcheck() -> tuple[str, Path]:
    java = shutil.which("java")
    jar = next((j for j in JARS if j.is_file()), None)
    if java is None or jar is None:
        message = ("epubcheck is not installed (apt-get install epubcheck; it needs Java): "
                   "this test validates the EPUB with it")
        if IN_CI:
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)")
        pytest.skip(message)
    return java, jar


def epubcheck(data: bytes, folder: Path) -> list[str]:
    """EPUBCheck's fatals, errors and warnings for the EPUB `data` (empty: valid)."""
    java, jar = _need_epubcheck()
    path = folder / "book.epub"
    path.write_bytes(data)
    done = subprocess.run([java, "-jar", str(jar), "--quiet", str(path)], capture_output=True, text=True,
                          timeout=600, cwd=folder)
    output = done.stdout + done.stderr
    problems = [line for line in output.splitlines() if _PROBLEM.match(line)]
    assert problems or done.returncode == 0, f"epubcheck failed without saying why:\n{output}"
    return problems
