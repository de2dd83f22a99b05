"""The `policy-assistant` command line (also `python -m assistant`).

Each command builds a Settings at the edge and passes it down; every AssistantError
becomes one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

from . import interrupt
from .config import Settings
from .errors import AssistantError

app = typer.Typer(
    name="policy-assistant",
    help="政策文件助手 Policy-document assistant over Chinese metrology regulations "
    "(碳计量中心 / 计量数据中心). Run `policy-assistant COMMAND --help` for examples.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

# The defaults are the project's own folders (beside the package), not the working directory:
# any command run from anywhere answers from the shipped corpus. The help prints the real path.
CorpusOpt = typer.Option(None, "--corpus", help="corpus folder holding manifest.yaml "
                         f"(default: $PA_CORPUS_DIR, else {Settings.corpus_dir})")
IndexOpt = typer.Option(None, "--index-dir", help=f"index folder (default: $PA_INDEX_DIR, else {Settings.index_dir})")


def settings_from(corpus: Optional[Path] = None, index_dir: Optional[Path] = None, **extra) -> Settings:
    return Settings.from_env(corpus_dir=corpus, index_dir=index_dir, **extra)


def emit_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.callback()
def _root() -> None:
    """政策文件助手 Policy-document assistant. Run `policy-assistant COMMAND --help` for examples."""


def _terminated(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C: `finally` blocks run (a build removes its staging folder).
    The request is also recorded (assistant/interrupt.py), so it is not lost when the exception is."""
    interrupt.request(signum)
    raise SystemExit(128 + signum)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    signal.signal(signal.SIGTERM, _terminated)  # `serve` replaces it with uvicorn's own
    try:
        app()  # standalone mode: usage errors print a usage line and exit 2
    except AssistantError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        sys.exit(exc.exit_code)
    finally:
        if interrupt.pending():  # a stop whose SystemExit a library swallowed still ends with its code
            sys.exit(128 + interrupt.pending())


# Commands live in assistant/commands/, one module per pipeline area; importing registers them.
from .commands import corpus as _corpus  # noqa: E402,F401
from .commands import retrieval as _retrieval  # noqa: E402,F401
from .commands import rules as _rules  # noqa: E402,F401
from .commands import answer as _answer  # noqa: E402,F401
from .commands import server as _server  # noqa: E402,F401

if __name__ == "__main__":
    main()
