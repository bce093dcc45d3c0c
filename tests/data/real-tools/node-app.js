// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';
const crypto = require('crypto');
const fs = require('fs');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function hashLoop(n) { let h = 'x'; for (let i = 0; i < n; i++) h = crypto.createHash('sha256').update(h).digest('hex'); return h; }
function sortBig() { const a = []; for (let i = 0; i < 200000; i++) a.push(Math.random()); return a.sort((x, y) => x - y).length; }
function phaseCompute() { return fib(27) + sortBig(); }
async function phaseAsync() {
  for (let i = 0; i < 5; i++) {
    await new Promise(r => setTimeout(r, 20));
    hashLoop(20000);
    await fs.promises.readFile(__filename);
  }
}
async function main() { phaseCompute(); await phaseAsync(); phaseCompute(); }
main();
