// Technician view, admin buttons: reconnect one camera (its video source restarts, the others keep
// running) and test the broker (a message sent and received back on traycheck's own MQTT
// connection). Results stay in a status line: the camera table itself redraws every 5 s.
import { api, el } from './common.js';

const $ = (id) => document.getElementById(id);

function say(node, text, ok) {
  node.textContent = text;
  node.className = ok ? 'ok-text' : 'warn-text';
}

/** The "Reconnect" button of one camera row. */
export function reconnectButton(cameraId) {
  return el(
    'button',
    {
      class: 'btn small',
      type: 'button',
      'aria-label': `Reconnect camera ${cameraId}`,
      onclick: async (e) => {
        const button = e.currentTarget;
        const out = $('camera-action');
        button.disabled = true;
        try {
          await api(`/api/cameras/${encodeURIComponent(cameraId)}/reconnect`, { method: 'POST' });
          say(out, `Reconnecting ${cameraId}… (the other cameras keep running)`, true);
        } catch (err) {
          say(out, `Could not reconnect ${cameraId}: ${err.message}`, false);
        } finally {
          button.disabled = false;
        }
      },
    },
    'Reconnect',
  );
}

/** Shows the "Test broker" button and reports the round trip or the error beside it. */
export function setupBrokerTest() {
  const button = $('broker-test');
  const out = $('broker-result');
  $('broker-tools').hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    say(out, 'Testing…', true);
    try {
      const r = await api('/api/tech/broker-test', { method: 'POST' });
      if (r.ok)
        say(
          out,
          `✓ Broker answered in ${r.latencyMs < 10 ? r.latencyMs.toFixed(1) : Math.round(r.latencyMs)} ms`,
          true,
        );
      else say(out, `✗ ${r.error}`, false);
    } catch (err) {
      say(out, `✗ ${err.message}`, false);
    } finally {
      button.disabled = false;
    }
  });
}
