"""Small pieces shared by listeners."""

from __future__ import annotations


def ack_now(ack) -> None:
    """The acknowledgement: nothing to say, the work follows in a lazy listener."""
    ack()
