module.exports = {
  displayName: 'spool',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
