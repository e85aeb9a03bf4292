// The moment a WebSocket message reached a client, apart from when this one Node process got round
// to handling it. The load generator runs every client (50, or 3,000) in one process on one core:
// when a burst arrives — after one of Azurite's 5-s saves, the server sends a commit of ~20 edits
// to 50 clients at once — the clients' messages are handled one after the other, and the last
// client's ack would be stamped after everything the other 49 did with theirs. A client on its own
// machine handles only its own messages.
//
// ArrivalWebSocket (a `ws` WebSocket; every client library here takes one: @microsoft/signalr's
// `WebSocket` option, ShareDB's Connection, Hocuspocus' `WebSocketPolyfill`) stamps each message
// when `ws` hands it over and runs the library's handler in a later turn (setImmediate, in arrival
// order, so per client the order is kept). While a handler runs — and the promise callbacks it
// starts, which run before the next turn — arrivedAt() is that message's arrival. Acks and
// seen-by-others are stamped with it; the generator also keeps the handling time, to show the gap.
// Only in the open-loop latency workloads (typing, cluster): see stampOnArrival.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const arrival = { at: null, count: null, enabled: false };

/** When the message being handled (or the last one handled) arrived; now, before any. */
export const arrivedAt = () => arrival.at ?? performance.now();

/**
 * Stamp on arrival and hand over a turn later (the latency workloads); off, messages are handled at
 * once and arrivedAt() is now (saturation: the deferral costs the generator ~30 % more CPU, and there
 * the generator is the limit for the peers).
 */
export function stampOnArrival(enabled) { arrival.enabled = enabled; }

/** Called once per WebSocket message received, before it is handled. */
export function onEveryMessage(count) { arrival.count = count; }

function deferred(socket, handler) {
  return (event) => {
    arrival.count?.();
    if (!arrival.enabled) {
      handler.call(socket, event);
      return;
    }
    const at = performance.now();
    setImmediate(() => {
      // Kept until the next message is handled: the promise callbacks this handler starts (an
      // invoke's result, several hops) all run before setImmediate's next callback.
      arrival.at = at;
      handler.call(socket, event);
    });
  };
}

export class ArrivalWebSocket extends WebSocket {
  // This socket's message handlers → their deferred wrappers (to remove them again).
  #wrappers = new Map();

  // `ws` routes `onmessage = fn` through addEventListener too.
  addEventListener(type, handler, options) {
    if (type !== 'message' || typeof handler !== 'function') return super.addEventListener(type, handler, options);
    let wrapper = this.#wrappers.get(handler);
    if (wrapper === undefined) {
      wrapper = deferred(this, handler);
      this.#wrappers.set(handler, wrapper);
    }
    return super.addEventListener(type, wrapper, options);
  }

  removeEventListener(type, handler) {
    if (type === 'message' && this.#wrappers.has(handler)) {
      const wrapper = this.#wrappers.get(handler);
      this.#wrappers.delete(handler);
      return super.removeEventListener(type, wrapper);
    }
    return super.removeEventListener(type, handler);
  }
}
