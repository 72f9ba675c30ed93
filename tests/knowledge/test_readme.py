"""The README's promises that a new administrator relies on."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_points_to_a_readme_section_that_exists():
    manifest = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = {m.group(1).strip() for m in re.finditer(r"^#{2,4} (.+)$", readme, re.M)}
    pointers = re.findall(r"「([^」]+)」", manifest.split("\n")[1])
    assert pointers and all(any(p in h for h in headings) for p in pointers), (pointers, headings)


def test_quick_start_creates_a_venv_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S).group(1).strip().splitlines()
    assert block[0] == "python3 -m venv .venv && . .venv/bin/activate"
    assert len(block) == 2 and block[1].startswith("pip install -e '.[test]' && python -m bot ")
