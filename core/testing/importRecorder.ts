import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a Node module hook into `dir` that appends every resolved module URL to the file named by
 * `IMPORTS_LOG`, and returns the path of the file to pass to `node --import`: what a command
 * loaded, read back from the log.
 */
export async function writeImportRecorder(dir: string): Promise<string> {
  await fs.writeFile(
    path.join(dir, 'recordImports.mjs'),
    [
      "import fs from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const resolved = await next(specifier, context);',
      "  fs.appendFileSync(process.env.IMPORTS_LOG, resolved.url + '\\n');",
      '  return resolved;',
      '}',
    ].join('\n'),
  );
  const hook = path.join(dir, 'registerHook.mjs');
  await fs.writeFile(
    hook,
    "import { register } from 'node:module';\nregister('./recordImports.mjs', import.meta.url);\n",
  );
  return hook;
}
