// Alerts stage: stores every verdict, publishes it, and keeps one alert per tray mismatch state
// (lifecycle.ts). Acknowledged alerts still resolve as corrected / served-with-error when their
// tray does; an alert whose tray this process never tracked (left by a previous run) resolves
// `acknowledged` when staff acknowledge it, and acknowledged ones left by a previous run resolve
// `acknowledged` at start. A false alarm (staff say the tray was right) resolves at once, and its
// tray raises no new alert until it leaves.
import type { EventBus } from '../events.js';
import type { ComponentHealth } from '../health/types.js';
import type { Logger } from '../log.js';
import { createAlertsRepo } from '../store/alerts-repo.js';
import type { Db } from '../store/db.js';
import type { SnapshotStore } from '../store/snapshots.js';
import { createVerdictsRepo } from '../store/verdicts-repo.js';
import type { Alert, Frame, TrayObservation, Verdict } from '../types.js';
import {
  alertActionFor,
  departureAction,
  describeMismatch,
  type ActiveMismatch,
  type AlertAction,
} from './lifecycle.js';

export interface AlertsDeps {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** MQTT out: 'verdict' → .../verdict, 'alert' → .../alert. Must not throw. */
  publish?: (topicKind: 'verdict' | 'alert', payload: object) => void;
  snapshots?: SnapshotStore;
  /** Check zone per camera (0..1), for zone-only snapshots. */
  zones?: Record<string, readonly (readonly [number, number])[]>;
  /**
   * Snapshot trays that match too (a customer dispute about an OK tray can be checked).
   * Retention bounds them like every snapshot.
   */
  snapshotEveryVerdict?: boolean;
  /** Snapshot caption in the words staff see (menu names); default: detector labels. */
  caption?: (v: Pick<Verdict, 'missing' | 'extra'>) => string;
  now?: () => number;
}

export interface Alerts {
  start(): void;
  /** Waits for snapshot writes in flight. */
  stop(): Promise<void>;
  /** Stores the verdict (returned alert carries the stored verdict with id), publishes it, runs the alert lifecycle. */
  handleVerdict(v: Verdict, obs?: TrayObservation, frame?: Frame): Alert | null;
  handleDeparted(obs: TrayObservation): Alert | null;
  acknowledge(id: number, by: string): Alert | null;
  /** Takes a tray served with an error off every wall screen (emits the alert); null when unknown. */
  dismiss(id: number, by: string): Alert | null;
  /** Served with an error since `since`, not dismissed, oldest first (at most `limit`). */
  listServedWrong(since: number, limit: number): Alert[];
  /** Staff say the tray was right: resolved `false-alarm`, by whom and when; null when unknown. */
  falseAlarm(id: number, by: string): Alert | null;
  /** Unresolved alerts (open and acknowledged), oldest first. */
  listOpen(): Alert[];
  /** Alerts with status open (not yet acknowledged). */
  countOpen(): number;
  get(id: number): Alert | null;
  health(): ComponentHealth;
}

/** Trays marked a false alarm that have not left yet, at most (the oldest is forgotten). */
const MAX_QUIET_TRAYS = 500;

/** A store error this recent makes the stage degraded. */
const RECENT_ERROR_MS = 5 * 60_000;

export function createAlerts(deps: AlertsDeps): Alerts {
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const verdicts = createVerdictsRepo(deps.db);
  const alerts = createAlertsRepo(deps.db);
  /** trayId → id of its unresolved alert, for trays seen by this process. */
  const activeByTray = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  /** Trays staff called a false alarm: their later mismatches open no alert until they leave. */
  const quietTrays = new Set<string>();
  let stopped = false;
  const stats = {
    verdicts: 0,
    opened: 0,
    lastLatencyMs: null as number | null,
    errors: 0,
    lastError: null as string | null,
    lastErrorAt: 0,
  };

  const publish = (kind: 'verdict' | 'alert', payload: object): void => {
    try {
      deps.publish?.(kind, payload);
    } catch (err) {
      log.warn({ err, kind }, 'publish failed');
    }
  };
  const changed = (id: number): Alert | null => {
    const a = alerts.get(id);
    if (!a) return null;
    deps.bus.emit('alert', a);
    publish('alert', a);
    return a;
  };
  const fail = (err: unknown, what: string): null => {
    stats.errors += 1;
    stats.lastError = err instanceof Error ? err.message : String(err);
    stats.lastErrorAt = now();
    log.error({ err }, what);
    return null;
  };
  const activeOf = (trayId: string): { id: number; mismatch: ActiveMismatch } | null => {
    const id = activeByTray.get(trayId);
    const a = id === undefined ? null : alerts.get(id);
    if (!a || a.status === 'resolved') {
      activeByTray.delete(trayId);
      return null;
    }
    return { id: a.id, mismatch: a.verdict };
  };

  const caption = deps.caption ?? describeMismatch;

  /** Saves the frame for this verdict; alertId: also attach it to that alert. */
  const snapshot = (
    alertId: number | null,
    v: Verdict & { id: number },
    obs?: TrayObservation,
    frame?: Frame,
  ): void => {
    const store = deps.snapshots;
    if (!store || !frame || stopped) return;
    const p = store
      .save(frame, {
        trayId: v.trayId,
        boxes: obs?.detections ?? [],
        trayBox: obs?.box,
        zone: deps.zones?.[v.cameraId],
        caption: caption(v),
      })
      .then((snapshotId) => {
        if (!snapshotId) return; // stop() waits for this, so the database is still open
        verdicts.setSnapshot(v.id, snapshotId);
        if (alertId === null) return;
        alerts.setSnapshot(alertId, snapshotId);
        changed(alertId);
      })
      .catch((err: unknown) => {
        fail(err, 'attaching snapshot failed');
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  const apply = (
    action: AlertAction,
    trayId: string,
    activeId: number | null,
    v: Verdict & { id: number },
    obs?: TrayObservation,
    frame?: Frame,
  ): Alert | null => {
    const at = now();
    switch (action.kind) {
      case 'none':
        return null;
      case 'open': {
        const latencyMs = v.settledTs != null ? Math.max(0, at - v.settledTs) : null;
        const id = alerts.insert({
          trayId,
          cameraId: v.cameraId,
          orderId: v.orderId,
          verdictId: v.id,
          openedAt: at,
          latencyMs,
        });
        activeByTray.set(trayId, id);
        stats.opened += 1;
        stats.lastLatencyMs = latencyMs;
        log.warn(
          { alert: id, tray: trayId, order: v.orderId, latencyMs },
          `mismatch: ${describeMismatch(v)}`,
        );
        const a = changed(id);
        snapshot(id, v, obs, frame);
        return a;
      }
      case 'update': {
        if (activeId === null) return null;
        alerts.setVerdict(activeId, v.id, v.orderId);
        log.warn(
          { alert: activeId, tray: trayId, order: v.orderId },
          `mismatch changed: ${describeMismatch(v)}`,
        );
        const a = changed(activeId);
        snapshot(activeId, v, obs, frame);
        return a;
      }
      case 'resolve': {
        if (activeId === null) return null;
        activeByTray.delete(trayId);
        if (!alerts.resolve(activeId, action.resolution, at)) return null;
        log.info({ alert: activeId, tray: trayId, resolution: action.resolution }, 'alert resolved');
        return changed(activeId);
      }
    }
  };

  return {
    start() {
      stopped = false;
      // Trays of a previous run are gone; what staff already acknowledged there is settled.
      for (const a of alerts.listUnresolved()) {
        if (a.status === 'acknowledged' && alerts.resolve(a.id, 'acknowledged', now())) changed(a.id);
      }
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...pending]);
    },
    handleVerdict(v, obs, frame) {
      try {
        const id = verdicts.insert(v);
        const stored = { ...v, id };
        stats.verdicts += 1;
        deps.bus.emit('verdict', stored);
        publish('verdict', stored);
        const active = activeOf(v.trayId);
        if (deps.snapshotEveryVerdict && v.result !== 'mismatch') snapshot(null, stored, obs, frame);
        if (quietTrays.has(v.trayId)) return null;
        return apply(
          alertActionFor(active?.mismatch ?? null, stored),
          v.trayId,
          active?.id ?? null,
          stored,
          obs,
          frame,
        );
      } catch (err) {
        return fail(err, 'verdict not handled');
      }
    },
    handleDeparted(obs) {
      try {
        const active = activeOf(obs.trayId);
        activeByTray.delete(obs.trayId);
        quietTrays.delete(obs.trayId);
        const action = departureAction(active?.mismatch ?? null);
        if (action.kind !== 'resolve' || !active) return null;
        if (!alerts.resolve(active.id, action.resolution, now())) return null;
        log.warn({ alert: active.id, tray: obs.trayId }, 'tray served with an open alert');
        return changed(active.id);
      } catch (err) {
        return fail(err, 'departure not handled');
      }
    },
    acknowledge(id, by) {
      try {
        const a = alerts.get(id);
        if (!a) return null;
        if (a.status !== 'open' || !alerts.acknowledge(id, by, now())) return a;
        const tracked = [...activeByTray.values()].includes(id);
        if (!tracked) alerts.resolve(id, 'acknowledged', now());
        log.info({ alert: id, by }, 'alert acknowledged');
        return changed(id);
      } catch (err) {
        return fail(err, 'acknowledge failed');
      }
    },
    dismiss(id, by) {
      try {
        if (!alerts.dismiss(id, by, now())) return alerts.get(id);
        log.info({ alert: id, by }, 'served-with-error alert dismissed');
        return changed(id);
      } catch (err) {
        return fail(err, 'dismiss failed');
      }
    },
    listServedWrong: (since, limit) => alerts.listServedWrongSince(since, limit),
    falseAlarm(id, by) {
      try {
        const a = alerts.get(id);
        if (!a) return null;
        if (a.status === 'resolved' || !alerts.markFalseAlarm(id, by, now())) return a;
        if (activeByTray.get(a.trayId) === id) {
          activeByTray.delete(a.trayId);
          quietTrays.add(a.trayId);
          if (quietTrays.size > MAX_QUIET_TRAYS)
            quietTrays.delete(quietTrays.values().next().value as string);
        }
        log.info({ alert: id, by, tray: a.trayId, order: a.orderId }, 'alert marked a false alarm');
        return changed(id);
      } catch (err) {
        return fail(err, 'false alarm failed');
      }
    },
    listOpen: () => alerts.listUnresolved(),
    countOpen: () => alerts.countByStatus().open,
    get: (id) => alerts.get(id),
    health() {
      const c = alerts.countByStatus();
      const data = {
        ...c,
        verdictsThisRun: stats.verdicts,
        alertsOpenedThisRun: stats.opened,
        lastLatencyMs: stats.lastLatencyMs,
        errors: stats.errors,
        lastError: stats.lastError,
      };
      if (stats.lastError && now() - stats.lastErrorAt < RECENT_ERROR_MS)
        return { state: 'degraded', detail: `alert store error: ${stats.lastError}`, data };
      return {
        state: 'ok',
        detail: `${c.open} open, ${c.acknowledged} acknowledged alerts; ${stats.verdicts} verdicts since start`,
        data,
      };
    },
  };
}

export { alertActionFor, departureAction, describeMismatch, sameMismatch } from './lifecycle.js';
