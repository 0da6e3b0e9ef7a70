module.exports = {
  displayName: 'cache',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
