-- Open model.py, wait for masklint's diagnostics, print them one per line, quit.
vim.cmd("edit model.py")
local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(0)) do
  local message = d.message:gsub("\n", " | ")
  print(string.format("%d:%d %s %s", d.lnum + 1, d.col + 1, d.code, message))
end
if not ok then print("no diagnostics") end
vim.cmd("qa!")
