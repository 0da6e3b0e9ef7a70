module.exports = {
  displayName: 'management',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
