const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'reporting',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The OpenAPI validator's parser ships as ES modules only; compile it like our own code.
  transform: {
    ...preset.transform,
    '^.+/node_modules/@apidevtools/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@apidevtools/)'],
};
