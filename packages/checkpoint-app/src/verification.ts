/**
 * What the app needs only to check something or change its trust: signature checks, QR payload decoding,
 * claims schemas, bundle import (most of its code). Not part of start-up: `loadVerification` in
 * verifier-adapter.ts loads it once, when the phone is idle after start-up or on first use.
 */
export { primeQrPayloadReader } from '@cradle/core';
export { addTrustedIssuer, importBundle, readAlertKey, removeTrustedIssuer, verify, verifyCertificate } from '@cradle/verifier';
