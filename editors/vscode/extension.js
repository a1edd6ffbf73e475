// @ts-check
/**
 * The VS Code extension of tsportable: starts `tsportable lsp` for Nix files
 * (diagnostics, hovers, completion, definitions, symbols and code lenses all
 * come from the server) and adds a preview panel. The panel shows the
 * `tsportable/preview` of the active document and follows its edits; the
 * code lens "Show image" opens it, "Build image" runs the server's build,
 * whose progress VS Code shows as a notification.
 */
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { renderPreview } = require('./preview.js');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.WebviewPanel | undefined} */
let panel;
/** @type {string | undefined} */
let previewed;

/** @param {string} uri */
async function refresh(uri) {
  if (!client || !panel) return;
  previewed = uri;
  try {
    const plans = await client.sendRequest('tsportable/preview', { textDocument: { uri } });
    if (panel && previewed === uri) panel.webview.html = renderPreview(/** @type {any[]} */ (plans), uri);
  } catch (e) {
    if (panel) panel.webview.html = renderPreview([], String(e));
  }
}

/** @param {string} uri */
function showPreview(uri) {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('tsportable.preview', 'Image preview', vscode.ViewColumn.Beside, { enableScripts: false });
    panel.onDidDispose(() => { panel = undefined; });
  } else {
    panel.reveal(vscode.ViewColumn.Beside, true);
  }
  void refresh(uri);
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  const config = vscode.workspace.getConfiguration('tsportable');
  const [command, ...args] = config.get('command', ['tsportable', 'lsp']);
  client = new LanguageClient('tsportable', 'tsportable', { command, args, transport: TransportKind.stdio }, {
    documentSelector: [{ scheme: 'file', language: 'nix' }, { scheme: 'untitled', language: 'nix' }],
    initializationOptions: {
      searchPath: config.get('searchPath', []),
      overrideInputs: config.get('overrideInputs', {}),
      timeLimitMs: config.get('timeLimitMs', 2000),
    },
    middleware: {
      // The lens "Show image" asks the server for the image; here it opens the panel instead.
      executeCommand: async (name, commandArgs, next) => {
        if (name === 'tsportable.show' && typeof commandArgs[0] === 'string') {
          showPreview(commandArgs[0]);
          return undefined;
        }
        return next(name, commandArgs);
      },
    },
  });
  await client.start();
  let timer;
  context.subscriptions.push(
    vscode.commands.registerCommand('tsportable.preview', () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) showPreview(editor.document.uri.toString());
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const uri = e.document.uri.toString();
      if (uri !== previewed) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(uri), 100);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (panel && editor && editor.document.languageId === 'nix') void refresh(editor.document.uri.toString());
    }),
  );
}

async function deactivate() {
  panel?.dispose();
  await client?.stop();
}

module.exports = { activate, deactivate };
