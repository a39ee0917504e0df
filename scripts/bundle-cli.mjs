// The `voltmon` command as shipped: dist/headless (tsc's output) bundled into dist/voltmon, one file per
// command plus shared chunks. A daemon keeps every loaded module's source text in its heap; one
// tree-shaken, whitespace-free bundle instead of ~200 separate files cuts an idle daemon's RSS by ~4 MB
// (bench/daemon-steady.ts). Identifiers are kept so stack traces in logs stay readable.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { INTERPRETER_FLAGS } from '../dist/headless/interpreter.js';

const OUT_DIR = 'dist/voltmon';

// Loaded from node_modules as usual: native addons, packages that find files next to their own code,
// and modules only reached through options voltmon never sets (fastify's default schema compilers and
// inject(); src/main/api/server.ts replaces the compilers).
const external = [
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'onoff',
  'epoll',
  'mysql2',
  'pino',
  'pino-pretty',
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'light-my-request',
];

// zod's `z.locales` namespace carries error messages in ~50 languages (~300 KB of source held in the heap);
// voltmon writes its own messages and zod's default is English, so only that locale goes into the bundle.
const englishZodOnly = {
  name: 'english-zod-only',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}`) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

// fastify requires node:http2 at the top of lib/server.js for the `http2` option, which voltmon never
// sets; loading it costs an idle daemon ~0.6 MB of heap. Here it is required when first used instead.
// A fastify whose server.js no longer has that line fails the build, so the change cannot go unnoticed.
const HTTP2_LINE = "const http2 = require('node:http2')";
const lazyFastifyHttp2 = {
  name: 'lazy-fastify-http2',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]fastify[\\/]lib[\\/]server\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(HTTP2_LINE)) throw new Error(`${args.path} no longer has "${HTTP2_LINE}": update ${import.meta.url}`);
      const lazy = "const http2 = { createServer: (...a) => require('node:http2').createServer(...a), createSecureServer: (...a) => require('node:http2').createSecureServer(...a) }";
      return { contents: source.replace(HTTP2_LINE, lazy), loader: 'js' };
    });
  },
};

rmSync(OUT_DIR, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'dist/headless/cli.js' },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  external,
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __voltmonCreateRequire } from 'node:module'; const require = __voltmonCreateRequire(import.meta.url);" },
  plugins: [englishZodOnly, lazyFastifyHttp2],
  logLevel: 'warning',
});
// The installed bin starts Node as an interpreter (src/headless/interpreter.ts says why); `env -S` splits
// the flags on Linux and macOS. `node dist/voltmon/cli.js` ignores the line and keeps the JIT.
const bin = `${OUT_DIR}/cli.js`;
const code = readFileSync(bin, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(bin, `#!/usr/bin/env -S node ${INTERPRETER_FLAGS.join(' ')}\n${code}`);
chmodSync(bin, 0o755);
