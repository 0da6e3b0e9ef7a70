module.exports = {
  displayName: 'postback-ingest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
