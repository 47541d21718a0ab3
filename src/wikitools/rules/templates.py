"""Templates (T): calls of templates the target wiki does not have."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from wikitools.config import Config
from wikitools.deps.pagedeps import PageAnalysis, PageCall, analyze_page
from wikitools.errors import ConfigError
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.rule import FixAvailability, Rule, RuleContext, register
from wikitools.lint.scope import EVERYWHERE
from wikitools.parsing.calls import CallKind
from wikitools.rules.citations import Conversion, broken_citation_plan
from wikitools.rules.policies import (
    SECTION,
    TemplatePolicies,
    apply_policy,
    builtin_remedy,
)
from wikitools.site.context import SiteContext
from wikitools.titles import TEMPLATE


def template_policies(config: Config) -> TemplatePolicies:
    """The validated ``[templates]`` policies of a config (ConfigError names a bad key)."""
    source = str(config.source) if config.source else ""
    try:
        return TemplatePolicies.from_section(config.section(SECTION), source)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:  # defensive: malformed values from odd configs
        raise ConfigError(f"{source}: [templates]: {exc}") from None


def _names(call: PageCall, analysis: PageAnalysis) -> list[str]:
    """The template's page name as called and, behind a redirect, as resolved."""
    names: list[str] = []
    for title in (call.title, analysis.final.get(call.title)):
        name = analysis.page_name(title, TEMPLATE)
        if name is not None and name not in names:
            names.append(name)
    return names


def policy_handles(call: PageCall, analysis: PageAnalysis, policies: TemplatePolicies) -> bool:
    """True when a configured policy decides what happens to this call."""
    return any(policies.lookup(name) is not None for name in _names(call, analysis))


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with a call that cannot render: a fix, silence (``keep``), or a note."""

    fix: Fix | None = None
    silent: bool = False
    note: str = ""


def _fix(title: str, call: PageCall, replacement: str, safe: bool) -> Fix:
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return Fix.of(title, [Edit(call.start, call.end, replacement)], applicability)


def decide(
    call: PageCall,
    analysis: PageAnalysis,
    policies: TemplatePolicies,
    site: SiteContext,
    plan: Mapping[int, Conversion],
) -> Decision:
    """The remedy for a template call that cannot render (missing, or a broken chain):
    the configured policy, else the citation conversion, else a built-in default."""
    names = _names(call, analysis)
    for name in names:
        policy = policies.lookup(name)
        if policy is None:
            continue
        remedy = apply_policy(policy, call.template, call.label)
        if remedy is None:
            return Decision(silent=True)  # "keep": the admin knows and wants it left alone
        if remedy.rename_to is not None:
            target = site.namespaces.normalize(remedy.rename_to, TEMPLATE)
            if site.resolve([target])[target] is None:
                return Decision(
                    note=f"; the configured rename target {target} does not exist either "
                    f"({policy.origin})"
                )
        return Decision(_fix(remedy.title, call, remedy.replacement, remedy.safe))
    conversion = plan.get(call.start)
    if conversion is not None:
        return Decision(conversion.fix)
    if policies.builtins:
        for name in names:
            remedy = builtin_remedy(name, call.template, call.label)
            if remedy is not None:
                return Decision(_fix(remedy.title, call, remedy.replacement, remedy.safe))
    return Decision(
        note=" (no policy for it: import it, or set one under [templates] in wikitools.toml)"
    )


def _missing_message(call: PageCall, site: SiteContext, analysis: PageAnalysis) -> str:
    info = site.page_info([call.title])[call.title]
    in_template_ns = analysis.page_name(call.title, TEMPLATE) is not None
    what = call.title if in_template_ns else f"the page {call.title}"
    if info.exists and info.redirect_target:
        return (
            f"{what} redirects to {info.redirect_target}, which does not exist on this wiki; "
            "readers see a red link"
        )
    return f"{what[0].upper()}{what[1:]} does not exist on this wiki; readers see a red link"


@register
class MissingTemplate(Rule):
    """Flags calls of templates that do not exist on the target wiki.

    What it does:
    Looks up every template a page transcludes on the wiki given with ``--site`` and
    reports each call of one that does not exist. Redirects, first-letter case,
    underscores and namespace aliases are resolved as MediaWiki does, and parser
    functions and magic words (``{{#if:}}``, ``{{DEFAULTSORT:}}``, ``{{PAGENAME}}``,
    ``{{formatnum:}}``, ``{{!}}``) are never mistaken for templates.

    Why it matters:
    MediaWiki renders a missing template as a red link such as "Template:Ka icon" in
    the middle of the text. It happens on every page copied from another wiki.

    Example:
    ''იოსებ სტალინი'' {{Ka icon}}        (no Template:Ka icon on this wiki)

    Use instead:
    ''იოსებ სტალინი'' (in Georgian)

    Fix safety:
    The fix follows the template's policy from ``[templates]`` in wikitools.toml
    (remove, replace, rename, unwrap or keep): safe, since an admin chose it, unless the
    policy says ``safe = false``. Without a policy, built-in defaults cover the families
    that break most when Wikipedia content is copied: language icons (``{{ka icon}}`` →
    "(in Georgian)"), ``{{lang-xx}}``, ``{{lang}}``, reference lists and the citation
    templates (``{{sfn}}`` → a plain ``<ref>``). They print what the template would have
    printed, so they are safe (unsafe when the call has parameters whose effect is not
    reproduced). Any other missing template is reported and left alone.
    """

    code = "T101"
    name = "missing-template"
    summary = "Call of a template that does not exist on the wiki"
    fix_availability = FixAvailability.SOMETIMES
    needs_site = True

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        site = ctx.site
        if site is None:
            return
        policies = template_policies(ctx.config)
        analysis = analyze_page(ctx.document, site)
        missing = [
            c for c in analysis.calls if c.call.kind is CallKind.TEMPLATE and analysis.is_missing(c)
        ]
        if not missing:
            return
        plan = broken_citation_plan(
            ctx.document,
            analysis,
            lambda c: policy_handles(c, analysis, policies),
            ctx.site,
        )
        for call in missing:
            decision = decide(call, analysis, policies, site, plan)
            if decision.silent:
                continue
            message = _missing_message(call, site, analysis) + decision.note
            yield ctx.diagnostic(call.start, call.end, message, decision.fix)


@register
class TemplateNeedsMissingTemplate(Rule):
    """Flags calls of templates whose own body uses a template the wiki lacks.

    What it does:
    Follows each called template's body (as transcluded, so ``<noinclude>`` parts do not
    count) through the templates it uses, and reports a call when one of them is missing
    on every code path (not only in an ``{{#if:}}`` branch).

    Why it matters:
    The page shows a red "Template:…" link from inside the template's output, though
    the page's own wikitext looks right. Importing the missing template fixes it.

    Example:
    {{Infobox officeholder|…}}    (Template:Infobox officeholder uses the missing
                                   Template:Infobox/row)

    Use instead:
    Import Template:Infobox/row, or edit Template:Infobox officeholder.

    Fix safety:
    No fix: the page is fine; the wiki lacks a page. The message names the missing
    template and the chain that reaches it.
    """

    code = "T102"
    name = "template-needs-missing-template"
    summary = "Template whose body uses a template that does not exist on the wiki"
    fix_availability = FixAvailability.NEVER
    needs_site = True
    applies_to = EVERYWHERE

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if ctx.site is None:
            return
        analysis = analyze_page(ctx.document, ctx.site)
        for call in analysis.calls:
            report = analysis.chain(call)
            if report is None:
                continue
            for missing in report.missing:
                if missing.is_module or missing.conditional:
                    continue
                yield ctx.diagnostic(
                    call.start,
                    call.end,
                    f"{call.title} uses {missing.title}, which does not exist on this wiki "
                    f"({missing.describe()})",
                    severity=Severity.WARNING,
                )
