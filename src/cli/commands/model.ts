import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '../../log.js';
import { compareModels, type Comparison } from '../../teach/compare.js';
import {
  checkCandidate,
  daemonOutcome,
  promoteInRegistry,
  PromoteError,
  rollbackInRegistry,
  type Outcome,
} from '../../teach/promote.js';
import { audit, listCards, modelMeta, readAudit, type ModelCard } from '../../teach/registry.js';
import { EXIT_CONFIG, numberOption, UsageError, type Command } from '../command.js';
import { runExport, runImport } from './model-bundle.js';
import { formatComparison } from './model-format.js';
import { configOption, loadTeachConfig, runningModelFile } from './teach-config.js';

/** A card for a model that is not in the registry yet (the configured one before any promotion). */
function modelCard(file: string): ModelCard {
  const m = modelMeta(file);
  return {
    sha256: m.sha256,
    source: file,
    version: m.version,
    labels: m.labels,
    base: null,
    data: null,
    createdAt: '',
  };
}

const by = (): string => `cli:${userInfo().username}`;

function say(outcome: Outcome, what: string): number {
  switch (outcome.daemon) {
    case 'not-running':
      process.stdout.write(`${what}; the daemon is not running: it starts with this model\n`);
      return 0;
    case 'running':
      process.stdout.write(
        `${what}; the daemon switched to it (sha256 ${outcome.sha256.slice(0, 12)}) between two frames\n`,
      );
      return 0;
    case 'refused':
      process.stderr.write(
        `the daemon refused the model and kept ${outcome.sha256.slice(0, 12)}: ${outcome.reason}\n`,
      );
      return 1;
    case 'no-answer':
      process.stderr.write(`${what}, but the running daemon did not answer within 30 s (see its log)\n`);
      return 1;
  }
}

/** The card train.ts writes beside a candidate (card.json), if any. */
function candidateCard(file: string): Partial<ModelCard> | undefined {
  const card = join(dirname(file), 'card.json');
  return existsSync(card) ? (JSON.parse(readFileSync(card, 'utf8')) as Partial<ModelCard>) : undefined;
}

export const modelCommand: Command = {
  name: 'model',
  summary:
    "the store's models: `model list | compare CANDIDATE | promote CANDIDATE [--force] | rollback | export --out FOLDER [MODEL] | import BUNDLE`",
  usage:
    'model list|compare|promote|rollback|export|import --config FILE [CANDIDATE|BUNDLE] [--out FOLDER] [--force] [--json] [--frames N] [--scenario FILE]...',
  positionals: true,
  options: {
    ...configOption,
    force: {
      type: 'boolean',
      description: 'promote: even when the candidate scores worse (never when it is broken).',
    },
    json: { type: 'boolean', description: 'Print one JSON document.' },
    out: {
      type: 'string',
      valueName: 'folder',
      description: 'export: the new bundle folder (the running model, or the MODEL given).',
    },
    frames: {
      type: 'string',
      valueName: 'N',
      description: 'compare/promote: synthetic held-out frames (default 60).',
    },
    scenario: {
      type: 'string',
      multiple: true,
      valueName: 'file',
      description: 'compare: also run this eval scenario with both models (repeatable).',
    },
  },
  async run(args) {
    const [sub, candidate, ...rest] = args.positionals;
    if (!sub || !['list', 'compare', 'promote', 'rollback', 'export', 'import'].includes(sub))
      throw new UsageError('expected a subcommand: list, compare, promote, rollback, export or import');
    if ((sub === 'compare' || sub === 'promote') && !candidate)
      throw new UsageError(`model ${sub} needs the candidate .onnx file`);
    if (sub === 'import' && !candidate) throw new UsageError('model import needs the bundle folder');
    if (rest.length || ((sub === 'list' || sub === 'rollback') && candidate))
      throw new UsageError(`unexpected argument "${rest[0] ?? candidate}"`);
    const loaded = loadTeachConfig(args);
    if (!loaded) return EXIT_CONFIG;
    const { dataDir } = loaded.config.storage;
    const running = runningModelFile(loaded);
    const json = Boolean(args.values.json);
    if (sub === 'export') return runExport(loaded, running, args.values.out as string | undefined, candidate);
    if (sub === 'import') return runImport(loaded, running, candidate as string);

    if (sub === 'list') {
      const runningSha = modelMeta(running).sha256;
      const models = listCards(dataDir).map((card) => ({
        sha256: card.sha256,
        current: card.sha256 === runningSha,
        card,
      }));
      if (!models.some((m) => m.current))
        models.push({ sha256: runningSha, current: true, card: modelCard(running) });
      const changes = readAudit(dataDir, 20);
      if (json) process.stdout.write(`${JSON.stringify({ models, changes }, null, 2)}\n`);
      else {
        for (const m of models)
          process.stdout.write(
            `${m.current ? '*' : ' '} ${m.sha256.slice(0, 12)}  ${m.card?.version ?? '?'}  ${m.card?.createdAt ?? ''}  ${m.card?.source ?? ''}\n`,
          );
        for (const c of changes)
          process.stdout.write(
            `  ${c.at} ${c.action} ${(c.sha256 ?? '-').slice(0, 12)}${c.detail ? `: ${c.detail}` : ''}\n`,
          );
      }
      return 0;
    }
    if (sub === 'rollback') {
      try {
        const { registry, to } = rollbackInRegistry(dataDir, by());
        return say(await daemonOutcome(dataDir, registry), `rolled back to ${to.slice(0, 12)}`);
      } catch (err) {
        if (!(err instanceof PromoteError)) throw err;
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
    }

    const file = candidate as string;
    const log = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
    const compare = (): Promise<Comparison> =>
      compareModels({
        loaded,
        current: running,
        candidate: file,
        log,
        syntheticFrames: numberOption(args, 'frames', 60),
        scenarios: (args.values.scenario as string[] | undefined) ?? [],
        onProgress: (what) => process.stderr.write(`${what}\n`),
      });
    try {
      await checkCandidate(loaded.config, running, file);
    } catch (err) {
      if (!(err instanceof PromoteError)) throw err;
      if (sub === 'promote')
        audit(dataDir, { action: 'refused', sha256: null, detail: err.message, by: by() });
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (sub === 'compare') {
      const c = await compare();
      process.stdout.write(json ? `${JSON.stringify(c, null, 2)}\n` : formatComparison(c));
      return 0;
    }
    let comparison: Comparison | null = null;
    if (!args.values.force) {
      comparison = await compare();
      if (comparison.worse) {
        const detail = `worse than the running model: ${comparison.reasons.join('; ')} (use --force to promote anyway)`;
        audit(dataDir, { action: 'refused', sha256: comparison.candidate.sha256, detail, by: by() });
        process.stderr.write(`${formatComparison(comparison)}promotion refused: ${detail}\n`);
        return 1;
      }
    }
    try {
      const card = {
        ...candidateCard(file),
        ...(comparison
          ? {
              compare: {
                decidedOn: comparison.decidedOn,
                current: comparison.current.synthetic,
                candidate: comparison.candidate.synthetic,
              },
            }
          : {}),
      };
      const { registry, card: stored } = promoteInRegistry({
        dataDir,
        running,
        candidate: file,
        card,
        forced: Boolean(args.values.force),
        by: by(),
      });
      return say(
        await daemonOutcome(dataDir, registry),
        `promoted ${stored.sha256.slice(0, 12)}${args.values.force ? ' (forced)' : ''}`,
      );
    } catch (err) {
      if (!(err instanceof PromoteError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
  },
};
