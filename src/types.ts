// Core data types that flow between pipeline stages (see docs/DESIGN.md).
// Every stage speaks these; nothing else crosses a stage boundary.

/** Counts per detector label, e.g. { burger: 1, fries: 2 }. */
export type LabelCounts = Record<string, number>;

/** One decoded camera frame, rgb24, row-major, `width * height * 3` bytes. */
export interface Frame {
  cameraId: string;
  seq: number;
  /** Capture time, epoch ms (wall clock at the moment the frame was read). */
  ts: number;
  width: number;
  height: number;
  /**
   * From the camera's buffer pool: keep it past the 'frame' event only with holdFrame
   * (src/frame-pool.ts) or as a copy.
   */
  data: Buffer;
}

/** Axis-aligned box in frame pixels: [x1, y1, x2, y2]. */
export type Box = [number, number, number, number];

export interface Detection {
  label: string;
  score: number;
  box: Box;
  /** Set by the detect stage when two item labels compete for this object (class scores close): the label is not to be trusted. */
  uncertain?: boolean;
  /**
   * With `uncertain`: the menu label it may be instead (the rival that made it uncertain). Absent
   * when the rival is food not on the menu: then it may be no item of ours at all.
   */
  rival?: string;
  /** 'second-opinion': added by the model's second head where its main head saw nothing (src/detect/second-opinion.ts). */
  source?: 'second-opinion';
}

export interface FrameDetections {
  cameraId: string;
  seq: number;
  ts: number;
  width: number;
  height: number;
  detections: Detection[];
  /**
   * Candidates scoring under their label's threshold but at least `detector.faintScore`: never
   * counted, only evidence that an item may be there (the tray stage's count evidence).
   */
  faint?: Detection[];
  inferenceMs: number;
}

export type TrayPhase = 'settled' | 'changed' | 'departed';

export interface TrayObservation {
  cameraId: string;
  /** Stable id for one physical tray while it stays in view, e.g. "expo-17". */
  trayId: string;
  /** Station of the camera that saw the tray (from camera config). */
  station: string | null;
  phase: TrayPhase;
  items: LabelCounts;
  /** Labels whose count flickered or whose scores sat near the threshold. */
  uncertain: string[];
  /**
   * Of the uncertain labels, those doubted one way only: 'fewer' (a weak counted item, maybe a
   * phantom) or 'more' (an item almost counted). Absent: every uncertain label may be off either way.
   */
  countDoubt?: Record<string, 'fewer' | 'more'>;
  /**
   * Of the labels doubted 'fewer', those doubted only because the detector flagged their items:
   * the rival label they may be instead, or null (food not on the menu, or rivals that differ).
   * The item is there either way (src/verify/compare.ts, relabelled).
   */
  relabel?: Record<string, string | null>;
  /** Time the observation was made (epoch ms, taken from frame timestamps). */
  ts: number;
  /** Time the counts became stable (start of the settle window), epoch ms. */
  settledSinceTs?: number;
  /** Tray box in frame pixels at settle time. */
  box?: Box;
  /** Detections on this tray at settle time (for snapshots). */
  detections?: Detection[];
  /** No tray box was seen: the tray is a settled group of items in the zone (it hides its tray). */
  inferred?: boolean;
  /**
   * Items on the tray the model cannot name: a "hand" still over it for tray.handStillMs is an item
   * misread (the tray is counted without it). A shortage of up to this many is uncertain.
   */
  unidentified?: number;
  /** Seq of the frame the observation was made on. */
  frameSeq?: number;
  snapshotId?: string;
}

export type OrderStatus = 'open' | 'ready' | 'verified' | 'mismatch' | 'served' | 'cancelled' | 'expired';

export interface OrderLine {
  sku: string;
  qty: number;
  modifiers?: string[];
}

export interface Order {
  orderId: string;
  version: number;
  station?: string | null;
  channel?: string | null;
  items: OrderLine[];
  status: OrderStatus;
  /** Epoch ms. */
  placedAt: number;
  /** Epoch ms of the ready bump, if any. */
  readyAt?: number | null;
  updatedAt: number;
}

export interface OrderReady {
  orderId: string;
  station: string | null;
  ts: number;
}

export type LinkMethod = 'ready' | 'best-match' | 'fifo' | 'none';
export type VerdictResult = 'ok' | 'mismatch' | 'uncertain' | 'unlinked';

export interface Verdict {
  id?: number;
  trayId: string;
  cameraId: string;
  orderId: string | null;
  orderVersion?: number | null;
  link: LinkMethod;
  result: VerdictResult;
  expected: LabelCounts;
  observed: LabelCounts;
  missing: LabelCounts;
  extra: LabelCounts;
  /**
   * Order lines that no camera can check: the SKU (menu `verify: false`, unknown SKU), or the SKU
   * with its modifiers when a modifier is unknown ("COMBO1 (no ice)").
   */
  unverifiable: string[];
  /** The linked order's lines as staff read them, modifiers applied: "Burger Meal, no drink". */
  lines?: string[];
  /** The tray box was not seen: the tray was inferred from a settled group of items. */
  trayInferred?: boolean;
  uncertain: string[];
  /** Verdict time, epoch ms. */
  ts: number;
  /** When the tray's counts became stable (epoch ms). */
  settledTs?: number;
  modelSha256?: string;
  snapshotId?: string | null;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
/**
 * corrected: the tray settled matching its order (an error caught); served-with-error: it left
 * with the alert open; relinked: the tray turned out to belong to another order, which it
 * matches (the alert was about the wrong order, not a caught error); false-alarm: staff said the
 * tray was right (acknowledgedBy/At say who and when; with teach.capture its frames are kept).
 */
export type AlertResolution = 'corrected' | 'acknowledged' | 'served-with-error' | 'relinked' | 'false-alarm';

export interface Alert {
  id: number;
  trayId: string;
  cameraId: string;
  orderId: string | null;
  verdict: Verdict;
  status: AlertStatus;
  resolution?: AlertResolution | null;
  openedAt: number;
  acknowledgedAt?: number | null;
  acknowledgedBy?: string | null;
  resolvedAt?: number | null;
  snapshotId?: string | null;
  /** settle → alert latency in ms (alert open time minus settled time). */
  latencyMs?: number | null;
  /** A served-with-error alert taken off the wall screens (dashboard "Dismiss"): when and by whom. */
  dismissedAt?: number | null;
  dismissedBy?: string | null;
}

export type CameraState = 'connecting' | 'online' | 'stalled' | 'offline';

export interface CameraStatus {
  cameraId: string;
  state: CameraState;
  /** Time of the last state change, epoch ms. */
  since: number;
  /** Measured frames per second delivered to detection (1 s window). */
  fps: number;
  framesTotal: number;
  framesDropped: number;
  lastFrameTs: number | null;
  /** Human-readable reason for the last failure (credentials stripped). */
  lastError: string | null;
  restarts: number;
  /** true while the motion gate runs detection at the idle rate. */
  idle?: boolean;
  /** Measured frames per second read from ffmpeg, before the motion gate (1 s window). */
  ingestFps?: number;
  /** Frames the motion gate kept from detection while the zone was still. */
  framesSkipped?: number;
}

export interface RejectedMessage {
  topic: string;
  reason: string;
  payload: string;
  ts: number;
}

/** A tray in view right now, for the live view: its box, voted counts and the order it is linked to. */
export interface LiveTray {
  trayId: string;
  box: Box;
  counts: LabelCounts;
  settled: boolean;
  orderId: string | null;
  expected: LabelCounts | null;
}
