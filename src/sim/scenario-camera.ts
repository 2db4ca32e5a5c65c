// The simulated overhead camera: renders what a scenario says is on the counter at each frame
// time, and hands the frames to the camera stage (which pipes them through ffmpeg like a real
// stream). A `beforeFrame` hook lets the POS side publish the orders due by that time first,
// so orders and trays stay in step even when eval runs faster than real time.
import type { SimFrameSource } from '../camera/sim-source.js';
import { createFrameRenderer, sceneForTray, type Scene, type SceneTray } from './render/index.js';
import { mixSeed } from './render/random.js';
import { cameraLiveAt, handOverTray, scenarioDurationS, trayContentsAt, type Scenario } from './scenario.js';

export interface ScenarioSourceOptions {
  scenario: Scenario;
  realtime: boolean;
  /** Called (and awaited) before the frame at scenario time tS (frame timestamp tsMs) is rendered. */
  beforeFrame?: (tS: number, tsMs: number) => Promise<void>;
  /** Start over when the scenario ends (demo); else the source ends (eval). */
  loop?: boolean;
  /** Called when a loop wraps, with the new lap number (the demo starts a fresh shift). */
  onLap?: (lap: number) => void;
}

export interface ScenarioSource extends SimFrameSource {
  /** Scenario time (s) of frame `seq`. */
  timeS(seq: number): number;
  /** Frame timestamp (epoch ms) of scenario time 0 in the current lap; null before the first frame. */
  originMs(): number | null;
  durationS: number;
}

/** The scene at scenario time tS: trays in view with their current contents, a hand if one is over a tray. */
export function sceneAt(sc: Scenario, tS: number, frameSeq: number): Scene {
  const trays: SceneTray[] = [];
  let handTray: number | null = null;
  sc.trays.forEach((tray, index) => {
    const contents = trayContentsAt(tray, tS);
    if (contents === null) return;
    const items = Object.fromEntries(
      Object.entries(contents).filter(([label]) => label !== 'tray' && label !== 'hand'),
    );
    // Each tray is laid out from its own seed so it stays put when another tray comes or goes.
    const own = sceneForTray(items, mixSeed(sc.seed, index + 1), {
      slots: [tray.slot],
      width: sc.width,
      height: sc.height,
    });
    const placed = own.trays[0];
    if (!placed) return;
    if (handOverTray(tray, tS)) handTray = trays.length;
    trays.push(placed);
  });
  const base = sceneForTray({}, sc.seed, {
    width: sc.width,
    height: sc.height,
    brightness: sc.render.brightness,
    warmth: sc.render.warmth,
    distractors: sc.render.clutter,
    noise: sc.render.noise,
    ...(handTray !== null ? { hand: 0 } : {}),
  });
  // The hand comes from sceneForTray's placement over an (empty) tray at the centre; move it over ours.
  let hand = base.hand ?? null;
  if (hand && handTray !== null) {
    const target = trays[handTray];
    if (target)
      hand = {
        ...hand,
        x: target.x + (hand.x - (base.trays[0]?.x ?? 0.5)),
        y: target.y + (hand.y - (base.trays[0]?.y ?? 0.5)),
      };
  }
  return { ...base, trays, hand, noiseSeed: mixSeed(sc.seed, 7919, frameSeq) };
}

export function createScenarioSource(opts: ScenarioSourceOptions): ScenarioSource {
  const sc = opts.scenario;
  const durationS = scenarioDurationS(sc);
  const framesPerLap = Math.max(1, Math.ceil(durationS * sc.fps));
  let lap = 0;
  let origin: number | null = null;
  const render = createFrameRenderer();
  return {
    originMs: () => origin,
    width: sc.width,
    height: sc.height,
    fps: sc.fps,
    realtime: opts.realtime,
    durationS,
    timeS: (seq) => (seq % framesPerLap) / sc.fps,
    resumeAt(seq) {
      let s = seq;
      while (!cameraLiveAt(sc, (s % framesPerLap) / sc.fps) && s < seq + framesPerLap) s++;
      return s;
    },
    async next(seq, tsMs) {
      const thisLap = Math.floor(seq / framesPerLap);
      if (thisLap > 0 && !opts.loop) return null;
      if (thisLap !== lap) {
        lap = thisLap;
        opts.onLap?.(lap);
      }
      const tS = (seq % framesPerLap) / sc.fps;
      if (origin === null || seq % framesPerLap === 0) origin = tsMs - tS * 1000;
      if (opts.beforeFrame) await opts.beforeFrame(tS, tsMs);
      return render(sceneAt(sc, tS, seq));
    },
  };
}
