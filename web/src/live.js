import { HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { currentSession } from './session.js';
import { peoplesWords } from './refusals.js';

// The one SignalR connection of the page. It reports its state (connected / reconnecting /
// offline) and, after every reconnect, runs the registered resubscribers (open proposals
// again, watch the dashboard again, resync documents) before it says "connected".
// The browser's own offline signal stops the connection at once: a WebSocket may otherwise
// look open for a long time after the network went away.

const RETRY_MS = [0, 500, 1000, 2000, 4000, 8000];

// Every event the hub pushes (HubEvents on the server). Each is registered on the connection
// from the start: the server pushes some whatever the page shows (ToDoChanged to the member's
// connections, the Chair's dashboard included), and an event with no registered method makes
// the SignalR client log "No client method with the name 'todochanged' found" on the console.
// With no view listening, such a push is simply not for this page.
export const HUB_EVENTS = ['EditApplied', 'PresenceChanged', 'ProposalUpdated', 'GroupConsensusChanged', 'ToDoChanged', 'ProgressChanged',
  'StructureChanged', 'VersionRecorded', 'AmendmentChanged', 'CommentChanged', 'IntegrityIncident'];

export class Live extends EventTarget {
  constructor() {
    super();
    this.state = 'offline';
    this.handlers = new Map();
    this.resubscribers = new Set();
    this.wanted = false;
    this.retry = 0;
    this.connection = null;
    window.addEventListener('offline', () => this.goOffline());
    window.addEventListener('online', () => { if (this.wanted) this.start(); });
  }

  setState(state, detail = '') {
    this.state = state;
    this.detail = detail;
    this.dispatchEvent(new Event('state'));
  }

  /** Subscribes to a hub event; returns the unsubscribe function. */
  on(event, handler) {
    if (!this.handlers.has(event)) {
      this.handlers.set(event, new Set());
      if (!HUB_EVENTS.includes(event)) this.connection?.on(event, (message) => this.emit(event, message));
    }
    this.handlers.get(event).add(handler);
    return () => this.handlers.get(event)?.delete(handler);
  }

  emit(event, message) {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(message);
  }

  /** Runs now (when connected) and after every reconnect; returns the unregister function. */
  resubscribe(fn) {
    this.resubscribers.add(fn);
    return () => this.resubscribers.delete(fn);
  }

  async start() {
    this.wanted = true;
    if (!navigator.onLine) { this.setState('offline', 'the browser is offline'); return; }
    if (this.connection && this.connection.state !== HubConnectionState.Disconnected) return;
    this.connection = new HubConnectionBuilder()
      .withUrl('/hubs/collab', { accessTokenFactory: () => currentSession()?.token ?? '' })
      .configureLogging(LogLevel.Warning)
      .build();
    const connection = this.connection;
    for (const event of new Set([...HUB_EVENTS, ...this.handlers.keys()])) connection.on(event, (message) => this.emit(event, message));
    connection.onclose(() => {
      if (this.connection !== connection) return;
      this.setState(navigator.onLine ? 'reconnecting' : 'offline');
      this.scheduleRestart();
    });
    this.setState(this.retry === 0 && this.state !== 'reconnecting' ? 'connecting' : 'reconnecting');
    try {
      await connection.start();
    } catch (error) {
      if (this.connection !== connection) return;
      if (error?.statusCode === 401 || /\b401\b/.test(String(error?.message))) {
        // The token expired or the server restarted with a new signing key: sign in again.
        this.wanted = false;
        this.setState('offline', 'signed out');
        this.dispatchEvent(new Event('unauthorized'));
        return;
      }
      this.setState(navigator.onLine ? 'reconnecting' : 'offline', error.message);
      this.scheduleRestart();
      return;
    }
    this.retry = 0;
    await this.runResubscribers();
    if (this.connection === connection && connection.state === HubConnectionState.Connected) this.setState('connected');
  }

  async runResubscribers() {
    for (const fn of [...this.resubscribers]) {
      try {
        await fn();
      } catch (error) {
        this.dispatchEvent(Object.assign(new Event('error'), { error }));
      }
    }
  }

  scheduleRestart() {
    if (!this.wanted || !navigator.onLine || this.restartTimer) return;
    const delay = RETRY_MS[Math.min(this.retry++, RETRY_MS.length - 1)];
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delay);
  }

  goOffline() {
    this.setState('offline', 'the browser is offline');
    const connection = this.connection;
    this.connection = null;
    connection?.stop();
  }

  async stop() {
    this.wanted = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const connection = this.connection;
    this.connection = null;
    await connection?.stop();
    this.setState('offline');
  }

  get connected() {
    return this.connection?.state === HubConnectionState.Connected;
  }

  /** Invokes a hub method; a HubException "code: detail" becomes Error{ code, detail } in people's words. */
  async invoke(method, ...args) {
    if (!this.connected) throw refusal('disconnected', null);
    try {
      return await this.connection.invoke(method, ...args);
    } catch (error) {
      throw hubError(error);
    }
  }
}

/** SignalR prefixes server errors: "An unexpected error occurred invoking 'X' on the server. HubException: code: message". */
export function hubError(error) {
  const text = String(error?.message ?? error);
  const match = /HubException: ([a-z_]+): ([\s\S]*)$/.exec(text);
  if (match) return refusal(match[1], match[2]);
  // No code: the call did not reach the hub or the connection closed before it answered.
  return Object.assign(refusal('disconnected', null), { cause: text });
}

/** message: the code in a delegate's words (refusals.js); code and detail for the views' decisions. */
const refusal = (code, detail) => Object.assign(new Error(peoplesWords(code, detail)), { code, detail });
