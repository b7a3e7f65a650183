-- wrk script: every request asks for a page number never asked before, so the shared page
-- cache misses every time and each request builds the page from the database.
local threads = 0

function setup(thread)
  thread:set("offset", threads * 1000000000)
  threads = threads + 1
end

local counter = 0

function request()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?page=" .. (offset + counter))
end
