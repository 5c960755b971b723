// Builds dist/ (served at /chat/ by the assistant): widget.js bundled and minified by
// esbuild from src/, and the demo page (static/). Prints the bundle size (raw and gzip).
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

mkdirSync("dist", { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outfile: "dist/widget.js",
  legalComments: "eof",
  logLevel: "warning",
});
for (const name of readdirSync("static")) copyFileSync(`static/${name}`, `dist/${name}`);
const bundle = readFileSync("dist/widget.js");
const kB = (n) => (n / 1024).toFixed(1);
console.log(`dist/widget.js: ${kB(bundle.length)} kB, ${kB(gzipSync(bundle, { level: 9 }).length)} kB gzip`);
