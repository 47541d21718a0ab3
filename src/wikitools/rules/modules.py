"""Modules (M): Lua modules that are missing, directly or somewhere down a chain."""

from __future__ import annotations

from collections.abc import Iterator

from wikitools.deps.chains import ChainReport
from wikitools.deps.pagedeps import analyze_page
from wikitools.fixes.model import Fix
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.rule import FixAvailability, Rule, RuleContext, register
from wikitools.lint.scope import EVERYWHERE
from wikitools.parsing.calls import CallKind
from wikitools.rules.citations import broken_citation_plan
from wikitools.rules.templates import decide, policy_handles, template_policies


@register
class MissingModule(Rule):
    """Flags ``{{#invoke:…}}`` calls of modules that do not exist on the target wiki.

    What it does:
    Looks up the module of every ``{{#invoke:Module|function}}`` on the page on the wiki
    given with ``--site`` (redirects and name normalization as MediaWiki does them).

    Why it matters:
    Scribunto renders a red "Script error: No such module" message in place of the
    call and puts the page in the "Pages with script errors" category.

    Example:
    {{#invoke:Footnotes|sfn|Service|2004}}     (no Module:Footnotes on this wiki)

    Use instead:
    Import Module:Footnotes (and what it requires), or replace the call.

    Fix safety:
    No fix: what the module would have printed is unknown.
    """

    code = "M101"
    name = "missing-module"
    summary = "'{{#invoke:}}' of a module that does not exist on the wiki"
    fix_availability = FixAvailability.NEVER
    needs_site = True
    applies_to = EVERYWHERE

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.site is None:
            return
        analysis = analyze_page(ctx.document, ctx.site)
        for call in analysis.calls:
            if call.call.kind is CallKind.INVOKE and analysis.is_missing(call):
                yield ctx.diagnostic(
                    call.start,
                    call.end,
                    f"{call.title} does not exist on this wiki; the call shows "
                    '"Script error: No such module"',
                )


def _chain_message(subject: str, report: ChainReport) -> tuple[str, bool]:
    """The message for a broken chain, and whether it is certain (vs. conditional)."""
    modules = report.missing_modules
    certain = [m for m in modules if not m.conditional]
    shown = certain or list(modules)
    names = ", ".join(m.title for m in shown)
    chains = "; ".join(m.describe() for m in shown)
    verb = "needs" if certain else "may need (inside a function or branch)"
    plural = "which do" if len(shown) > 1 else "which does"
    return (
        f"{subject} {verb} {names}, {plural} not exist on this wiki: "
        f"readers see a Lua error ({chains})",
        bool(certain),
    )


@register
class BrokenModuleChain(Rule):
    """Flags calls whose Lua module chain requires a module the wiki lacks.

    What it does:
    Follows each called template through the modules its body invokes and, transitively,
    the modules those load with ``require`` or ``mw.loadData`` (cycles are handled;
    ``pcall(require, …)`` is optional and not followed). A call is reported when a
    module somewhere down the chain does not exist; the message names the missing
    module and the chain that reaches it.

    Why it matters:
    Every such call renders "Lua error in package.lua at line 80: module
    'Module:Footnotes/anchor_id_list' not found" instead of its content, and the page
    lands in "Pages with script errors". Typical after copying Wikipedia content: the
    template and its module were imported, a data module it requires was not.

    Example:
    He died in 1942.{{sfn|Service|2004|p=259}}   (Module:Footnotes requires the missing
                                                 Module:Footnotes/anchor_id_list)

    Use instead:
    He died in 1942.<ref name="FOOTNOTEService2004259">[[#CITEREFService2004|Service
    2004]], p. 259.</ref>

    Fix safety:
    For the citation templates ({{sfn}}, {{sfnp}}, {{sfnm}}, {{harv}}, {{harvnb}},
    {{harvtxt}}, {{harvp}}, {{efn}}, {{refn}}, {{r}} and their aliases) the fix writes
    the footnote or text the template prints, as Module:Footnotes formats it; identical
    citations share one named ref and a references list is added when the page has
    none. Safe: readers see the same citation. Unsafe when a call has parameters whose
    effect is not reproduced. Other templates get the template's policy from
    ``[templates]`` in wikitools.toml, else a built-in default (``{{lang}}``,
    ``{{lang-xx}}``, language icons, reference lists: on Wikipedia these run on Lua
    too), as for a missing template (see T101). Anything else gets no fix: the report
    names the module to import and the chain that needs it.
    """

    code = "M102"
    name = "broken-module-chain"
    summary = "Template or module whose Lua chain needs a module the wiki lacks"
    fix_availability = FixAvailability.SOMETIMES
    needs_site = True

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.site is None:
            return
        analysis = analyze_page(ctx.document, ctx.site)
        policies = template_policies(ctx.config)
        plan = None
        for call in analysis.calls:
            report = analysis.chain(call)
            if report is None or not report.may_break:
                continue
            message, certain = _chain_message(call.title, report)
            fix: Fix | None = None
            if call.call.kind is CallKind.TEMPLATE:
                if plan is None:
                    plan = broken_citation_plan(
                        ctx.document,
                        analysis,
                        lambda c: policy_handles(c, analysis, policies),
                        ctx.site,
                    )
                decision = decide(call, analysis, policies, ctx.site, plan)
                if decision.silent:
                    continue
                fix = decision.fix
            yield ctx.diagnostic(
                call.start,
                call.end,
                message,
                fix,
                Severity.ERROR if certain else Severity.WARNING,
            )
