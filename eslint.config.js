// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', 'packages/ledger/artifacts/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (CONVENTIONS.md #1).' },
        { selector: 'ExportAllDeclaration', message: 'Re-export names explicitly (CONVENTIONS.md #1).' },
      ],
    },
  },
  {
    // Browser-safe packages: no node: imports outside their node-only adapters.
    files: ['packages/core/src/**/*.ts', 'packages/verifier/src/**/*.ts'],
    ignores: ['packages/core/src/node/**', 'packages/verifier/src/node/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'This package runs in browsers: no node: imports here.' }] },
      ],
    },
  },
  {
    // One owner per wire format (issue #13): the literals that define a format (VC context URLs, the
    // presentation media type, envelope prefixes) live in packages/core/src/formats/ and nowhere else in
    // source; everyone else imports the constant or calls the format's build*/read*.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/core/src/formats/**', 'packages/core/src/schemas/compiled-validators.ts', 'packages/core/src/qr-dictionary.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (CONVENTIONS.md #1).' },
        { selector: 'ExportAllDeclaration', message: 'Re-export names explicitly (CONVENTIONS.md #1).' },
        ...[
          ['Literal', 'value'],
          ['TemplateElement', 'value.raw'],
        ].flatMap(([node, field]) => [
          {
            selector: `${node}[${field}=/^https:\\/\\/(www\\.w3\\.org\\/(ns\\/credentials|2018\\/credentials)|w3id\\.org\\/cradle\\/v1)/]`,
            message: 'A VC context URL is a format literal: import it from @cradle/core (packages/core/src/formats/).',
          },
          {
            selector: `${node}[${field}=/^data:application\\//]`,
            message: 'Envelope prefixes belong to @cradle/core formats/enveloped-credential.ts: use envelopeCredential / readEnvelopedCredential.',
          },
          {
            selector: `${node}[${field}=/^(CradleTrustBundle|cradle-bundle\\+jwt)$/]`,
            message: 'Trust bundle literals belong to @cradle/core formats/bundle.ts: use buildBundle / readBundle (BUNDLE_TYPE, TYP_BUNDLE).',
          },
          {
            selector: `${node}[${field}=/^(application\\/)?vp\\+jwt$/i]`,
            message: 'Media types belong to @cradle/core formats/media-types.ts: use TYP_VP_JWT.',
          },
        ]),
      ],
    },
  },
  {
    files: ['**/*.config.{js,ts}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
