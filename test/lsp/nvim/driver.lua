-- Drives dist/server.js from Neovim's built-in LSP client, headless. Written for Neovim 0.7 (Debian 12 ships 0.7.2):
-- vim.lsp.start_client + buf_attach_client (vim.lsp.start is 0.8+), vim.lsp.buf.formatting_sync (buf.format is 0.8+),
-- and `nvim -u NONE -c "luafile …"` (`nvim -l` is 0.9+).
--
-- The driver only acts and records; test/lsp/neovim.test.ts asserts on the JSON it writes to $M3V_OUT and on the file
-- it saves. Environment: M3V_SERVER (dist/server.js), M3V_FILE (the design to open), M3V_OUT (result JSON),
-- M3V_EMOJI=1 when the file has the emoji line (then positions after the emoji are exercised too).
local R = { steps = {} }
local TIMEOUT = 15000

local function finish(code)
  R.code = code
  local f = io.open(os.getenv('M3V_OUT'), 'w')
  f:write(vim.fn.json_encode(R))
  f:close()
  vim.cmd(code == 0 and 'qa!' or 'cq!')
end

local function fail(message)
  R.error = message
  finish(1)
end

local ok, err = pcall(function()
  local file = os.getenv('M3V_FILE')
  -- Vim reads a CR-only file as one long line unless 'mac' is among the fileformats it tries.
  vim.o.fileformats = 'unix,dos,mac'
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  R.fileformat = vim.bo.fileformat

  local client_id = vim.lsp.start_client({
    name = 'm3v',
    cmd = { os.getenv('M3V_NODE') or 'node', os.getenv('M3V_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  if not client_id then return fail('start_client returned nil') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(TIMEOUT, function() return client.initialized end, 20) then return fail('not initialized') end

  local function diagnostics()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(out, { lnum = d.lnum, col = d.col, message = d.message, code = d.code })
    end
    return out
  end
  local function wait_diagnostics(pred, what)
    if not vim.wait(TIMEOUT, function() return pred(vim.diagnostic.get(bufnr)) end, 20) then
      fail('timed out waiting for ' .. what .. ': ' .. vim.inspect(diagnostics()))
      error('stop')
    end
    return diagnostics()
  end
  local function lines() return vim.api.nvim_buf_get_lines(bufnr, 0, -1, true) end
  local function find_line(needle)
    for i, l in ipairs(lines()) do
      local c = l:find(needle, 1, true)
      if c then return i - 1, c - 1 end -- 0-based row, 0-based byte column
    end
    error('line not found: ' .. needle)
  end
  local function request(method, params)
    local responses, e = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
    if not responses then return { err = tostring(e) } end
    local r = responses[client_id] or {}
    local e = r.error or r.err -- 0.7's buf_request_all names it `error`
    return { result = r.result, err = e and { code = e.code, message = e.message } or nil }
  end
  local function at(row, col)
    vim.api.nvim_win_set_cursor(0, { row + 1, col })
    return vim.lsp.util.make_position_params()
  end

  -- 1. Diagnostics of the file as opened (it has one error: heads 5 does not divide dim 64).
  R.open_diagnostics = wait_diagnostics(function(d) return #d > 0 end, 'the first diagnostics')

  -- 2. A ranged edit (incremental sync) fixing it: '5' → '4' on the heads line.
  local row, col = find_line('heads 5')
  vim.api.nvim_buf_set_text(bufnr, row, col + 6, row, col + 7, { '4' })
  R.fixed_diagnostics = wait_diagnostics(function(d) return #d == 0 end, 'no diagnostics after the fix')

  -- 2b. With the emoji line: a ranged edit after the emoji (top_k 2 → 20) and its diagnostic's byte column.
  if os.getenv('M3V_EMOJI') == '1' then
    local erow, ecol = find_line('top_k 2')
    vim.api.nvim_buf_set_text(bufnr, erow, ecol + 6, erow, ecol + 7, { '20' })
    R.emoji_diagnostics = wait_diagnostics(function(d) return #d > 0 end, 'the top_k diagnostic after the emoji')
    R.emoji_expected = { lnum = erow, col = ecol + 6 }
    local params = at(erow, ecol + 7)
    R.emoji_actions = request('textDocument/codeAction', {
      textDocument = params.textDocument,
      range = { start = params.position, ['end'] = params.position },
      context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, erow) or {} },
    })
    vim.api.nvim_buf_set_text(bufnr, erow, ecol + 6, erow, ecol + 8, { '2' })
    wait_diagnostics(function(d) return #d == 0 end, 'no diagnostics after undoing top_k')
    R.emoji_hover = request('textDocument/hover', at(erow, ecol + 1))
    R.emoji_hover_position = at(erow, ecol + 1).position
  end

  -- 3. Formatting: two lines messed up by hand → ranged edits, applied by Neovim; a second request gives none.
  local prow = find_line('patch 16')
  vim.api.nvim_buf_set_lines(bufnr, prow, prow + 1, true, { '      patch    16' })
  local drow = find_line('depth 4')
  vim.api.nvim_buf_set_lines(bufnr, drow, drow + 1, true, { '\tdepth 4   ' })
  local fparams = { textDocument = vim.lsp.util.make_text_document_params(), options = { tabSize = 2, insertSpaces = true } }
  R.format_edits = request('textDocument/formatting', fparams)
  vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  R.after_format = lines()
  R.format_again = request('textDocument/formatting', fparams)

  -- 4. Rename the task semseg → seg (prepareRename then rename, applied by Neovim); 'repeat' is refused.
  local trow, tcol = find_line('task semseg')
  at(trow, tcol + 6)
  R.rename_reserved = request('textDocument/rename', vim.tbl_extend('force', at(trow, tcol + 6), { newName = 'repeat' }))
  vim.lsp.buf.rename('seg')
  if not vim.wait(TIMEOUT, function() return table.concat(lines(), '\n'):find('task seg {', 1, true) ~= nil end, 20) then
    return fail('rename was not applied')
  end
  R.after_rename = lines()

  -- 5. Completion: keys in the hardware block (on a new line), nothing inside a comment even after a space.
  local crow = find_line('clock  200 MHz')
  vim.api.nvim_buf_set_lines(bufnr, crow + 1, crow + 1, true, { '  ' })
  local doc = vim.lsp.util.make_text_document_params()
  R.completion = request('textDocument/completion', { textDocument = doc, position = { line = crow + 1, character = 2 } })
  vim.api.nvim_buf_set_lines(bufnr, crow + 1, crow + 1, true, { '  // a comment ' })
  R.completion_in_comment = request('textDocument/completion', {
    textDocument = doc,
    position = { line = crow + 1, character = 15 },
    context = { triggerKind = 2, triggerCharacter = ' ' },
  })
  vim.api.nvim_buf_set_lines(bufnr, crow + 1, crow + 3, true, {})

  -- 6. Hover on a value (the clock) and code lens.
  local hrow, hcol = find_line('200 MHz')
  R.hover = request('textDocument/hover', at(hrow, hcol + 5))
  wait_diagnostics(function(d) return #d == 0 end, 'a clean design before code lens')
  R.codelens = request('textDocument/codeLens', { textDocument = vim.lsp.util.make_text_document_params() })

  -- Save: Neovim writes the buffer in its fileformat; the test compares the bytes on disk.
  vim.cmd('write')
  R.final_fileformat = vim.bo.fileformat
  vim.lsp.stop_client(client_id)
  finish(0)
end)
if not ok and not R.error then
  R.error = tostring(err)
  finish(1)
elseif not ok then
  finish(1)
end
