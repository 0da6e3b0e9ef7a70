module.exports = {
  displayName: 'attribution',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
