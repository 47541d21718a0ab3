"""Shared test configuration: real local MediaWiki fixtures (see wikitools.sandbox)."""

import pytest

pytest_plugins = ["pytester", "wikitools.sandbox.pytest_plugin"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the after.wiki files of golden tests from the current output.",
    )
