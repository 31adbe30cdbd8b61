// The one freePort (a TCP port free on 127.0.0.1 right now) lives with the dev chain it serves.
export { freePort } from '@cradle/ledger/devchain';
