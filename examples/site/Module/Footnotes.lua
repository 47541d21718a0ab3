-- Footnotes: {{sfn}}, {{sfnp}} and the Harvard citation templates.
-- Short citations: "Service 2004, p. 259." linking to the full citation's CITEREF anchor.
require('strict')
local getArgs = require('Module:Arguments').getArgs
-- Anchors known to exist on the wiki, for the "no target" check.
local anchor_id_list = require('Module:Footnotes/anchor_id_list')

local p = {}

local function is_year(value)
	return mw.ustring.match(value, '^%d%d%d%d?%l?$')
		or mw.ustring.match(value, '^n%.d%.%l?$')
		or mw.ustring.match(value, '^nd%l?$')
		or mw.ustring.match(value, '^c%. %d%d%d%d?%l?$')
		or mw.ustring.match(value, '^%d%d%d%d–%d%d%d?%d?%l?$')
end

-- "Smith", "Smith & Jones", "Smith, Jones & Lee", "Smith et al." and the year.
local function names_and_year(parts, year_left, year_right)
	local year
	if #parts >= 2 and is_year(parts[#parts]) then
		year = table.remove(parts)
	end
	local head
	if #parts >= 4 then
		head = parts[1] .. ' et al.'
	elseif #parts == 3 then
		head = parts[1] .. ', ' .. parts[2] .. ' & ' .. parts[3]
	elseif #parts == 2 then
		head = parts[1] .. ' & ' .. parts[2]
	else
		head = parts[1] or ''
	end
	if year then
		head = head .. ' ' .. year_left .. year .. year_right
	end
	return head
end

local function core(args, style)
	local parts, anchor = {}, {}
	for i = 1, 5 do
		if args[i] then
			table.insert(parts, args[i])
			table.insert(anchor, args[i])
		end
	end
	if #anchor == 5 and not is_year(anchor[5]) then
		table.remove(anchor)
	end
	local result = names_and_year(parts, style.year_left or '', style.year_right or '')
	local ps = args.ps or args.postscript or style.ps or ''
	if ps == 'none' then
		ps = ''
	end
	local page, pages, loc = args.p or args.page, args.pp or args.pages, args.loc
	if result:sub(-1) == '.' and ps:sub(1, 1) == '.' and not (page or pages or loc) then
		result = result:sub(1, -2)
	end
	local ref = args.ref or args.Ref
	if ref ~= 'none' then
		local target = ref or ('CITEREF' .. table.concat(anchor))
		result = '[[#' .. mw.uri.anchorEncode(target) .. '|' .. result .. ']]'
	end
	if page then
		result = result .. (style.page_sep or ', p. ') .. page
	elseif pages then
		result = result .. (style.pages_sep or ', pp. ') .. pages
	end
	if loc then
		result = result .. ', ' .. loc
	end
	result = (style.left or '') .. result .. (style.right or '') .. ps
	result = result:gsub('%s+', ' ')
	local name = ('FOOTNOTE' .. table.concat(anchor) .. (page or '') .. (pages or '') .. (loc or ''))
		:gsub('%s+', ' ')
	return result, name
end

local function style_of(frame, defaults)
	local style = {}
	for k, v in pairs(defaults) do
		style[k] = v
	end
	style.year_left = frame.args.bracket_year_left or style.year_left
	style.year_right = frame.args.bracket_year_right or style.year_right
	style.left = frame.args.bracket_left or style.left
	style.right = frame.args.bracket_right or style.right
	style.page_sep = frame.args.page_sep or style.page_sep
	style.pages_sep = frame.args.pages_sep or style.pages_sep
	return style
end

-- {{sfn}}, {{sfnp}}: a named footnote.
function p.sfn(frame)
	local args = getArgs(frame, { parentOnly = true })
	local text, name = core(args, style_of(frame, { ps = '.' }))
	return frame:extensionTag({ name = 'ref', args = { name = name }, content = text })
end

-- {{harv}}, {{harvnb}}, {{harvtxt}}: the citation as running text.
function p.harvard_citation(frame)
	local args = getArgs(frame, { parentOnly = true })
	local text = core(args, style_of(frame, {}))
	return text
end

return p
