module.exports = {
  displayName: 'postback-dispatch',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
