// Everything traycheck publishes besides its own online/offline status (client.ts, with the last
// will) goes through one function: it alone maps a message to its topic, QoS and retain flag
// (docs/mqtt.md "Outbound payloads").
import type { Mqtt } from './client.js';
import type { Topics } from './topics.js';

export type OutboundMessage =
  | { kind: 'verdict'; payload: object }
  | { kind: 'alert'; payload: object }
  /** Retained: a subscriber arriving later sees each camera's current state. */
  | { kind: 'cameraStatus'; cameraId: string; payload: object }
  /** QoS 0: an echo for integrators debugging their payloads, not a record (that is the database). */
  | { kind: 'posRejected'; payload: object };

export type PublishOutbound = (msg: OutboundMessage) => void;

export function createOutbound(mqtt: Pick<Mqtt, 'publish'>, t: Topics): PublishOutbound {
  return (msg) => {
    switch (msg.kind) {
      case 'verdict':
        return mqtt.publish(t.verdict, msg.payload, { qos: 1 });
      case 'alert':
        return mqtt.publish(t.alert, msg.payload, { qos: 1 });
      case 'cameraStatus':
        return mqtt.publish(t.cameraStatus(msg.cameraId), msg.payload, { qos: 1, retain: true });
      case 'posRejected':
        return mqtt.publish(t.posRejected, msg.payload, { qos: 0 });
    }
  };
}
