"""The Spark recipe of the README, run for real: opt-in locally, required in CI.

It runs when ``pyspark`` can be imported and a ``java`` is on the PATH (pyspark 4 needs Java
17 or later). Locally it is skipped, saying which is missing: pyspark is not in the dev
extra (a ~450 MB download bundling Spark's jars, and Dask covers the cluster case) but in
the ``spark`` extra, which ``scripts/test.sh`` installs in CI (``CI=true``), where a missing
pyspark or Java fails the test instead.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from multistream import write_multistream

from wikitools.config import Config
from wikitools.dumps.partitioned import lint_partition
from wikitools.dumps.partitions import plan_partitions
from wikitools.dumps.process import lint_dump, portable_config
from wikitools.dumps.reader import DumpReader
from wikitools.sandbox.pytest_plugin import in_ci

pytestmark = pytest.mark.corpus


def _missing(reason: str) -> None:
    """Skip locally; in CI, where the spark extra is installed, fail."""
    if in_ci():
        pytest.fail(f"{reason} (required in CI: scripts/test.sh installs the spark extra)")
    pytest.skip(f"{reason}: opt-in test")


def _spark() -> object:
    try:
        import pyspark
    except ImportError:
        _missing("pyspark is not installed (pip install 'wikitools[spark]'; needs Java 17+)")
    if shutil.which("java") is None:
        _missing("no java on PATH: pyspark needs a Java 17+ runtime")
    return pyspark


def test_the_spark_recipe_gives_the_default_engines_findings(
    tmp_path: Path, corpus_dump: Path
) -> None:
    _spark()
    from pyspark.sql import SparkSession

    dump = tmp_path / "sample-multistream.xml.bz2"
    index = tmp_path / "sample-multistream-index.txt.bz2"
    write_multistream(corpus_dump, dump, index, damage_every=5)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("wikitools-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    try:
        # The recipe, as the README gives it.
        parts = plan_partitions(dump, index, target_bytes=300_000)
        cfg = portable_config(Config())
        sc = spark.sparkContext
        findings = sc.parallelize(parts, len(parts)).flatMap(lambda p: lint_partition(p, cfg))
        got = findings.collect()
    finally:
        spark.stop()
    with DumpReader(dump) as reader:
        expected = list(lint_dump(reader))
    assert len(parts) == 3
    assert got == expected
    assert sum(len(f.located) for f in got) >= 40
