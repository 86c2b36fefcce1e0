/* eslint-disable @typescript-eslint/no-require-imports -- Hardhat 2 loads its configuration as CommonJS. */
/* global require, module, __dirname */
// Configuration of the second JSON-RPC node the contract tests run against: Hardhat's node (EDR engine).
// Only the built-in network is used; nothing is compiled here (the artifacts come from solc-js).
const os = require('node:os');
const path = require('node:path');

module.exports = {
  paths: {
    sources: path.join(__dirname, 'no-sources'),
    cache: path.join(os.tmpdir(), 'zkesim-hardhat-cache'),
    artifacts: path.join(os.tmpdir(), 'zkesim-hardhat-artifacts'),
  },
  networks: {
    hardhat: { chainId: 31338, hardfork: 'cancun', accounts: { count: 1 } },
  },
};
