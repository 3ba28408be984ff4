import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MapView } from '../../core/map/graph';
import { escapeXml } from '../../core/map/svg';

/**
 * The map's HTML shell. Strict Content Security Policy: nothing is allowed by default; the one script runs
 * by nonce, styles and the script come only from media/map (the panel's only local resource root), and
 * nothing is loaded from the network. The picture itself arrives as a message (see map.js).
 */
export function mapHtml(webview: vscode.Webview, extensionUri: vscode.Uri, familyKey: string, view: MapView): string {
  const nonce = randomBytes(18).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'map', file)).toString();
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  const t = (text: string) => escapeXml(text);
  const labels = {
    dev: vscode.l10n.t('Development'),
    prod: vscode.l10n.t('Production'),
    configuration: vscode.l10n.t('Configuration'),
    exportSvg: vscode.l10n.t('Export SVG'),
    copyMermaid: vscode.l10n.t('Copy Mermaid'),
    zoomIn: vscode.l10n.t('Zoom in'),
    zoomOut: vscode.l10n.t('Zoom out'),
    fit: vscode.l10n.t('Fit to window'),
    toolbar: vscode.l10n.t('Architecture map toolbar'),
    loading: vscode.l10n.t('Drawing the map…'),
    noProd: vscode.l10n.t('This project has no production file: the production view is the base file alone.'),
    help: vscode.l10n.t('Tab or arrow keys move between services; Enter opens a definition.'),
  };
  return `<!DOCTYPE html>
<html lang="${t(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('map.css')}">
<title>${t(vscode.l10n.t('Architecture map'))}</title>
</head>
<body data-family="${t(familyKey)}" data-view="${view}" data-no-prod="${t(labels.noProd)}">
<header class="toolbar" role="toolbar" aria-label="${t(labels.toolbar)}">
  <h1 id="project" class="project"></h1>
  <div class="segmented" role="radiogroup" aria-label="${t(labels.configuration)}">
    <button type="button" role="radio" data-view="dev" aria-checked="${view === 'dev'}">${t(labels.dev)}</button>
    <button type="button" role="radio" data-view="prod" aria-checked="${view === 'prod'}">${t(labels.prod)}</button>
  </div>
  <span id="summary" class="summary"></span>
  <span class="spacer"></span>
  <button type="button" id="zoom-out" class="icon" title="${t(labels.zoomOut)}" aria-label="${t(labels.zoomOut)}">−</button>
  <button type="button" id="zoom-fit" class="icon" title="${t(labels.fit)}" aria-label="${t(labels.fit)}">⤢</button>
  <button type="button" id="zoom-in" class="icon" title="${t(labels.zoomIn)}" aria-label="${t(labels.zoomIn)}">+</button>
  <button type="button" id="export-svg">${t(labels.exportSvg)}</button>
  <button type="button" id="copy-mermaid">${t(labels.copyMermaid)}</button>
</header>
<p id="note" class="note" hidden></p>
<main id="canvas" class="canvas" aria-describedby="help"><p class="placeholder">${t(labels.loading)}</p></main>
<p id="help" class="visually-hidden">${t(labels.help)}</p>
<div id="live" class="visually-hidden" aria-live="polite"></div>
<script nonce="${nonce}" src="${media('map.js')}"></script>
</body>
</html>`;
}
