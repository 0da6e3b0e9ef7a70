module.exports = {
  displayName: 'network-admin',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
