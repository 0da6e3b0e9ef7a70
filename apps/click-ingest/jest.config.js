module.exports = {
  displayName: 'click-ingest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
