import { EntitySchema, Table } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A credential row: the compact JWS as imported, plus the fields the wallet looks credentials up by. */
export interface CredentialRow {
  /** Credential id (`urn:uuid:…`, the JWT `jti`). */
  id: string;
  /** The compact JWS, exactly as imported. */
  jwt: string;
  /** `credentialSubject.id`: the child's DID. */
  subject: string;
  issuer: string;
  /** `BirthRegistrationCredential` or `GuardianshipCredential`. */
  type: string;
  /** ISO 8601. */
  importedAt: string;
}

/** A local, never-shared name for a DID held in this wallet. */
export interface LabelRow {
  did: string;
  label: string;
}

/** Wallet-level settings: key-derivation salt and parameters, the secret canary, the schema version. */
export interface MetaRow {
  key: string;
  value: string;
}

/** TypeORM entity for the wallet's credentials (`cradle_credential`; Veramo's own `credential` table is unused). */
export const CredentialEntity = new EntitySchema<CredentialRow>({
  name: 'CradleCredential',
  tableName: 'cradle_credential',
  columns: {
    id: { type: 'varchar', primary: true },
    jwt: { type: 'text' },
    subject: { type: 'varchar' },
    issuer: { type: 'varchar' },
    type: { type: 'varchar' },
    importedAt: { type: 'varchar' },
  },
});

/** TypeORM entity for DID labels. */
export const LabelEntity = new EntitySchema<LabelRow>({
  name: 'CradleLabel',
  tableName: 'cradle_label',
  columns: {
    did: { type: 'varchar', primary: true },
    label: { type: 'varchar' },
  },
});

/** TypeORM entity for wallet settings. */
export const MetaEntity = new EntitySchema<MetaRow>({
  name: 'CradleWalletMeta',
  tableName: 'cradle_wallet_meta',
  columns: {
    key: { type: 'varchar', primary: true },
    value: { type: 'text' },
  },
});

/** The wallet's own entities, to add to Veramo's. */
export const walletEntities = [CredentialEntity, LabelEntity, MetaEntity];

/**
 * Creates the wallet's own tables. Runs after Veramo's migrations (the timestamp in the name orders them).
 */
export class CreateCradleWalletTables1795000000001 implements MigrationInterface {
  name = 'CreateCradleWalletTables1795000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cradle_credential',
        columns: [
          { name: 'id', type: 'varchar', isPrimary: true },
          { name: 'jwt', type: 'text' },
          { name: 'subject', type: 'varchar' },
          { name: 'issuer', type: 'varchar' },
          { name: 'type', type: 'varchar' },
          { name: 'importedAt', type: 'varchar' },
        ],
        indices: [{ name: 'IDX_cradle_credential_subject', columnNames: ['subject', 'type'] }],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'cradle_label',
        columns: [
          { name: 'did', type: 'varchar', isPrimary: true },
          { name: 'label', type: 'varchar' },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'cradle_wallet_meta',
        columns: [
          { name: 'key', type: 'varchar', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cradle_wallet_meta', true);
    await queryRunner.dropTable('cradle_label', true);
    await queryRunner.dropTable('cradle_credential', true);
  }
}

/** The wallet's migrations, to run after Veramo's. */
export const walletMigrations = [CreateCradleWalletTables1795000000001];
