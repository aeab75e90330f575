-- Neovim 0.7 (Debian 12): start_client + buf_attach_client; on 0.8+ use vim.lsp.start (docs/editors.md)
local client_id
vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    client_id = client_id or vim.lsp.start_client({ name = "masklint", cmd = { vim.env.MASKLINT_PYTHON, "-m", "masklint", "server" },
                                                     root_dir = vim.fn.getcwd() })
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})
