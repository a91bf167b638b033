#!/usr/bin/env node
'use strict';
// `rcm` launcher: run the TypeScript CLI through tsx's CommonJS hook (no build step).
const fail = (err) => {
  process.stderr.write(`rcm: error: ${String((err && err.message) || err).split('\n')[0]}\n`);
  process.exit(1);
};
try {
  require('tsx/cjs');
  const { main } = require('../src/client/cli.ts');
  main(process.argv).then((code) => process.exit(code), fail);
} catch (err) {
  fail(err);
}
