"""Moving a page's dependencies between wikis: sources, import, export XML, render checks.

The closure and the plan are pure (:mod:`wikitools.deps`); this package reaches the wikis:
:mod:`~wikitools.transwiki.sources` (a live wiki, a dump or export file, a ``pull``
directory), :mod:`~wikitools.transwiki.importer` (``action=import`` or plain edits,
verified by hash) and :mod:`~wikitools.transwiki.verify` (render the seeds on the target).
"""
