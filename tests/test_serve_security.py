import subprocess
import sys

import pytest

from assistant.commands.server import require_token_off_loopback
from assistant.config import Settings
from assistant.errors import AssistantError


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_token(host):
    require_token_off_loopback(Settings(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_other_addresses_need_a_token(host):
    with pytest.raises(AssistantError, match="token|令牌"):
        require_token_off_loopback(Settings(host=host))
    require_token_off_loopback(Settings(host=host, access_token="t0ken"))


def test_serve_refuses_to_start_on_all_interfaces_without_token():
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "1"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2
    assert "PA_ACCESS_TOKEN" in proc.stderr and "Traceback" not in proc.stderr
