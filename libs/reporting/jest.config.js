module.exports = {
  displayName: 'reporting-lib',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
