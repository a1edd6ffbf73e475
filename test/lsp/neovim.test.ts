/**
 * A real editor as the client: Neovim (Debian's 0.7, headless, no user
 * configuration) starts `tsportable lsp` with `vim.lsp.start_client`, attaches
 * it to a broken file and to the demo, waits for the broken file's
 * diagnostics, and asks for the hover of a unit and the completion after
 * `pkgs.`. The Lua script writes what it got as JSON lines on stdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { cliPath, positionOf, useTempDir } from './client.js';

const dir = useTempDir(['demo']);

/** The Lua script: `inputs` are handed over as JSON. */
const script = `
local inputs = vim.fn.json_decode(vim.fn.readfile(vim.env.TSPORTABLE_NVIM_INPUTS)[1])
local function emit(key, value)
  io.stdout:write(vim.fn.json_encode({ key = key, value = value }) .. "\\n")
end

local client = vim.lsp.start_client({
  name = "tsportable",
  cmd = inputs.cmd,
  root_dir = inputs.root,
  init_options = { debounceMs = 5 },
})

vim.cmd("edit " .. inputs.broken)
local broken = vim.api.nvim_get_current_buf()
vim.bo[broken].filetype = "nix"
vim.lsp.buf_attach_client(broken, client)
local got = vim.wait(30000, function() return #vim.diagnostic.get(broken) > 0 end, 20)
emit("diagnostics", vim.tbl_map(function(d)
  return { lnum = d.lnum, col = d.col, message = d.message, severity = d.severity }
end, vim.diagnostic.get(broken)))

vim.cmd("edit " .. inputs.demo)
local demo = vim.api.nvim_get_current_buf()
vim.bo[demo].filetype = "nix"
vim.lsp.buf_attach_client(demo, client)
local uri = vim.uri_from_bufnr(demo)

local hover = vim.lsp.buf_request_sync(demo, "textDocument/hover",
  { textDocument = { uri = uri }, position = inputs.unit }, 30000)
for _, r in pairs(hover or {}) do
  if r.result then emit("hover", r.result.contents.value) end
end

local completion = vim.lsp.buf_request_sync(demo, "textDocument/completion",
  { textDocument = { uri = uri }, position = inputs.afterPkgs }, 30000)
for _, r in pairs(completion or {}) do
  if r.result then
    emit("completion", vim.tbl_map(function(i) return i.label end, r.result.items or r.result))
  end
end

vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 20)
vim.cmd("qa!")
`;

test('Neovim 0.7 as the client: diagnostics of a broken file, the hover of a unit, completion after pkgs.', async () => {
  const demo = join(dir.path, 'demo', 'default.nix');
  const demoText = await readFile(demo, 'utf8');
  const broken = join(dir.path, 'demo', 'broken.nix');
  await writeFile(broken, demoText.replace('version = "1.0";', 'version = "1.0"'));
  const inputs = {
    cmd: [process.execPath, cliPath, 'lsp', '--stdio'],
    root: dir.path,
    broken,
    demo,
    unit: positionOf(demoText, 'demo-service demo-socket', 3),
    afterPkgs: positionOf(demoText, 'pkgs.writeText', 5),
  };
  const inputsFile = join(dir.path, 'inputs.json');
  await writeFile(inputsFile, JSON.stringify(inputs));
  await writeFile(join(dir.path, 'test.lua'), script);
  const r = await execa('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${join(dir.path, 'test.lua')}`], {
    cwd: dir.path, env: { TSPORTABLE_NVIM_INPUTS: inputsFile, NO_COLOR: '1' }, reject: false, timeout: 120_000, stdin: 'ignore',
  });
  const results = new Map<string, unknown>();
  for (const line of String(r.stdout).split('\n')) {
    if (line.startsWith('{')) {
      const { key, value } = JSON.parse(line) as { key: string; value: unknown };
      results.set(key, value);
    }
  }
  expect({ exitCode: r.exitCode, keys: [...results.keys()] }).toEqual({ exitCode: 0, keys: ['diagnostics', 'hover', 'completion'] });

  const versionLine = demoText.split('\n').findIndex((l) => l.includes('version = "1.0"'));
  expect(results.get('diagnostics')).toEqual([
    { lnum: versionLine + 1, col: expect.any(Number), message: expect.stringMatching(/^syntax error, unexpected/), severity: 1 },
  ]);
  const hover = results.get('hover') as string;
  expect(hover).toContain('/etc/systemd/system/demo.service');
  expect(hover).toContain('ExecStart=${pkgs.writeShellScriptBin "demo-greeter" (...)}/bin/demo-greeter');
  expect(results.get('completion')).toEqual(expect.arrayContaining(['writeText', 'writeShellScriptBin', 'portableService', 'hello']));
});
