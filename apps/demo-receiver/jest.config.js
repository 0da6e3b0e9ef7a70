module.exports = {
  displayName: 'demo-receiver',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
