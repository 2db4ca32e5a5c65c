// The `scenario generate --difficulty hard` preset: a counter as a new user meets it, not the
// one the verifier was built against. Crowded trays up to ten items (the tray box hides under
// them), clutter at the maximum, dim warm light, identical orders side by side and back to back
// on the same spot, POS modifiers (known and free text), camera stalls.
import type { Modifiers } from '../config/schema.js';
import type { GenerateOptions, HardOptions } from './scenario-generate.js';

export const HARD_BRIGHTNESS = 0.6;

export function hardOptions(modifiers: Modifiers): HardOptions {
  return {
    maxItems: 10,
    maxLines: 5,
    clutter: 8,
    warmth: 0.6,
    modifiers,
    modifierRate: 0.25,
    freeTextRate: 0.1,
    identicalRate: 0.4,
    successorRate: 0.2,
    stallRate: 0.05,
  };
}

/** Generate options for a difficulty; `normal` is the generator as it always was. */
export function difficultyOptions(
  difficulty: 'normal' | 'hard',
  modifiers: Modifiers,
): Pick<GenerateOptions, 'hard' | 'brightness' | 'twoTrayRate'> {
  return difficulty === 'hard'
    ? { hard: hardOptions(modifiers), brightness: HARD_BRIGHTNESS, twoTrayRate: 0.3 }
    : {};
}
