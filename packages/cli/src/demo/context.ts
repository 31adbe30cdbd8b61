import type { AlertKeyJwk } from '@cradle/core';
import type { Registrar } from '@cradle/issuer';
import type { Wallet } from '@cradle/holder';
import type { DevChain } from '@cradle/ledger/devchain';
import type { MemoryVerifierStore } from '@cradle/verifier';
import type { Narrator } from './narrator.js';

/** The checkpoint's domain in every presentation of the demo. */
export const DOMAIN = 'checkpoint.busia-border.example';
/** One day in seconds. */
export const DAY = 86_400;

/** A registrar's status-list server that can be stopped (the checkpoint "losing its network") and restarted. */
export interface StatusServer {
  close(): Promise<void>;
}

/** What the setup phase leaves for the scenes: the roles, their state, and what must be cleaned up. */
export interface DemoWorld {
  n: Narrator;
  workDir: string;
  keep: boolean;
  secret: string;
  cleanups: (() => Promise<unknown>)[];
  chain: DevChain;
  port: number;
  registrar: Registrar;
  server: StatusServer;
  /** The mother (`guardian`), the first child's father (`father`, same wallet), and three children. */
  wallet: { w: Wallet; guardian: string; father: string; children: string[] };
  issued: { birth: string; guardianship: string; birthId: string; name: string }[];
  store: MemoryVerifierStore;
  /** The checkpoint's private alert key (the registrar encrypts its alert lists to the public half). */
  alertKey: AlertKeyJwk;
}
