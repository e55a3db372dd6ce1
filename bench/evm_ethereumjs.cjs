// bench/evm_ethereumjs.cjs — runs a workload written by bench/bench_evmload.c through
// @ethereumjs/vm (runTx, Cancun rules) and prints one result line for the C bench to read:
//
//   ethereumjs gas=<total gasUsed> ok=<successful txs> failed=<reverted/halted> invalid=<rejected>
//              root=<state root after the workload> ms=<wall t1>,<t2>,<t3> cpu=<CPU c1>,<c2>,<c3>
//
// Usage: node bench/evm_ethereumjs.cjs <ethereumjs dir (holds node_modules/@ethereumjs)> <workload.json> <runs>
// One untimed warm-up run (the JIT), then <runs> timed runs, each on a fresh state built from the
// workload's pre-state. Only the loop of runTx calls is timed, inside one state checkpoint (as
// runBlock does); building the pre-state, the final commit and the state root are not timed, as in
// the mpavs bench; CPU time is the process's (process.cpuUsage: user + system, all of node's threads).
// Senders are given (tx.getSenderAddress is overridden, no signature), as mpavs's
// mpavs_evm_tx carries its sender: neither side times ECDSA recovery.
// Exit status 2 with "ethereumjs: not installed" when the packages are absent.
'use strict';
const path = require('path');
const fs = require('fs');
const { createRequire } = require('module');

const [dir, file, runsArg] = process.argv.slice(2);
let ejs;
try {
  const req = createRequire(path.join(dir, 'package.json'));
  ejs = {
    common: req('@ethereumjs/common'),
    util: req('@ethereumjs/util'),
    vm: req('@ethereumjs/vm'),
    sm: req('@ethereumjs/statemanager'),
    tx: req('@ethereumjs/tx'),
    block: req('@ethereumjs/block'),
    version: JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/@ethereumjs/vm/package.json'), 'utf8')).version,
  };
} catch (e) {
  console.log('ethereumjs: not installed (' + String(e.message).split('\n')[0] + ')');
  process.exit(2);
}
const { Common, Mainnet, Hardfork } = ejs.common;
const { createAddressFromString, hexToBytes, bytesToHex, createAccount } = ejs.util;

const w = JSON.parse(fs.readFileSync(file, 'utf8'));
const runs = Math.max(1, parseInt(runsArg || '3', 10));
const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
const block = ejs.block.createBlock(
  {
    header: {
      number: BigInt(w.block.number),
      timestamp: BigInt(w.block.timestamp),
      gasLimit: BigInt(w.block.gasLimit),
      baseFeePerGas: BigInt(w.block.baseFee),
      coinbase: createAddressFromString(w.block.coinbase),
    },
  },
  { common },
);

// Transactions are built once (outside the timing) and reused by every run.
const txs = w.txs.map((t) => {
  const tx = ejs.tx.createFeeMarket1559Tx(
    {
      chainId: 1n,
      nonce: BigInt(t.nonce),
      gasLimit: BigInt(t.gas),
      maxFeePerGas: BigInt(t.maxFee),
      maxPriorityFeePerGas: BigInt(t.prio),
      to: t.to,
      value: BigInt(t.value),
      data: hexToBytes(t.data),
    },
    { common, freeze: false },
  );
  const sender = createAddressFromString(t.from);
  tx.getSenderAddress = () => sender;
  return tx;
});

async function freshVM() {
  const stateManager = new ejs.sm.MerkleStateManager({ common, caches: new ejs.sm.Caches() });
  for (const a of w.accounts) {
    const addr = createAddressFromString(a.address);
    await stateManager.putAccount(addr, createAccount({ nonce: BigInt(a.nonce), balance: BigInt(a.balance) }));
    if (a.code !== '0x') await stateManager.putCode(addr, hexToBytes(a.code));
    for (const [k, v] of a.storage) await stateManager.putStorage(addr, hexToBytes(k), hexToBytes(v));
  }
  await stateManager.checkpoint();
  await stateManager.commit();
  return ejs.vm.createVM({ common, stateManager });
}

async function once() {
  const vm = await freshVM();
  let gas = 0n, ok = 0, failed = 0, invalid = 0;
  await vm.stateManager.checkpoint();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const tx of txs) {
    try {
      const r = await ejs.vm.runTx(vm, { tx, block, skipBlockGasLimitValidation: true, skipHardForkValidation: true });
      gas += r.totalGasSpent;
      if (r.execResult.exceptionError === undefined) ok++;
      else failed++;
    } catch (e) {
      invalid++;
    }
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000;
  await vm.stateManager.commit();
  const root = bytesToHex(await vm.stateManager.getStateRoot());
  return { gas, ok, failed, invalid, root, ms, cpu };
}

(async () => {
  await once();
  const times = [], cpus = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await once();
    times.push(last.ms.toFixed(3));
    cpus.push(last.cpu.toFixed(3));
  }
  console.log(
    `ethereumjs version=${ejs.version} gas=${last.gas} ok=${last.ok} failed=${last.failed} invalid=${last.invalid} ` +
      `root=${last.root} ms=${times.join(',')} cpu=${cpus.join(',')}`,
  );
})().catch((e) => {
  console.log('ethereumjs: error: ' + String(e && e.stack ? e.stack : e).split('\n').slice(0, 3).join(' | '));
  process.exit(1);
});
