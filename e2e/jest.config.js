module.exports = {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  // The whole platform runs as real processes; give it time on a 2-core machine.
  testTimeout: 240_000,
};
