// Shape of the health report served at /api/health and read by `traycheck status`.
export type ComponentState = 'ok' | 'degraded' | 'down';

export interface ComponentHealth {
  state: ComponentState;
  /** One line a technician can act on ("camera expo offline since 12:01: connection refused"). */
  detail: string;
  data?: Record<string, unknown>;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  startedAt: number;
  uptimeS: number;
  components: Record<string, ComponentHealth>;
}

/** A stage that contributes to health registers one of these under a component name. */
export type HealthProvider = () => ComponentHealth;
