import { existsSync } from 'node:fs';

/**
 * Test gates of the WebGPU tests. CI has no GPU: `.ci/run` runs them with Chromium's SwiftShader
 * Vulkan driver as the only adapter (VK_ICD_FILENAMES, XDG_RUNTIME_DIR) and sets
 * DRIFTLESS_REQUIRE_SWIFTSHADER=1 there, so a missing driver fails instead of skipping silently.
 */
export function swiftShaderConfigured(): boolean {
  const icd = process.env.VK_ICD_FILENAMES ?? '';
  return /swiftshader/i.test(icd) && existsSync(icd) && Boolean(process.env.XDG_RUNTIME_DIR);
}

/** True where the SwiftShader tests must run (CI's WebGPU step). */
export function swiftShaderRequired(): boolean {
  return process.env.DRIFTLESS_REQUIRE_SWIFTSHADER === '1';
}
