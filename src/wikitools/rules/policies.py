"""What to do with a call of a template the target wiki does not have.

Policies come from the ``[templates]`` table of ``wikitools.toml``::

    [templates]
    builtin-policies = true              # language icons, {{lang-xx}}, {{lang}}, reflists

    [templates."Citation needed"]        # a table per template (any case, _ or space)
    action = "remove"

    [templates."Convert"]
    action = "replace"
    text = "{{{1}}} {{{2}}}"             # {{{1}}}, {{{name}}}, {{{name|default}}}

    [templates."Flagicon"]
    action = "rename"
    to = "Flag icon"                     # must exist on the wiki
    params = { "1" = "country" }         # old name → new name

    [templates."Nowrap"]
    action = "unwrap"
    param = "1"                          # keep this parameter's text

    [templates."Sic"]
    action = "keep"                      # leave it and do not report it

    [templates."* icon"]                 # glob patterns (* and ?) match template names
    action = "remove"

A string is short for ``{ action = "…" }`` (``"Sic" = "keep"``). Fixes from configured
policies are SAFE (the admin chose them); ``safe = false`` makes one UNSAFE.

Without a configured policy the built-in defaults apply to the families that break most
often when Wikipedia content is copied (see :func:`builtin_remedy`); anything else is
reported and left alone.
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wikitools.errors import ConfigError
from wikitools.languages import language_name, normalized_tag
from wikitools.parsing.params import group_attribute, positional, split_quoted, template_params
from wikitools.titles import DEFAULT, TEMPLATE, Namespaces, upper_first

SECTION = "templates"
BUILTIN_KEY = "builtin-policies"


class Action(enum.Enum):
    """What a policy does with a call of a missing template."""

    REMOVE = "remove"
    REPLACE = "replace"
    RENAME = "rename"
    UNWRAP = "unwrap"
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class TemplatePolicy:
    """One configured policy (see the module docstring for the keys)."""

    action: Action
    text: str = ""
    to: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    param: str = "1"
    safe: bool = True
    origin: str = ""
    """Where the policy was defined, for messages (``templates."Ka icon"``)."""


@dataclass(frozen=True, slots=True)
class Remedy:
    """The fix for one call: a title and the replacement of the whole call.

    ``rename_to`` is set for renames, so the caller can check the target exists.
    """

    title: str
    replacement: str
    safe: bool = True
    rename_to: str | None = None


_KEYS: dict[Action, set[str]] = {
    Action.REMOVE: {"action", "safe"},
    Action.REPLACE: {"action", "text", "safe"},
    Action.RENAME: {"action", "to", "params", "safe"},
    Action.UNWRAP: {"action", "param", "safe"},
    Action.KEEP: {"action"},
}


def _policy_from(key: str, value: Any, where: str) -> TemplatePolicy:
    origin = f'{where}templates."{key}"'
    if isinstance(value, str):
        value = {"action": value}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{origin}: expected a table or an action name")
    raw_action = value.get("action")
    try:
        action = Action(raw_action)
    except ValueError:
        choices = ", ".join(a.value for a in Action)
        raise ConfigError(f"{origin}.action: {raw_action!r} is not one of {choices}") from None
    for item in value:
        if item not in _KEYS[action]:
            allowed = ", ".join(sorted(_KEYS[action]))
            raise ConfigError(
                f"{origin}: unknown key '{item}' for action '{action.value}' (allowed: {allowed})"
            )
    safe = value.get("safe", True)
    if not isinstance(safe, bool):
        raise ConfigError(f"{origin}.safe: must be true or false")
    text = value.get("text", "")
    if action is Action.REPLACE and ("text" not in value or not isinstance(text, str)):
        raise ConfigError(f"{origin}.text: 'replace' needs the replacement text as a string")
    to = value.get("to", "")
    if action is Action.RENAME and (not isinstance(to, str) or not to.strip()):
        raise ConfigError(f"{origin}.to: 'rename' needs the name of an existing template")
    params = value.get("params", {})
    if not isinstance(params, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in params.items()
    ):
        raise ConfigError(f"{origin}.params: must map old parameter names to new ones")
    param = value.get("param", "1")
    if not isinstance(param, str | int) or not str(param).strip():
        raise ConfigError(f"{origin}.param: must name the parameter to keep")
    return TemplatePolicy(action, text, to.strip(), dict(params), str(param).strip(), safe, origin)


def _norm(name: str) -> str:
    return upper_first(re.sub(r"[ _]+", " ", name).strip())


class TemplatePolicies:
    """The policies of one configuration: exact names, glob patterns, built-ins."""

    def __init__(
        self,
        exact: Mapping[str, TemplatePolicy] | None = None,
        patterns: list[tuple[str, TemplatePolicy]] | None = None,
        builtins: bool = True,
    ) -> None:
        self.exact = {_norm(k): v for k, v in (exact or {}).items()}
        self.patterns = [(_norm(k), v) for k, v in (patterns or [])]
        self.builtins = builtins

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str = "") -> TemplatePolicies:
        """Validate the ``[templates]`` table; raises ConfigError naming the bad key."""
        where = f"{source}: " if source else ""
        exact: dict[str, TemplatePolicy] = {}
        patterns: list[tuple[str, TemplatePolicy]] = []
        builtins = True
        for key, value in section.items():
            if key == BUILTIN_KEY:
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}templates.{BUILTIN_KEY}: must be true or false")
                builtins = value
                continue
            policy = _policy_from(key, value, where)
            if any(c in key for c in "*?["):
                patterns.append((key, policy))
            else:
                exact[key] = policy
        return cls(exact, patterns, builtins)

    def lookup(self, page_name: str) -> TemplatePolicy | None:
        """The configured policy for a template (page name without ``Template:``)."""
        name = _norm(page_name)
        if name in self.exact:
            return self.exact[name]
        for pattern, policy in self.patterns:
            if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(
                name.lower(), pattern.lower()
            ):
                return policy
        return None


# -- applying policies -------------------------------------------------------------------

_ARG = re.compile(r"\{\{\{")


def substitute(text: str, params: Mapping[str, str]) -> str:
    """Expand ``{{{name}}}`` and ``{{{name|default}}}`` (defaults may nest) with ``params``.

    A parameter that is absent and has no default expands to nothing.
    """
    out: list[str] = []
    pos = 0
    while True:
        match = _ARG.search(text, pos)
        if match is None:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos : match.start()])
        end, name, default = _parse_argument(text, match.end())
        if end < 0:
            out.append(text[match.start() :])
            return "".join(out)
        key = substitute(name, params).strip()
        if key in params:
            out.append(params[key])
        elif default is not None:
            out.append(substitute(default, params))
        pos = end


def _parse_argument(text: str, pos: int) -> tuple[int, str, str | None]:
    """Parse after ``{{{``: (end offset after ``}}}``, name, default or None); -1 if open."""
    depth = 0
    name_end: int | None = None
    i = pos
    while i < len(text):
        if text.startswith("{{{", i):
            depth += 1
            i += 3
        elif text.startswith("}}}", i):
            if depth == 0:
                if name_end is None:
                    return i + 3, text[pos:i], None
                return i + 3, text[pos:name_end], text[name_end + 1 : i]
            depth -= 1
            i += 3
        elif text[i] == "|" and depth == 0 and name_end is None:
            name_end = i
            i += 1
        else:
            i += 1
    return -1, "", None


def _renamed_call(template: Any, new_name: str, mapping: Mapping[str, str]) -> str:
    raw_name = str(template.name)
    lead = raw_name[: len(raw_name) - len(raw_name.lstrip())]
    trail = raw_name[len(raw_name.rstrip()) :]
    parts = ["{{", lead, new_name, trail]
    for param in template.params:
        key = str(param.name).strip()
        target = mapping.get(key)
        parts.append("|")
        if target is None:
            parts.append(str(param))
        elif param.showkey:
            raw = str(param.name)
            head = raw[: len(raw) - len(raw.lstrip())]
            tail = raw[len(raw.rstrip()) :]
            parts.append(f"{head}{target}{tail}={param.value}")
        else:
            parts.append(f"{target}={param.value}")
    parts.append("}}")
    return "".join(parts)


def apply_policy(policy: TemplatePolicy, template: Any, label: str) -> Remedy | None:
    """The remedy a configured policy gives for one call (None for ``keep``)."""
    params = template_params(template)
    if policy.action is Action.KEEP:
        return None
    if policy.action is Action.REMOVE:
        return Remedy(f"Remove the call of {{{{{label}}}}}", "", policy.safe)
    if policy.action is Action.REPLACE:
        return Remedy(
            f"Replace {{{{{label}}}}} with the configured text",
            substitute(policy.text, params),
            policy.safe,
        )
    if policy.action is Action.UNWRAP:
        kept = params.get(policy.param, "")
        return Remedy(
            f"Keep the text of parameter {policy.param} of {{{{{label}}}}}",
            kept.strip() if not policy.param.isdigit() else kept,
            policy.safe,
        )
    return Remedy(
        f"Rename {{{{{label}}}}} to {{{{{policy.to}}}}}",
        _renamed_call(template, policy.to, policy.params),
        policy.safe,
        rename_to=policy.to,
    )


# -- built-in defaults ---------------------------------------------------------------------

_ICON = re.compile(r"^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*) icon$", re.IGNORECASE)
_LANG_X = re.compile(r"^Lang-([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$", re.IGNORECASE)
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff0-9.,;:'’\-()!?&]+$")
_REFLISTS = {
    "reflist": "",
    "references": "",
    "reference list": "",
    "notelist": "lower-alpha",
    "notelist-la": "lower-alpha",
    "notelist-ua": "upper-alpha",
    "notelist-lr": "lower-roman",
    "notelist-ur": "upper-roman",
    "notelist-lg": "lower-greek",
}


def _in_languages(codes: list[str]) -> str | None:
    names = [language_name(c) for c in codes if c.strip()]
    if not names or any(n is None for n in names):
        return None
    known = [n for n in names if n is not None]
    if len(known) == 1:
        listed = known[0]
    elif len(known) == 2:
        listed = f"{known[0]} and {known[1]}"
    else:
        listed = ", ".join(known[:-1]) + f", and {known[-1]}"
    return f"(in {listed})"


def _lang_span(code: str, text: str) -> str:
    return f'<span lang="{normalized_tag(code)}">{text}</span>'


def builtin_remedy(page_name: str, template: Any, label: str) -> Remedy | None:
    """The built-in default for a missing template, if its family has one.

    * ``{{ka icon}}`` → "(in Georgian)", as Wikipedia's icon templates print it: the
      reader keeps the information that the preceding link or name is in Georgian;
    * ``{{in lang|ka|ru}}`` → "(in Georgian and Russian)";
    * ``{{lang-ru|Иосиф|Iosif}}`` → ``Russian: <span lang="ru">Иосиф</span>, romanized: ''Iosif''``
      (``lit=`` adds ", lit. 'X'"; Latin-script text is set in italics, as Wikipedia does);
    * ``{{lang|ka|text}}`` → ``<span lang="ka">text</span>``: the text, still marked as
      Georgian for screen readers and fonts;
    * ``{{reflist}}``, ``{{references}}``, ``{{notelist}}`` → ``<references />`` (with the
      ``group=`` and ``refs=`` they carried).

    Unknown language codes get no remedy (the call is reported only).
    """
    name = _norm(page_name)
    params = template_params(template)
    pos = positional(params)
    icon = _ICON.match(name)
    if icon and not params:
        text = _in_languages([icon.group(1)])
        if text:
            return Remedy(f"Replace {{{{{label}}}}} with the text it prints, {text!r}", text)
        return None
    if name.lower() == "in lang":
        text = _in_languages(pos)
        if text and all(k.isdigit() for k in params):
            return Remedy(f"Replace {{{{{label}}}}} with the text it prints, {text!r}", text)
        return None
    lang_x = _LANG_X.match(name)
    if lang_x:
        return _lang_x_remedy(lang_x.group(1), params, pos, label)
    if name.lower() == "lang":
        code = params.get("code", pos[0] if pos else "").strip()
        body = params.get("text", params.get("2", "")).strip()
        if language_name(code) is None or not body:
            return None
        known = {"1", "2", "code", "text", "italic", "italics", "i", "rtl", "nocat", "size"}
        return Remedy(
            f"Replace {{{{{label}}}}} with its text, marked as {language_name(code)}",
            _lang_span(code, body),
            all(k in known for k in params),
        )
    group = _REFLISTS.get(name.lower())
    if group is not None:
        explicit, quote = split_quoted(params.get("group", ""))
        attrs = group_attribute(explicit, quote) if explicit else ""
        attrs = attrs or (group_attribute(group, '"') if group else "")
        refs = params.get("refs", "").strip()
        replacement = (
            f"<references{attrs}>\n{refs}\n</references>" if refs else f"<references{attrs} />"
        )
        return Remedy(f"Replace {{{{{label}}}}} with {replacement.splitlines()[0]}", replacement)
    return None


def _lang_x_remedy(
    code: str, params: Mapping[str, str], pos: list[str], label: str
) -> Remedy | None:
    language = language_name(code)
    body = pos[0] if pos else params.get("text", "").strip()
    if language is None or not body:
        return None
    shown = params.get("label", "").strip() or language
    known = {"1", "2", "text", "translit", "lit", "label", "links", "italic", "i", "nocat", "rtl"}
    italic = bool(_LATIN.match(body)) and params.get("italic", "").strip() not in ("no", "n")
    text = _lang_span(code, f"''{body}''" if italic else body)
    result = f"{shown}: {text}"
    translit = params.get("translit", "").strip() or (pos[1] if len(pos) > 1 else "")
    if translit:
        result += f", romanized: ''{translit}''"
    literal = params.get("lit", "").strip()
    if literal:
        result += f", lit. '{literal}'"
    return Remedy(
        f"Replace {{{{{label}}}}} with the text it prints ({shown}: …)",
        result,
        all(k in known for k in params),
    )


def template_page_name(title: str, namespaces: Namespaces = DEFAULT) -> str | None:
    """The page name of a Template: title (``Template:Ka icon`` → ``Ka icon``), else None."""
    ns_id, name = namespaces.split(title)
    return name if ns_id == TEMPLATE else None
