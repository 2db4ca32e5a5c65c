// The detect stage: the model loaded in its worker thread, checked against the menu's labels.
import type { DetectorConfig, Menu } from '../config/schema.js';
import { checkMenuLabels, createDetector, ModelError, type Detector } from '../detect/index.js';
import type { Logger } from '../log.js';
import { currentModelFile } from '../teach/registry.js';
import { need, StartupError, type Stage } from './stage.js';

export interface DetectStage extends Stage {
  detector: () => Detector;
}

export function createDetectStage(deps: {
  detector: DetectorConfig;
  menu: Menu;
  /** The config file's folder: a relative model path is resolved against it. */
  baseDir: string;
  /** The registry of promoted models lives under it. */
  dataDir: string;
  /** The store's new labels: the menu may use them before the model knows them. */
  newLabels: readonly string[];
  log: Logger;
}): DetectStage {
  let detector: Detector | null = null;
  return {
    name: 'detect',
    async start() {
      // A promoted model (teach/registry.ts) outlives a restart; the configured one is the base.
      const model = currentModelFile(deps.dataDir, deps.detector.model);
      if (model !== deps.detector.model)
        deps.log.info({ model }, 'running the promoted model from the registry');
      detector = createDetector({
        config: { ...deps.detector, model },
        log: deps.log,
        baseDir: deps.baseDir,
      });
      try {
        await detector.start();
      } catch (err) {
        if (err instanceof ModelError) throw new StartupError('detect', err.message);
        throw err;
      }
      const info = detector.info();
      const missing = checkMenuLabels(deps.menu, info.labels, deps.newLabels);
      if (missing.length) {
        throw new StartupError(
          'menu',
          `menu uses label(s) the model ${info.path} does not know: ${missing.join(', ')} (model labels: ${info.labels.join(', ')}; map them with detector.aliases, fix the menu, or for a new menu item create the label with \`traycheck sprites add --label L --new-label\`)`,
        );
      }
    },
    stop: () => detector?.stop(),
    detector: () => need(detector, 'detect'),
  };
}
