"""Shared test configuration: real local MediaWiki fixtures (see wikitools.sandbox)."""

pytest_plugins = ["wikitools.sandbox.pytest_plugin"]
