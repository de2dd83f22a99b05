"""A termination request that is not lost.

The CLI's SIGTERM handler records the signal here and raises SystemExit at once. Python drops an
exception raised while it runs some callbacks from C code (it prints "Exception ignored in …" and
goes on), so a build could finish and switch the index pointer after it was told to stop. Long
work calls ``check()`` at safe points (each embedding step, before the index pointer switches),
which raises again while a stop is pending.
"""

from __future__ import annotations

_pending = 0  # the signal number of a pending stop, 0 for none


def request(signum: int) -> None:
    global _pending
    _pending = int(signum)


def pending() -> int:
    return _pending


def check() -> None:
    """Raise SystemExit(128 + signal) when a stop was requested."""
    if _pending:
        raise SystemExit(128 + _pending)
