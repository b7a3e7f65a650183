-- wrk script: every request asks for a different article, read from a list of article paths,
-- as a crawler walking the archive does. Arguments: the list's file, the index to start at.
-- Each wrk thread takes every other path, so no two requests of a run ask for the same page.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local paths = {}
local index, step = 0, 1

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  step = tonumber(args[3])
  index = tonumber(args[2]) + id
end

function request()
  local path = paths[index % #paths + 1]
  index = index + step
  return wrk.format(nil, path)
end
