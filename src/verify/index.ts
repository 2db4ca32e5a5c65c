// Verify stage: pure linking and comparison (DESIGN.md "Tray lifecycle and linking").
export { compare, diffSize, type Difference } from './compare.js';
export {
  linkTray,
  selectCandidates,
  type LinkCandidates,
  type LinkOptions,
  type LinkResult,
} from './link.js';
export { verifyTray, type VerifyOptions } from './verdict.js';
export { createVerifier, type TrayLink, type Verifier, type VerifierOptions } from './verifier.js';
