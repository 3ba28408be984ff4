import * as vscode from 'vscode';
import { formatPorts, type ContainerInfo, type Health } from '../../core/docker/containers';
import { describeEndpoint, unreachableReasonText } from '../../core/docker/endpoint';
import {
  serviceModeText,
  serviceStatusText,
  stackLabel,
  stackServiceDescription,
  stackServiceSpeech,
  stackSpeech,
  taskSpeech,
  taskStateText,
  updateStateText,
  type StackNode,
  type StackServiceNode,
  type TaskNode,
} from '../../core/docker/swarm';
import {
  containerSpeech,
  formatDuration,
  healthText,
  projectRollup,
  projectSpeech,
  serviceDescription,
  serviceSpeech,
  stateText,
  uptimeText,
  type ProjectNode,
  type ServiceNode,
  type ServiceState,
} from '../../core/docker/servicesModel';
import type { EngineSpec } from '../../core/docker/engines';
import type { Message } from '../../core/message';
import type { LiveConnection } from '../../host/docker/liveContainers';
import { localize } from '../context';

export const speak = (parts: readonly Message[]): string => parts.map(localize).join(', ');

function icon(state: ServiceState, health: Health, exitCode?: number): vscode.ThemeIcon {
  const color = (id: string) => new vscode.ThemeColor(id);
  switch (state) {
    case 'unknown':
      return new vscode.ThemeIcon('question', color('disabledForeground'));
    case 'not-created':
      return new vscode.ThemeIcon('circle-large-outline', color('disabledForeground'));
    case 'created':
      return new vscode.ThemeIcon('circle-outline', color('descriptionForeground'));
    case 'paused':
      return new vscode.ThemeIcon('debug-pause', color('charts.yellow'));
    case 'restarting':
      return new vscode.ThemeIcon('sync~spin', color('charts.orange'));
    case 'removing':
      return new vscode.ThemeIcon('trash', color('descriptionForeground'));
    case 'dead':
      return new vscode.ThemeIcon('circle-slash', color('errorForeground'));
    case 'exited':
      return exitCode !== undefined && exitCode !== 0
        ? new vscode.ThemeIcon('error', color('problemsErrorIcon.foreground'))
        : new vscode.ThemeIcon('debug-stop', color('descriptionForeground'));
    case 'running':
      switch (health) {
        case 'healthy':
          return new vscode.ThemeIcon('pass-filled', color('testing.iconPassed'));
        case 'unhealthy':
          return new vscode.ThemeIcon('heart', color('testing.iconFailed'));
        case 'starting':
          return new vscode.ThemeIcon('loading~spin', color('charts.yellow'));
        case 'none':
          return new vscode.ThemeIcon('circle-filled', color('charts.green'));
      }
  }
}

/** Flags read by the `when` clauses of package.json menus (`viewItem =~ /\bcanStop\b/`). */
function serviceContext(service: ServiceNode, hasBuild: boolean): string {
  const flags = ['service'];
  const states = service.containers.map((c) => c.state);
  if (service.state !== 'unknown' && (states.length === 0 || states.some((s) => s !== 'running' && s !== 'restarting' && s !== 'removing'))) flags.push('canStart');
  if (states.some((s) => s === 'running' || s === 'paused' || s === 'restarting')) flags.push('canStop');
  if (states.length > 0) flags.push('hasContainers');
  if (service.containers.some((c) => c.health !== 'none' || c.probes.length > 0)) flags.push('hasHealth');
  if (!service.declared) flags.push('orphan');
  if (hasBuild) flags.push('hasBuild');
  return flags.join(' ');
}

function containerContext(container: ContainerInfo): string {
  const flags = ['container'];
  if (container.state !== 'running' && container.state !== 'restarting' && container.state !== 'removing') flags.push('canStart');
  if (container.state === 'running' || container.state === 'paused' || container.state === 'restarting') flags.push('canStop');
  if (container.health !== 'none' || container.probes.length > 0) flags.push('hasHealth');
  return flags.join(' ');
}

/** Seconds as the countdown shows them. */
function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * An engine's row when the view shows several: its name, its state (connecting, the Docker version, or why it
 * is unreachable with a countdown to the next attempt) and a rollup of what runs there.
 */
export function engineItem(spec: EngineSpec, connection: LiveConnection, retryInMs: number | undefined, rollup: { projects: number; unhealthy: number }): vscode.TreeItem {
  // No twistie on an engine with nothing to show (unreachable, or no project there); it expands when it has some.
  const item = new vscode.TreeItem(spec.name, rollup.projects > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `engine:${spec.key}`;
  const where = connection.status === 'idle' ? describeEndpoint(spec.endpoint) : describeEndpoint(connection.endpoint);
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(spec.name)}** — `);
  tooltip.appendText(spec.context ? vscode.l10n.t('{0} (docker context {1})', where, spec.context) : where);
  tooltip.appendMarkdown('\n\n');
  let state: string;
  const flags = ['engine', spec.local ? 'local' : 'remote'];
  switch (connection.status) {
    case 'idle':
      state = vscode.l10n.t('not connected');
      item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor('disabledForeground'));
      item.description = state;
      break;
    case 'connecting':
      state = vscode.l10n.t('connecting…');
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.description = state;
      break;
    case 'connected': {
      state = vscode.l10n.t('connected, Docker {0}', connection.version);
      const health = rollup.unhealthy > 0 ? vscode.l10n.t('{0} unhealthy', rollup.unhealthy) : undefined;
      item.description = [`Docker ${connection.version}`, ...(health ? [health] : [])].join(' · ');
      item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor(rollup.unhealthy > 0 ? 'testing.iconFailed' : 'testing.iconPassed'));
      flags.push('connected');
      if (health) state = `${state}, ${health}`;
      break;
    }
    case 'unreachable': {
      const reason = localize(unreachableReasonText(connection.unreachable.reason));
      const retry = retryInMs !== undefined ? vscode.l10n.t('retry in {0} s', seconds(retryInMs)) : undefined;
      state = vscode.l10n.t('unreachable, {0}', reason);
      item.description = [reason, ...(retry ? [retry] : [])].join(' · ');
      item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      tooltip.appendText(localize(connection.unreachable.message) + '\n\n');
      tooltip.appendText(vscode.l10n.t('Attempt {0}; the next one by itself in {1} s. Retry tries now.', connection.attempts, seconds(retryInMs ?? connection.retryInMs)));
      flags.push('unreachable');
      break;
    }
  }
  if (connection.status !== 'unreachable') tooltip.appendText(state);
  item.tooltip = tooltip;
  item.contextValue = flags.join(' ');
  item.accessibilityInformation = { label: `${spec.name}, ${vscode.l10n.t('Docker engine')}, ${state}` };
  return item;
}

export function connectionItem(connection: LiveConnection, retryInMs?: number): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Docker not reachable'), vscode.TreeItemCollapsibleState.None);
  item.id = 'docker-connection';
  if (connection.status !== 'unreachable') return item;
  const why = localize(connection.unreachable.message);
  item.description = `${localize(unreachableReasonText(connection.unreachable.reason))} · ${describeEndpoint(connection.endpoint)}`;
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(why);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(vscode.l10n.t('Endpoint: {0} (from {1})', describeEndpoint(connection.endpoint), connection.endpoint.source));
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(vscode.l10n.t('Retrying by itself in {0} s (attempt {1}); declared services are shown with an unknown state.', seconds(retryInMs ?? connection.retryInMs), connection.attempts));
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = 'dockerUnreachable';
  item.command = { command: 'composeBlueprint.retryDocker', title: vscode.l10n.t('Retry') };
  item.accessibilityInformation = { label: `${vscode.l10n.t('Docker not reachable')}, ${why}` };
  return item;
}

export function projectItem(project: ProjectNode, hasProd: boolean, baseFile: vscode.Uri): vscode.TreeItem {
  const item = new vscode.TreeItem(project.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `project:${project.key}`;
  item.description = localize(projectRollup(project));
  const color = !project.live ? 'disabledForeground' : project.unhealthy > 0 ? 'testing.iconFailed' : project.total > 0 && project.healthy === project.total ? 'testing.iconPassed' : undefined;
  item.iconPath = new vscode.ThemeIcon('layers', color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = ['project', ...(hasProd ? ['hasProd'] : []), ...(project.live ? ['live'] : [])].join(' ');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(project.name)}** — ${escape(localize(projectRollup(project)))}\n\n`);
  if (project.live) tooltip.appendText(vscode.l10n.t('{0} of {1} services running, {2} unhealthy', project.running, project.total, project.unhealthy) + '\n\n');
  tooltip.appendText(baseFile.fsPath);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: speak(projectSpeech(project)) };
  return item;
}

export function serviceItem(service: ServiceNode, now: number, hasBuild = false): vscode.TreeItem {
  const collapsible = service.containers.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(service.name, collapsible);
  item.id = `service:${service.key}`;
  const description = [serviceDescription(service)];
  // Running services say it with their icon and "n/m"; every other state is also written out.
  if (service.state !== 'running') description.unshift(localize(stateText(service.state, service.exitCode)));
  if (!service.declared) description.push(vscode.l10n.t('not declared'));
  item.description = description.filter((d) => d !== '').join(' · ');
  item.iconPath = icon(service.state, service.health, service.exitCode);
  item.contextValue = serviceContext(service, hasBuild);
  item.accessibilityInformation = { label: speak(serviceSpeech(service)) };
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(service.name)}** — ${escape(speak(serviceSpeech(service).slice(1)))}\n\n`);
  if (service.replicas > 0) tooltip.appendText(vscode.l10n.t('Replicas: {0} running of {1}', service.running, service.replicas) + '\n\n');
  const ports = formatPorts(service.ports);
  if (ports) tooltip.appendText(vscode.l10n.t('Ports: {0}', ports) + '\n\n');
  const first = service.containers[0];
  if (first) appendContainerDetails(tooltip, first, now);
  item.tooltip = tooltip;
  item.command = { command: 'composeBlueprint.services.openDefinition', title: vscode.l10n.t('Open Definition'), arguments: [{ serviceKey: service.key }] };
  return item;
}

export function containerItem(container: ContainerInfo, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(container.name, vscode.TreeItemCollapsibleState.None);
  item.id = `container:${container.id}`;
  const parts = [localize(stateText(container.state, container.exitCode))];
  if (container.health !== 'none') parts.push(localize(healthText(container.health)));
  const ports = formatPorts(container.ports);
  if (ports) parts.push(ports);
  if (container.oneOff) parts.push(vscode.l10n.t('one-off'));
  item.description = parts.join(' · ');
  item.iconPath = icon(container.state, container.health, container.exitCode);
  item.contextValue = containerContext(container);
  item.accessibilityInformation = { label: speak(containerSpeech(container)) };
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(container.name)}** — ${escape(speak(containerSpeech(container).slice(1)))}\n\n`);
  appendContainerDetails(tooltip, container, now);
  item.tooltip = tooltip;
  return item;
}

function appendContainerDetails(tooltip: vscode.MarkdownString, container: ContainerInfo, now: number): void {
  const lines = [vscode.l10n.t('Image: {0}', container.image), vscode.l10n.t('Container: {0} ({1})', container.name, container.id.slice(0, 12))];
  const uptime = uptimeText(container, now);
  if (uptime) lines.push(localize(uptime));
  if (container.restartCount !== undefined) lines.push(vscode.l10n.t('Restarts: {0}', container.restartCount));
  if (container.health !== 'none' || container.probes.length > 0) lines.push(vscode.l10n.t('Health: {0}, failing streak {1}', localize(healthText(container.health)), container.failingStreak));
  tooltip.appendText(lines.join('\n') + '\n');
  const probes = container.probes.slice(-3);
  if (probes.length > 0) {
    tooltip.appendMarkdown('\n' + escape(vscode.l10n.t('Last probes:')) + '\n');
    for (const probe of probes) {
      const output = probe.output.trim().replace(/\s+/g, ' ').slice(0, 120);
      tooltip.appendMarkdown(`- \`${probe.end.slice(11, 19) || '?'}\` `);
      tooltip.appendText(vscode.l10n.t('exit {0}', probe.exitCode) + (output ? `: ${output}` : ''));
      tooltip.appendMarkdown('\n');
    }
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

// ---- Swarm stacks: the same icons and colours as compose projects, services and containers. ----

function stackServiceIcon(service: StackServiceNode): vscode.ThemeIcon {
  const color = (id: string) => new vscode.ThemeColor(id);
  switch (service.status) {
    case 'updating':
      return new vscode.ThemeIcon('sync~spin', color('charts.orange'));
    case 'failing':
      return new vscode.ThemeIcon('error', color('problemsErrorIcon.foreground'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin', color('charts.yellow'));
    case 'scaled-to-zero':
      return new vscode.ThemeIcon('circle-large-outline', color('disabledForeground'));
    case 'pending':
      return new vscode.ThemeIcon('circle-outline', color('charts.yellow'));
    case 'ok':
      return icon('running', service.health);
  }
}

function taskIcon(task: TaskNode): vscode.ThemeIcon {
  const color = (id: string) => new vscode.ThemeColor(id);
  switch (task.state) {
    case 'running':
      return icon('running', task.health);
    case 'failed':
    case 'rejected':
      return new vscode.ThemeIcon('error', color('problemsErrorIcon.foreground'));
    case 'complete':
      return new vscode.ThemeIcon('debug-stop', color('descriptionForeground'));
    case 'shutdown':
    case 'remove':
    case 'orphaned':
      return new vscode.ThemeIcon('circle-slash', color('disabledForeground'));
    case 'starting':
    case 'preparing':
    case 'ready':
      return new vscode.ThemeIcon('loading~spin', color('charts.yellow'));
    default:
      return new vscode.ThemeIcon('circle-outline', color('descriptionForeground'));
  }
}

/** A stack as a project: `engine` makes ids unique when one daemon is reached twice. */
export function stackItem(stack: StackNode, engine: string): vscode.TreeItem {
  const item = new vscode.TreeItem(localize(stackLabel(stack)), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `stack:${engine}:${stack.key}`;
  // Short like a compose project's "2/3 healthy" (the sidebar is narrow); the label spoken says "swarm stack".
  item.description = stack.total === 0 ? vscode.l10n.t('stack · no services') : vscode.l10n.t('stack · {0}/{1} healthy', stack.healthy, stack.total);
  const color = stack.unhealthy > 0 ? 'testing.iconFailed' : stack.total > 0 && stack.healthy === stack.total ? 'testing.iconPassed' : undefined;
  item.iconPath = new vscode.ThemeIcon('layers', color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = stack.loose ? 'stack loose' : 'stack';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(localize(stackLabel(stack)))}** — ${escape(speak(stackSpeech(stack).slice(1)))}\n\n`);
  tooltip.appendText(vscode.l10n.t('{0} of {1} tasks running', stack.running, stack.desired));
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: speak(stackSpeech(stack)) };
  return item;
}

export function stackServiceItem(service: StackServiceNode, engine: string): vscode.TreeItem {
  const item = new vscode.TreeItem(service.name, service.tasks.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `swarm-service:${engine}:${service.key}`;
  const description = [stackServiceDescription(service)];
  if (service.status !== 'ok') description.push(localize(serviceStatusText(service.status)));
  if (service.health === 'unhealthy') description.push(localize(healthText('unhealthy')));
  if (service.updateState && service.updateState !== 'completed' && service.status !== 'updating') description.push(localize(updateStateText(service.updateState)));
  item.description = description.join(' · ');
  item.iconPath = stackServiceIcon(service);
  item.contextValue = ['swarmService', service.mode === 'replicated' ? 'canScale' : 'notScalable'].join(' ');
  item.accessibilityInformation = { label: speak(stackServiceSpeech(service)) };
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(service.fullName)}** — ${escape(speak(stackServiceSpeech(service).slice(1)))}\n\n`);
  const lines = [vscode.l10n.t('Image: {0}', service.image), vscode.l10n.t('Mode: {0}', localize(serviceModeText(service.mode))), vscode.l10n.t('Service: {0}', service.id.slice(0, 12))];
  if (service.updateState) lines.push(localize(updateStateText(service.updateState, service.updateMessage)));
  const ports = formatPorts(service.ports);
  if (ports) lines.push(vscode.l10n.t('Ports: {0}', ports));
  tooltip.appendText(lines.join('\n'));
  item.tooltip = tooltip;
  return item;
}

export function taskItem(task: TaskNode, engine: string, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(task.name, vscode.TreeItemCollapsibleState.None);
  item.id = `swarm-task:${engine}:${task.key}`;
  const parts = [localize(taskStateText(task.state, task.exitCode))];
  if (task.health !== 'none') parts.push(localize(healthText(task.health)));
  if (task.nodeName !== '') parts.push(task.nodeName);
  const since = Date.parse(task.since);
  if (Number.isFinite(since)) parts.push(vscode.l10n.t('{0} ago', formatDuration(now - since)));
  if (task.error) parts.push(task.error);
  else if (task.state === 'pending' && task.message !== '') parts.push(task.message);
  item.description = parts.join(' · ');
  item.iconPath = taskIcon(task);
  item.contextValue = ['task', ...(task.current ? ['current'] : ['history']), ...(task.containerId ? ['hasContainer'] : [])].join(' ');
  item.accessibilityInformation = { label: speak(taskSpeech(task)) };
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(task.name)}** — ${escape(speak(taskSpeech(task).slice(1)))}\n\n`);
  const lines = [vscode.l10n.t('Task: {0}', task.id), vscode.l10n.t('Desired state: {0}', localize(taskStateText(task.desiredState)))];
  if (task.message !== '') lines.push(vscode.l10n.t('Message: {0}', task.message));
  if (task.containerId) lines.push(vscode.l10n.t('Container: {0}', task.containerId.slice(0, 12)));
  if (task.since) lines.push(vscode.l10n.t('Since: {0}', task.since));
  tooltip.appendText(lines.join('\n'));
  item.tooltip = tooltip;
  return item;
}
