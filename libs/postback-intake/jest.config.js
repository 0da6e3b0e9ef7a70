module.exports = {
  displayName: 'postback-intake',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
