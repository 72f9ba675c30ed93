"""What the bench scripts share: percentiles, and the staff directory of the Report benches and the soak
(written to a file and named by BOT_DIRECTORY)."""

from __future__ import annotations

from pathlib import Path

# 総務課 and two departments; the soak's reporters USAN00x / UJUM00x are members.
DIRECTORY = """
[general_affairs]
name = "総務課"
head = "UGAHEAD"
members = ["UGA0001"]

[[departments]]
name = "産業課"
head = "USANHEAD"
members = ["USAN001", "USAN002", "USAN003"]

[[departments]]
name = "住民課"
head = "UJUMHEAD"
members = ["UJUM001", "UJUM002"]
"""


def pct(values, q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, by the nearest index; nan when there are none."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def write_directory(folder: Path) -> Path:
    """DIRECTORY as ``folder``/directory.toml; its path."""
    path = Path(folder) / "directory.toml"
    path.write_text(DIRECTORY, encoding="utf-8")
    return path
