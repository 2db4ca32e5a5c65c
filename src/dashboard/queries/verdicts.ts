// Searchable verdict history (order id, result, dates, camera, item), newest first, paged; the rows
// come from store/history-repo.ts.
import type { HistoryRepo, VerdictSearch } from '../../store/history-repo.js';
import type { LabelCounts } from '../../types.js';
import { differenceLines, type Menu } from '../present.js';
import { parseJson } from './json.js';

export type { VerdictSearch } from '../../store/history-repo.js';

export function searchVerdicts(
  repo: HistoryRepo,
  menu: Menu,
  s: VerdictSearch & { page: number; pageSize: number },
) {
  const { rows, total } = repo.search(s, { limit: s.pageSize, offset: (s.page - 1) * s.pageSize });
  const items = rows.map((r) => {
    const missing = parseJson<LabelCounts>(r.missing_json, {});
    const extra = parseJson<LabelCounts>(r.extra_json, {});
    return {
      id: r.id,
      trayId: r.tray_id,
      cameraId: r.camera_id,
      orderId: r.order_id,
      link: r.link,
      result: r.result,
      expected: parseJson<LabelCounts>(r.expected_json, {}),
      observed: parseJson<LabelCounts>(r.observed_json, {}),
      missing,
      extra,
      unverifiable: parseJson<string[]>(r.unverifiable_json, []),
      uncertain: parseJson<string[]>(r.uncertain_json, []),
      snapshotId: r.snapshot_id,
      ts: r.ts,
      summary: differenceLines({ missing, extra }, menu).join(' · '),
      alertResolution: r.resolution,
    };
  });
  return { items, total, page: s.page, pageSize: s.pageSize };
}
