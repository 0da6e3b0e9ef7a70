module.exports = {
  displayName: 'tracking',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
