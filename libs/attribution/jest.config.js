module.exports = {
  displayName: 'attribution-lib',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
