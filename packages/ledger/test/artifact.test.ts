import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_PATH,
  GENERATED_MODULE_PATH,
  SOLC_VERSION,
  compileCradleAnchor,
  renderArtifactJson,
  renderArtifactModule,
} from '../scripts/compile.js';
import { cradleAnchorArtifact } from '../src/generated/cradle-anchor-artifact.js';

describe('committed CradleAnchor artifact', () => {
  const fresh = compileCradleAnchor();

  it('is compiled with the pinned solc and fixed settings', () => {
    expect(fresh.compiler.version.startsWith(`${SOLC_VERSION}+`)).toBe(true);
    expect(fresh.compiler.settings.optimizer).toEqual({ enabled: true, runs: 200 });
  });

  it('artifacts/CradleAnchor.json equals a fresh compile of contracts/CradleAnchor.sol', () => {
    expect(readFileSync(ARTIFACT_PATH, 'utf8')).toBe(renderArtifactJson(fresh));
  });

  it('the generated TypeScript module equals a fresh compile', () => {
    expect(readFileSync(GENERATED_MODULE_PATH, 'utf8')).toBe(renderArtifactModule(fresh));
    expect(cradleAnchorArtifact.bytecode).toBe(fresh.bytecode);
    expect(cradleAnchorArtifact.deployedBytecode).toBe(fresh.deployedBytecode);
  });
});
