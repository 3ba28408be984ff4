import { msg, type Message } from '../message';

/**
 * Errors of Swarm actions (scale, force update, remove stack, service logs) in words a view can show.
 * Pure: the host passes the HTTP status and the engine's text (`{"message": ...}` of an Engine API error).
 */

export type SwarmAction = 'scale' | 'force-update' | 'remove-stack' | 'logs' | 'read';

export type SwarmErrorReason =
  | 'not-a-manager'
  | 'not-found'
  | 'out-of-sequence'
  | 'global-mode'
  | 'invalid-replicas'
  | 'logs-unsupported'
  | 'unreachable'
  | 'engine';

export interface SwarmError {
  readonly reason: SwarmErrorReason;
  readonly message: Message;
}

/**
 * Classifies an Engine API failure. `statusCode` is the HTTP status when there was an answer; `code` the
 * Node error code (ECONNREFUSED, ...) when there was none.
 */
export function classifySwarmError(action: SwarmAction, target: string, statusCode: number | undefined, engineText: string, code?: string): SwarmError {
  const text = engineText.trim();
  if (statusCode === undefined && code) return { reason: 'unreachable', message: msg('Docker did not answer ({0}); {1} was not changed.', code, target) };
  if (statusCode === 503 || /not a swarm manager|not part of a swarm|This node is not a swarm manager/i.test(text)) {
    return { reason: 'not-a-manager', message: msg('The connected Docker engine is not a Swarm manager, so {0} cannot be changed from here.', target) };
  }
  if (statusCode === 404) return { reason: 'not-found', message: msg('{0} no longer exists (removed meanwhile?).', target) };
  if (/update out of sequence/i.test(text)) return { reason: 'out-of-sequence', message: msg('{0} changed while it was being updated; try again.', target) };
  if (action === 'logs' && /logging driver does not support reading|configured logging driver does not support/i.test(text)) {
    return { reason: 'logs-unsupported', message: msg('The logs of {0} cannot be read: its log driver does not support reading (use json-file, local or journald).', target) };
  }
  const detail = text === '' ? `HTTP ${statusCode ?? '?'}` : text;
  switch (action) {
    case 'scale':
      return { reason: 'engine', message: msg('Scaling {0} failed: {1}', target, detail) };
    case 'force-update':
      return { reason: 'engine', message: msg('Restarting the tasks of {0} failed: {1}', target, detail) };
    case 'remove-stack':
      return { reason: 'engine', message: msg('Removing stack {0} failed: {1}', target, detail) };
    case 'logs':
      return { reason: 'engine', message: msg('Reading the logs of {0} failed: {1}', target, detail) };
    case 'read':
      return { reason: 'engine', message: msg('Reading {0} from Docker failed: {1}', target, detail) };
  }
}

/** Refusals decided before asking the engine. */
export function globalModeScaleError(service: string): SwarmError {
  return { reason: 'global-mode', message: msg('{0} runs in global mode (one task per node): it cannot be scaled.', service) };
}

export function invalidReplicasError(value: string): SwarmError {
  return { reason: 'invalid-replicas', message: msg('Replicas must be a whole number from 0 to 1000, not "{0}".', value) };
}

/** Parses what a user typed as a replica count; undefined when it is not a whole number in 0..1000. */
export function parseReplicas(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 1000 ? value : undefined;
}
