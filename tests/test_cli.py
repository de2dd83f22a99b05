import json
import subprocess
import sys

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def test_inspect_overview():
    result = runner.invoke(app, ["inspect"])
    assert result.exit_code == 0, result.output
    assert "chongqing-carbon-2024" in result.output and "6 个文档" in result.output


def test_inspect_document_json():
    result = runner.invoke(app, ["inspect", "chongqing-carbon-2024", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["articles"]) == 30 and data["articles"][13]["label"] == "第十四条"


def test_unknown_document_is_one_clear_line():
    proc = subprocess.run([sys.executable, "-m", "assistant", "inspect", "nope"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "未知文档" in proc.stderr and "Traceback" not in proc.stderr


def test_every_command_has_help_with_example():
    for name in [c.name or c.callback.__name__ for c in app.registered_commands]:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "policy-assistant " + name in result.output, f"{name} --help has no example"
