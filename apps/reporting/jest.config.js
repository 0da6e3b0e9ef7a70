module.exports = {
  displayName: 'reporting',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
