// What makes a KDS hard to ignore: sound on by default (with a one-tap soundPrompt where
// the browser wants a gesture first), the open count in the tab title, and a louder tone for an
// alert that has waited too long.
import { el } from './common.js';

let audio = null;
let soundOn = localStorage.getItem('traycheck.sound') !== 'off';
let beeps = 0;

export const soundButton = el('button', { class: 'btn small', type: 'button', id: 'sound' });
const soundPrompt = el(
  'button',
  { class: 'btn sound-prompt', type: 'button', id: 'sound-prompt', hidden: true },
  '♪ Tap here to turn on the alert sound',
);

function renderSound() {
  soundButton.textContent = soundOn ? 'Sound: on' : 'Sound: off';
  soundButton.setAttribute('aria-pressed', String(soundOn));
  soundPrompt.hidden = !soundOn || (audio !== null && audio.state === 'running');
}

/** Browsers start audio only after a tap: any tap on the page unlocks it. */
function unlock() {
  audio ??= new AudioContext();
  audio.resume().then(renderSound, renderSound);
}

export function setupSound(container) {
  container.prepend(soundPrompt);
  try {
    audio = new AudioContext();
    audio.addEventListener('statechange', renderSound);
  } catch {
    audio = null;
  }
  soundButton.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem('traycheck.sound', soundOn ? 'on' : 'off');
    unlock();
    renderSound();
    if (soundOn) beep();
  });
  soundPrompt.addEventListener('click', () => {
    unlock();
    beep();
  });
  // On click, after the tapped button has done its job: hiding the prompt moves the cards up, and
  // doing that between press and release would land the tap's click on something else.
  document.addEventListener('click', unlock);
  renderSound();
}

/** Two tones for a new alert; three higher, longer ones for an alert that has waited too long. */
export function beep(urgent = false) {
  if (!soundOn) return;
  beeps++;
  document.body.dataset.beeps = String(beeps);
  if (!audio || audio.state !== 'running') {
    renderSound();
    return;
  }
  const t = audio.currentTime;
  const tones = urgent ? [988, 1319, 988] : [880, 660];
  const step = urgent ? 0.22 : 0.18;
  for (const [i, freq] of tones.entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * step);
    gain.gain.exponentialRampToValueAtTime(0.5, t + i * step + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * step + step - 0.02);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + i * step);
    osc.stop(t + i * step + step - 0.01);
  }
}

/** "(2) Alerts · Store"; "NOT CONNECTED" first when the stream is down, whatever the count. */
export function setTitle(base, open, connected) {
  const count = open > 0 ? `(${open}) ` : '';
  document.title = `${connected ? '' : '⚠ NOT CONNECTED · '}${count}${base}`;
}
