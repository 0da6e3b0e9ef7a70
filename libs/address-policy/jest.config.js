module.exports = {
  displayName: 'address-policy',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
