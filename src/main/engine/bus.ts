/**
 * The in-process bus: every sample, link change, event and control result passes here once, and each
 * consumer (store, controller, live state, stream) subscribes. A consumer that throws is logged and
 * does not stop the others.
 */
import type { ControlResponse } from '../../shared/api.js';
import type { EngineEvent } from '../../shared/events.js';
import type { DeviceKind, LinkState, Sample } from '../../shared/samples.js';

export interface BusMessages {
  sample: Sample;
  link: { device: DeviceKind; state: LinkState; reason?: string; tsMs: number };
  event: EngineEvent & { id: number };
  control: ControlResponse;
}

export type BusTopic = keyof BusMessages;

export class EngineBus {
  private readonly listeners: { [T in BusTopic]: Set<(message: BusMessages[T]) => void> } = {
    sample: new Set(),
    link: new Set(),
    event: new Set(),
    control: new Set(),
  };

  constructor(private readonly onListenerError: (topic: BusTopic, err: unknown) => void) {}

  on<T extends BusTopic>(topic: T, listener: (message: BusMessages[T]) => void): () => void {
    const set = this.listeners[topic] as Set<(message: BusMessages[T]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<T extends BusTopic>(topic: T, message: BusMessages[T]): void {
    for (const listener of this.listeners[topic] as Set<(message: BusMessages[T]) => void>) {
      try {
        listener(message);
      } catch (err) {
        this.onListenerError(topic, err);
      }
    }
  }
}
