// How a verdict lists the lines no camera can check: the SKU for a line the menu says is not
// checkable or does not know, the SKU with its modifiers for a line whose modifier is unknown.
import type { UnverifiableLine } from './expand.js';

export function unverifiableText(lines: readonly UnverifiableLine[]): string[] {
  const out = lines.map((l) =>
    l.reason === 'unknown-modifier' ? `${l.sku} (${l.modifiers.join(', ')})` : l.sku,
  );
  return [...new Set(out)];
}
