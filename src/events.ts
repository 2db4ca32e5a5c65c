// One typed event map for everything that flows between stages (docs/DESIGN.md).
// A listener that throws is logged with its stage name and never stops the others.
import type { Logger } from 'pino';
import type {
  Alert,
  CameraStatus,
  Frame,
  FrameDetections,
  Order,
  OrderReady,
  RejectedMessage,
  TrayObservation,
  Verdict,
} from './types.js';

export interface EventMap {
  frame: Frame;
  detections: FrameDetections;
  tray: TrayObservation;
  order: Order;
  orderReady: OrderReady;
  verdict: Verdict;
  alert: Alert;
  cameraStatus: CameraStatus;
  rejected: RejectedMessage;
  brokerStatus: { connected: boolean; url: string; error: string | null; ts: number };
}

export type EventName = keyof EventMap;
type Listener<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

interface Entry {
  stage: string;
  fn: (payload: never) => void | Promise<void>;
}

export interface EventBus {
  /** Subscribe; returns an unsubscribe function. `stage` names the listener in error logs. */
  on<K extends EventName>(event: K, stage: string, fn: Listener<K>): () => void;
  emit<K extends EventName>(event: K, payload: EventMap[K]): void;
  listenerCount(event: EventName): number;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Map<EventName, Entry[]>();

  const report = (event: EventName, stage: string, err: unknown): void => {
    log.error({ err, event, stage }, `listener in stage "${stage}" failed on "${event}"`);
  };

  return {
    on(event, stage, fn) {
      const list = listeners.get(event) ?? [];
      const entry: Entry = { stage, fn: fn };
      list.push(entry);
      listeners.set(event, list);
      return () => {
        const cur = listeners.get(event);
        if (cur)
          listeners.set(
            event,
            cur.filter((e) => e !== entry),
          );
      };
    },
    emit(event, payload) {
      const list = listeners.get(event);
      if (!list) return;
      for (const entry of [...list]) {
        try {
          const r = (entry.fn as (p: typeof payload) => void | Promise<void>)(payload);
          if (r && typeof r.then === 'function')
            r.then(undefined, (err: unknown) => report(event, entry.stage, err));
        } catch (err) {
          report(event, entry.stage, err);
        }
      }
    },
    listenerCount(event) {
      return listeners.get(event)?.length ?? 0;
    },
  };
}
