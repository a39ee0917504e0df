/**
 * The in-process bus: every sample, link change, event and control result passes here once, and each
 * consumer (store, controller, live state, stream) subscribes. A consumer that throws is logged and
 * does not stop the others.
 */
import type { ControlResponse } from '../../shared/api.js';
import type { EngineEvent } from '../../shared/events.js';
import type { DeviceKind, LinkState, Sample } from '../../shared/samples.js';
import { Listeners } from '../transport/listeners.js';

export interface BusMessages {
  sample: Sample;
  link: { device: DeviceKind; state: LinkState; reason?: string; tsMs: number };
  event: EngineEvent & { id: number };
  control: ControlResponse;
}

export type BusTopic = keyof BusMessages;

type TopicListeners = { [T in BusTopic]: Listeners<[BusMessages[T]]> };

export class EngineBus {
  private readonly listeners: TopicListeners;

  constructor(onListenerError: (topic: BusTopic, err: unknown) => void) {
    const forTopic = <T extends BusTopic>(topic: T): Listeners<[BusMessages[T]]> => new Listeners((err) => onListenerError(topic, err));
    this.listeners = { sample: forTopic('sample'), link: forTopic('link'), event: forTopic('event'), control: forTopic('control') };
  }

  on<T extends BusTopic>(topic: T, listener: (message: BusMessages[T]) => void): () => void {
    return (this.listeners[topic] as Listeners<[BusMessages[T]]>).add(listener);
  }

  emit<T extends BusTopic>(topic: T, message: BusMessages[T]): void {
    (this.listeners[topic] as Listeners<[BusMessages[T]]>).emit(message);
  }
}
