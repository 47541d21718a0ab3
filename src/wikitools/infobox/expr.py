"""Small builders of MediaWiki template expressions (core + ParserFunctions only)."""

from __future__ import annotations

from collections.abc import Sequence

from wikitools.infobox.schema import PLACEHOLDER, Case, Param, Section


def arg(name: str, fallback: str | None = "") -> str:
    """``{{{name|fallback}}}``; ``{{{name}}}`` when ``fallback`` is None."""
    return f"{{{{{{{name}}}}}}}" if fallback is None else f"{{{{{{{name}|{fallback}}}}}}}"


def if_(test: str, then: str, otherwise: str = "") -> str:
    """``{{#if:test|then|otherwise}}`` (the else part only when given)."""
    if otherwise:
        return f"{{{{#if:{test}|{then}|{otherwise}}}}}"
    return f"{{{{#if:{test}|{then}}}}}"


def literal(text: str) -> str:
    """Text that reads literally inside template markup (pipes and braces escaped)."""
    return (
        text.replace("\n", " ").replace("|", "&#124;").replace("{", "&#123;").replace("}", "&#125;")
    )


def keep_spaces(text: str) -> str:
    """``text`` with its leading and trailing spaces as ``&#32;``.

    Parser functions trim their branches, so a separator such as " – " placed inside
    ``{{#if:…}}`` would lose its spaces.
    """
    core = text.strip(" ")
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" ")) if core else 0
    return "&#32;" * lead + core + "&#32;" * trail


def value_expr(section: Section, param: Param, index: int | None) -> str:
    """The text shown for ``param``: its value (or default), joined with ``param.join``.

    Joined parameters are separated by ``param.separator`` only between non-empty values.
    """
    name = section.name_for(param.name, index)
    if param.derive:
        return derived(section, param, index)
    if param.default:
        first = if_(arg(name), arg(name, None), param.default)
        tests = [arg(name)]
        always = True
    else:
        first = arg(name)
        tests = [arg(name)]
        always = False
    parts = [first]
    sep = keep_spaces(param.separator)
    for joined in param.join:
        jname = section.name_for(joined, index)
        before = "".join(tests)
        glue = sep if always else if_(before, sep)
        parts.append(if_(arg(jname), glue + arg(jname, None)))
        tests.append(arg(jname))
    return "".join(parts)


def condition(section: Section, param: Param, index: int | None) -> str | None:
    """The test that is non-empty when ``param``'s row has something to show.

    None means the row always shows (the parameter has a default).
    """
    if param.default:
        return None
    if param.derive:
        return derived(section, param, index)
    names: Sequence[str] = (param.name, *param.join)
    return "".join(arg(section.name_for(n, index)) for n in names)


def case_test(section: Section, case: Case, index: int | None) -> str:
    """An expression that is non-empty exactly when ``case`` holds."""
    if len(case.when) == 1 and not case.unless:
        return arg(section.name_for(case.when[0], index))
    test = "1"
    for name in reversed(case.when):
        test = if_(arg(section.name_for(name, index)), test)
    if case.unless:
        empty = "".join(arg(section.name_for(n, index)) for n in case.unless)
        test = f"{{{{#if:{empty}||{test}}}}}"
    return test


def fill(section: Section, text: str, index: int | None) -> str:
    """``text`` with each ``{param}`` replaced by that parameter's value."""
    return PLACEHOLDER.sub(lambda m: arg(section.name_for(m.group(1).strip(), index)), text)


def chain(
    section: Section, cases: Sequence[tuple[Case, str]], index: int | None, otherwise: str
) -> str:
    """The text of the first case that holds, else ``otherwise`` (nested ``#if``)."""
    result = otherwise
    for case, text in reversed(cases):
        result = if_(case_test(section, case, index), text, result)
    return result


def label_expr(section: Section, param: Param, index: int | None) -> str:
    """The row label: the first label variant that holds, else the plain label."""
    if not param.variants:
        return literal(param.label)
    cases = [(c, literal(c.text)) for c in param.variants]
    return chain(section, cases, index, literal(param.label))


def derived(section: Section, param: Param, index: int | None) -> str:
    """The value of a parameter with ``derive``: the text of the first case that holds."""
    cases = [(c, fill(section, c.text, index)) for c in param.derive]
    return chain(section, cases, index, "")
