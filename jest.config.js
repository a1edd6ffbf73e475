// Tests are written in TypeScript under test/ and run from their compiled form
// in dist/test (the project is ESM: jest runs with --experimental-vm-modules).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  setupFiles: ['<rootDir>/dist/test/setupEnv.js'],
  testTimeout: 180000,
  maxWorkers: 2,
};
