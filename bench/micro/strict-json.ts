// Rough benchmark: parseStrictJson vs JSON.parse on a ~2 KB credential payload.
// Run: node --conditions=source --import tsx bench/micro/strict-json.ts
import { parseStrictJson } from '@cradle/core';

const payload = JSON.stringify({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/cradle/v1'],
  id: 'urn:uuid:6f1c2c1e-8a2b-4b7e-9f5e-3c1d2a4b5c6d',
  type: ['VerifiableCredential', 'BirthRegistrationCredential'],
  issuer: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  validFrom: '2026-11-23T10:00:00Z',
  credentialSubject: {
    id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    givenName: 'Amara', familyName: 'Okonkwo-Fictional', birthDate: '2024-03-14', sex: 'female',
    placeOfBirth: { locality: 'Riverside', region: 'North Province', country: 'KE', facility: 'Riverside District Hospital' },
    registrationNumber: 'REG-2024-000123', registrationDate: '2024-03-20',
    registeringOffice: { name: 'Riverside Civil Registry Office', code: 'RCRO-01' },
    parents: [{ role: 'mother', reference: 'urn:cradle:person:0001' }, { role: 'father', reference: 'urn:cradle:person:0002' }],
  },
  credentialStatus: [0, 1].map((k) => ({
    id: `https://registrar.example/status/list${k}#${8123 + k}`, type: 'BitstringStatusListEntry',
    statusPurpose: k ? 'suspension' : 'revocation', statusListIndex: String(8123 + k),
    statusListCredential: `https://registrar.example/status/list${k}`,
  })),
  iss: 'did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  sub: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
  jti: 'urn:uuid:6f1c2c1e-8a2b-4b7e-9f5e-3c1d2a4b5c6d', iat: 1795000000, nbf: 1795000000,
  note: 'x'.repeat(600),
});

function time(fn: () => unknown, iterations: number): number {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - t0) / iterations;
}

// Interleaved rounds, median ratio: robust against a noisy (shared) machine.
const N = 20_000;
const ratios: number[] = [];
let lastBase = 0;
let lastOurs = 0;
for (let round = 0; round < 15; round++) {
  lastBase = time(() => JSON.parse(payload), N);
  lastOurs = time(() => parseStrictJson(payload), N);
  ratios.push(lastOurs / lastBase);
}
ratios.sort((a, b) => a - b);
console.log(
  `payload ${payload.length} B: JSON.parse ${(lastBase * 1000).toFixed(2)} us, parseStrictJson ${(lastOurs * 1000).toFixed(2)} us (last round); ` +
    `median ratio ${ratios[7]!.toFixed(2)}x (min ${ratios[0]!.toFixed(2)}x, max ${ratios[14]!.toFixed(2)}x over 15 rounds)`,
);
