"""ruff and mypy are part of the test suite, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("tool", [["ruff", "check", "src", "tests", "bench", "scripts"], ["mypy"]])
def test_tool_is_clean(tool: list[str]) -> None:
    if shutil.which(tool[0]) is None and not (Path(sys.executable).parent / tool[0]).exists():
        pytest.fail(f"{tool[0]} is not installed: pip install -e '.[dev]'")
    exe = str(Path(sys.executable).parent / tool[0]) if (Path(sys.executable).parent / tool[0]).exists() else tool[0]
    result = subprocess.run([exe, *tool[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
