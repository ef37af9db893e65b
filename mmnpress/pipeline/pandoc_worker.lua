-- Answer the text stage's pandoc requests, read from stdin until it closes (see pandocworker.py).
--
-- A request is one line of JSON: {"id": N, "args": [...], "input": "..."}, where
-- args are the pandoc options the text stage uses (-f, -t, -M KEY=VALUE,
-- --citeproc, --csl, --bibliography). The answer is one line "N ok LENGTH" or
-- "N error LENGTH", then LENGTH bytes: what `pandoc ARGS` would write with the
-- input on stdin, or the message it would print before failing. Nothing is kept
-- from one request to the next.

local function options(args)
  local wanted = {from = "markdown", to = "json", meta = {}, bibliography = {}}
  local i = 1
  while i <= #args do
    local name, value = args[i], args[i + 1]
    if name == "-f" then wanted.from = value
    elseif name == "-t" then wanted.to = value
    elseif name == "--csl" then wanted.csl = value
    elseif name == "--bibliography" then table.insert(wanted.bibliography, value)
    elseif name == "-M" then
      local key, text = value:match("^([^=]+)=(.*)$")
      if text == "true" or text == "false" then
        wanted.meta[key] = (text == "true")
      else
        wanted.meta[key] = text
      end
    elseif name == "--citeproc" then
      wanted.citeproc = true
      i = i - 1
    else
      error("unknown option " .. tostring(name))
    end
    i = i + 2
  end
  return wanted
end

local function convert(request)
  local wanted = options(request.args)
  local doc = pandoc.read(request.input, wanted.from, nil, {})
  for key, value in pairs(wanted.meta) do
    doc.meta[key] = value
  end
  if wanted.csl then doc.meta.csl = wanted.csl end
  -- as the command line sets them: one file a string, several a list
  if #wanted.bibliography == 1 then doc.meta.bibliography = wanted.bibliography[1] end
  if #wanted.bibliography > 1 then doc.meta.bibliography = wanted.bibliography end
  if wanted.citeproc then doc = pandoc.utils.citeproc(doc) end
  return pandoc.write(doc, wanted.to)
end

local function answer(id, status, payload)
  io.write(string.format("%d %s %d\n", id, status, #payload), payload)
  io.stdout:flush()
end

for line in io.lines() do
  local request = pandoc.json.decode(line, false)
  local ok, output = pcall(convert, request)
  answer(request.id, ok and "ok" or "error", ok and output or tostring(output))
end
