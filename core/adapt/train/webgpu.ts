/** What Dawn says about the adapter it would train on. */
export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** The adapter Dawn found on this machine, or why none was found. */
export type WebGpuProbe =
  | { readonly found: true; readonly adapter: GpuAdapterInfo }
  | { readonly found: false; readonly reason: string };

/** The parts of the WebGPU API this module touches (the DOM typings describe browsers, not Dawn). */
interface DawnAdapter {
  readonly info?: Partial<GpuAdapterInfo>;
  readonly isFallbackAdapter?: boolean;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

let probed: Promise<WebGpuProbe> | undefined;

/**
 * Loads Dawn's Node bindings (npm `webgpu`, prebuilt for Linux, macOS and Windows inside its
 * tarball), gives this process the `navigator.gpu` and GPU* globals that tfjs-backend-webgpu
 * expects, and asks for the high-performance adapter. Done once per process; never throws.
 */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<WebGpuProbe> {
  let gpu: DawnGpu;
  try {
    gpu = await installNavigatorGpu();
  } catch (error) {
    return { found: false, reason: `WebGPU (Dawn) did not load: ${messageOf(error)}` };
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { found: false, reason: 'none found' };
    return { found: true, adapter: adapterInfo(adapter) };
  } catch (error) {
    return { found: false, reason: `the adapter request failed: ${messageOf(error)}` };
  }
}

async function installNavigatorGpu(): Promise<DawnGpu> {
  // A variable specifier: the package's own typings pull in the browser's WebGPU declarations.
  const specifier = 'webgpu';
  const dawn = (await import(specifier)) as DawnModule;
  const gpu = dawn.create([]);
  Object.assign(globalThis, dawn.globals);
  // Node 21+ has a read-only `navigator`; tfjs-backend-webgpu reads `navigator.gpu` when imported.
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing) Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return gpu;
}

function adapterInfo(adapter: DawnAdapter): GpuAdapterInfo {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
}

/** The adapter's name for people: its description, else vendor and device. */
export function adapterName(info: GpuAdapterInfo): string {
  return info.description || [info.vendor, info.device].filter(Boolean).join(' ') || 'an unnamed adapter';
}

/**
 * What kind of software adapter this is ("SwiftShader", ...), or undefined for a real GPU. Software
 * renderers (SwiftShader, Mesa's llvmpipe/lavapipe) compute correctly but slower than the wasm
 * backend, so real training never runs on them; CI uses SwiftShader only to check that WebGPU
 * computes the same numbers.
 */
export function softwareAdapterKind(info: GpuAdapterInfo): string | undefined {
  if (info.architecture === 'swiftshader' || /swiftshader/i.test(info.description)) return 'SwiftShader';
  if (/llvmpipe|lavapipe/i.test(`${info.device} ${info.description}`)) return "Mesa's llvmpipe";
  if (info.isFallbackAdapter) return 'a fallback adapter';
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
