/** Native ESM (run with `node --experimental-vm-modules`): no transform, the tests are plain JavaScript. */
export default {
  testEnvironment: 'node',
  transform: {},
  testMatch: ['<rootDir>/*.test.js'],
  testTimeout: 10_000,
};
