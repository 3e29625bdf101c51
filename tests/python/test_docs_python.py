"""docs/python.md's Python examples run as written (from the repository root)."""
import os
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "python.md").read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_docs_python_example_runs(index, capsys):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(BLOCKS[index], f"docs/python.md (block {index})", "exec"), {})  # noqa: S102
    finally:
        os.chdir(cwd)
    if "caught[0].message" in BLOCKS[index]:
        assert "single-channel prediction, softmax=true ignored" in capsys.readouterr().out
