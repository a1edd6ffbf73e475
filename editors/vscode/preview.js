// @ts-check
/**
 * The preview panel's page: the images of a document as `tsportable/preview`
 * gives them (the `show --json` objects, docs/show.schema.json), written as
 * `tsportable show` prints them. Plain HTML, no scripts. Kept apart from the
 * editor API so that it can be tested without VS Code.
 */
'use strict';

/** @param {string} s */
function escape(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** @param {string} title @param {string[]} items */
function section(title, items) {
  return `<h3>${escape(title)} (${items.length})</h3>${items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : ''}`;
}

/**
 * @param {any} plan one `show --json` object
 * @returns {string}
 */
function renderPlan(plan) {
  const units = plan.units.map((/** @type {any} */ u) =>
    `<code>/etc/systemd/system/${escape(u.name)}</code> <span class="dim">(${escape(u.source)})</span>${u.text === undefined ? '' : `<pre>${escape(u.text)}</pre>`}`);
  const symlinks = plan.symlinks.map((/** @type {any} */ s) => `<code>${escape(s.symlink)}</code> → <code>${escape(s.object)}</code>`);
  const contents = plan.contents.map((/** @type {any} */ c) => `<code>${escape(c.description)}</code>`);
  const warnings = plan.warnings.map((/** @type {any} */ w) =>
    `<span class="${w.severity}">${escape(w.severity)}</span> ${escape(w.message)} <span class="dim">[${escape(w.code)}]</span>`);
  return [
    `<h2>${escape(plan.imageFileName)}</h2>`,
    '<h3>os-release</h3>', `<pre>${escape(plan.osRelease)}</pre>`,
    section('Units', units),
    section('Symlinks', symlinks),
    section('Contents', contents),
    `<h3>mksquashfs</h3><pre>${escape(plan.mksquashfs.options.join(' '))}</pre>`,
    warnings.length ? section('Warnings', warnings) : '',
  ].join('\n');
}

/**
 * The whole page for a document's images (an empty list says there is none yet).
 * @param {any[]} plans
 * @param {string} title
 * @returns {string}
 */
function renderPreview(plans, title) {
  const body = plans.length
    ? plans.map(renderPlan).join('<hr>')
    : '<p>No image here: the file has errors (see Problems), or is not a <code>pkgs.portableService</code> call.</p>';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>${escape(title)}</title>
<style>
  body { font-family: var(--vscode-font-family); }
  pre { background: var(--vscode-textCodeBlock-background); padding: 0.5em; overflow-x: auto; }
  .dim { opacity: 0.7; } .error { color: var(--vscode-errorForeground); } .warning { color: var(--vscode-editorWarning-foreground); }
</style></head>
<body>${body}</body></html>`;
}

module.exports = { renderPreview };
