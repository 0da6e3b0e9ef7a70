module.exports = {
  displayName: 'api-keys',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
