// Menu: what an order puts on the tray (expansion, modifiers) and how staff read its lines.
export { expandOrder, type Expansion, type UnverifiableLine, type UnverifiableReason } from './expand.js';
export { lineText, modifierCode, modifierName } from './modifiers.js';
export { unverifiableText } from './unverifiable.js';
export { menuWithNewLabels } from './new-labels.js';
