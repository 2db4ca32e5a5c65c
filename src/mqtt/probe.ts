// A round trip through the broker on the daemon's own connection (/tech "test broker"): subscribe
// to a fresh `<base>/probe/<random>` topic, publish one QoS 1 message to it, time its return,
// unsubscribe. The client hands every incoming message to `deliver` first, so probe messages are
// never taken for POS traffic.
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';

export type ProbeResult = { ok: true; latencyMs: number; topic: string } | { ok: false; error: string };

export interface Probes {
  /** Never rejects: every failure is a result with its error. */
  run(client: MqttClient, timeoutMs: number): Promise<ProbeResult>;
  /** True when `topic` is a probe waiting for its message (the message is then consumed). */
  deliver(topic: string): boolean;
}

export function createProbes(base: string): Probes {
  const waiting = new Map<string, () => void>();
  return {
    deliver(topic) {
      const arrived = waiting.get(topic);
      arrived?.();
      return arrived !== undefined;
    },
    run(c, timeoutMs) {
      const topic = `${base}/${randomBytes(6).toString('hex')}`;
      return new Promise<ProbeResult>((resolve) => {
        let startedAt = 0;
        const finish = (r: ProbeResult): void => {
          if (!waiting.has(topic)) return;
          waiting.delete(topic);
          clearTimeout(timer);
          c.unsubscribe(topic, () => undefined);
          resolve(r);
        };
        const timer = setTimeout(
          () => finish({ ok: false, error: `no answer from the broker within ${timeoutMs} ms` }),
          timeoutMs,
        );
        waiting.set(topic, () => finish({ ok: true, latencyMs: performance.now() - startedAt, topic }));
        c.subscribe(topic, { qos: 1 }, (err, grants) => {
          if (err) return finish({ ok: false, error: `subscribe failed: ${err.message}` });
          if ((grants?.[0]?.qos ?? 0x80) >= 0x80)
            return finish({
              ok: false,
              error: `the broker refused the subscription to ${topic} (check its ACL)`,
            });
          startedAt = performance.now();
          c.publish(topic, 'probe', { qos: 1, retain: false }, (perr) => {
            if (perr) finish({ ok: false, error: `publish failed: ${perr.message}` });
          });
        });
      });
    },
  };
}
