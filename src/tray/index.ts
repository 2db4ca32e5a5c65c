// Tray stage: pure tray tracking per camera (see tracker.ts).
export {
  createTrayTracker,
  type SuccessorQuery,
  type TrayState,
  type TrayTracker,
  type TrayTrackerOptions,
} from './tracker.js';
