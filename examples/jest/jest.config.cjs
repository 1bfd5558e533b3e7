/** Jest's default: CommonJS, so `require('lean-mock/testing')` loads the package's CommonJS build. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.cjs'],
  testTimeout: 10_000,
};
