"""The Python examples of docs/data.md's dataset / transform / sliding-window / cohort sections run as
written (in order, in one namespace, in a temporary folder)."""
import os
import re

import osteon  # noqa: F401

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "data.md")


def test_data_md_python_examples_run(tmp_path, monkeypatch):
    with open(DOC) as f:
        text = f.read()
    text = text[text.index("## Samples, datasets and the loader"):]
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for block in blocks:
        exec(compile(block, DOC, "exec"), namespace)  # noqa: S102
    assert namespace["out"]["image"].shape == (1, 80, 48, 32) and namespace["out"]["spacing"] == [1.0, 1.0, 1.0]
    assert namespace["logits"].shape == (1, 2, 40, 40, 40)
    assert len(namespace["spine"]) == 90
