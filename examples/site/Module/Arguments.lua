-- Arguments: the parameters of the template that invoked a module, trimmed,
-- with empty named parameters dropped.
local p = {}

-- options.parentOnly: read only the template's parameters, not the #invoke's.
function p.getArgs(frame, options)
	local args = {}
	local parent = frame:getParent()
	local sources = { parent and parent.args or {} }
	if not (options and options.parentOnly) then
		table.insert(sources, frame.args)
	end
	for _, source in ipairs(sources) do
		for k, v in pairs(source) do
			if args[k] == nil then
				v = mw.text.trim(v)
				if v ~= '' then
					args[k] = v
				end
			end
		end
	end
	return args
end

return p
