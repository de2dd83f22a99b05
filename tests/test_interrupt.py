"""A stop request (SIGTERM) is not lost when a library swallows the SystemExit raised for it."""

import pytest

from assistant import interrupt


def test_a_pending_stop_is_raised_again_at_the_next_check(monkeypatch):
    monkeypatch.setattr(interrupt, "_pending", 0)
    interrupt.check()  # nothing pending: nothing happens
    interrupt.request(15)
    assert interrupt.pending() == 15
    with pytest.raises(SystemExit) as exc:
        interrupt.check()
    assert exc.value.code == 143
