// MQTT topic names of the contract (docs/mqtt.md, DESIGN.md "MQTT contract").
export interface Topics {
  /** Inbound POS events: order.placed, order.updated, order.cancelled. */
  pos: string;
  /** Inbound KDS events: order.ready, order.served. */
  kds: string;
  /** Outbound echo of every rejected inbound message. */
  posRejected: string;
  /** Outbound retained `online` / `offline` (last will). */
  status: string;
  /** Outbound retained JSON per camera. */
  cameraStatus(cameraId: string): string;
  verdict: string;
  alert: string;
  /** Round-trip test of the daemon's own connection (/tech "test broker"): `<base>/probe/<random>`. */
  probe: string;
}

export function topics(prefix: string, storeId: string): Topics {
  const base = `${prefix}/${storeId}`;
  return {
    pos: `${base}/pos`,
    kds: `${base}/kds`,
    posRejected: `${base}/pos/rejected`,
    status: `${base}/status`,
    cameraStatus: (cameraId) => `${base}/camera/${cameraId}/status`,
    verdict: `${base}/verdict`,
    alert: `${base}/alert`,
    probe: `${base}/probe`,
  };
}

/** MQTT topic filter matching (`+` one level, `#` the rest), for local handler dispatch. */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  const f = filter.split('/');
  const t = topic.split('/');
  // [MQTT-4.7.2-1]: wildcards at the first level do not match $-topics.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
