"""The package imports and the CLI answers --version."""

from typer.testing import CliRunner

import wikitools
from wikitools.cli.app import app


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"wikitools {wikitools.__version__}"
