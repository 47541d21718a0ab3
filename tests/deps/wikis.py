"""A seed-like source wiki (an article and its module chain) and a target lacking the chain."""

from __future__ import annotations

from typing import Any

ARTICLE = "Joseph Example"
STYLED = "Styled example"

ARTICLE_TEXT = """'''Joseph Example''' was a person.<ref>A source.</ref>
He was born in Gori.{{sfn|Smith|2000|p=5}} He wrote books.{{harvnb|Smith|2000}}
His name in Georgian {{Ka icon}} is known.
{{#if:|{{Never shown}}}}
"""

MODULE_FOOTNOTES = """require('strict')
local getArgs = require('Module:Arguments').getArgs
local p = {}
local sandbox = ''
local cfg = mw.loadData('Module:Footnotes/config' .. sandbox)

-- mw.loadData('Module:Commented out') is not a dependency
function p.sfn(frame)
    local args = getArgs(frame)
    local anchors = mw.loadData('Module:Footnotes/anchor_id_list')
    local author = args[1] or ''
    local text = author .. ' ' .. (args[2] or '')
    if args.whitelist == 'yes' then
        -- a branch no render of the article takes
        local whitelist = require('Module:Footnotes/whitelist')
        text = whitelist.mark(text)
    end
    if anchors.known[author] then
        text = text .. ' (anchored)'
    end
    return text
end

return p
"""

MODULE_ARGUMENTS = """local p = {}
function p.getArgs(frame)
    local args = {}
    for k, v in pairs(frame:getParent().args) do
        args[k] = v
    end
    return args
end
return p
"""

SOURCE_PAGES: dict[str, str] = {
    ARTICLE: ARTICLE_TEXT,
    "Module:Footnotes": MODULE_FOOTNOTES,
    "Module:Footnotes/anchor_id_list": "return { known = { Smith = true } }\n",
    "Module:Footnotes/whitelist": "return { mark = function(s) return s .. ' *' end }\n",
    "Module:Footnotes/doc": "Documentation of the footnotes module.",
    "Module:Footnotes/config": "return { sep = ' ' }\n",
    "Module:Footnotes/config/sandbox": "return { sep = '  ' }\n",
    "Module:Arguments": MODULE_ARGUMENTS,
    "Template:Sfn": "{{#invoke:Footnotes|sfn}}<noinclude>{{Documentation}}</noinclude>",
    "Template:Harvard citation no brackets": "{{{1}}} {{{2}}}",
    "Template:Harvnb": "#REDIRECT [[Template:Harvard citation no brackets]]",
    "Template:Ka icon": "<span>(in Georgian)</span>",
    "Template:Never shown": "Only in an untaken branch.",
    "Template:Documentation": "Docs go here.",
    STYLED: "A styled page: {{Styled box|hello}}\n[[Category:Styled pages]]",
    "Template:Styled box": (
        '<templatestyles src="Styled box/styles.css" /><div class="box">{{{1}}}</div>'
    ),
    "Template:Styled box/styles.css": ".box { border: 1px solid #aaa; }",
}

#: The target's own version of a module (a comment added): it must be kept, not overwritten.
LOCAL_ARGUMENTS = "-- local copy, adapted for this wiki\n" + MODULE_ARGUMENTS

TARGET_PAGES: dict[str, str] = {
    ARTICLE: ARTICLE_TEXT,
    "Module:Arguments": LOCAL_ARGUMENTS,
    STYLED: SOURCE_PAGES[STYLED],
}

#: What the article's closure must contain (besides the article itself).
ARTICLE_NEW = {
    "Module:Footnotes",
    "Module:Footnotes/anchor id list",
    "Module:Footnotes/whitelist",
    "Module:Footnotes/config",
    "Template:Sfn",
    "Template:Harvnb",
    "Template:Harvard citation no brackets",
    "Template:Ka icon",
    "Template:Never shown",
}


def fill(source: Any, target: Any) -> None:
    """Create the pages on both sandbox wikis (as their admins)."""
    source.edit_many(SOURCE_PAGES)
    target.edit_many(TARGET_PAGES)
    # Render the article on the source so its templatelinks exist.
    source.api({"action": "purge", "titles": ARTICLE, "forcelinkupdate": 1}, post=True)


def edit_count(wiki: Any) -> int:
    """How many edits (and imports) the wiki has recorded."""
    answer = wiki.api(
        {"action": "query", "list": "recentchanges", "rclimit": "max", "rcprop": "ids"}
    )
    return len(answer["query"]["recentchanges"])
