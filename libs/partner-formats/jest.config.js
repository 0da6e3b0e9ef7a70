module.exports = {
  displayName: 'partner-formats',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
