"""Shared test configuration: real local MediaWiki fixtures (see wikitools.sandbox)."""

pytest_plugins = ["pytester", "wikitools.sandbox.pytest_plugin"]
