/**
 * The oracle database's schema, as an ordered list of migrations. A migration is never edited once it
 * has shipped: a change to the schema is a new entry at the end. Each applies in its own transaction
 * together with its row in `schema_migrations`, so a crash leaves the database at one version or the
 * next, never between. A database recorded at a version this code does not know was written by a newer
 * oracle, and is refused rather than read with the wrong schema.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3, ...: applied in this order, each once. */
  readonly version: number;
  /** Short description; also recorded, so a database from a diverged build is noticed. */
  readonly name: string;
  readonly sql: string;
}

/**
 * Version 1. Byte strings (keys, ids, digests, encodings) are BLOBs, times are integer ms since the Unix
 * epoch, booleans are 0/1, and absent optional fields are NULL. CHECK constraints repeat the model's
 * unions (tools/oracle/model.ts) so a bad value fails loudly at the write rather than at a later read.
 */
const INITIAL_SCHEMA = `
CREATE TABLE hotspots (
  key            BLOB PRIMARY KEY NOT NULL,
  lat_e7         INTEGER,
  lon_e7         INTEGER,
  cell           TEXT,
  gain_ddbi      INTEGER NOT NULL,
  region         TEXT NOT NULL,
  asserted_at_ms INTEGER NOT NULL,
  registered_ms  INTEGER NOT NULL,
  request        BLOB,
  -- A location is all three columns or none (model.ts AssertedLocation).
  CHECK ((lat_e7 IS NULL) = (cell IS NULL) AND (lon_e7 IS NULL) = (cell IS NULL))
);

CREATE TABLE entropy (
  epoch   INTEGER PRIMARY KEY NOT NULL,
  data    BLOB NOT NULL,
  time_ms INTEGER NOT NULL,
  encoded BLOB NOT NULL
);

CREATE TABLE items (
  id            BLOB PRIMARY KEY NOT NULL,
  uploader      BLOB NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('beacon', 'witness')),
  body          BLOB NOT NULL,
  received_ms   INTEGER NOT NULL,
  digest        BLOB NOT NULL,
  frequency_hz  INTEGER NOT NULL,
  data_rate     INTEGER NOT NULL,
  time_ms       INTEGER NOT NULL,
  rssi_ddbm     INTEGER,
  snr_ddb       INTEGER,
  tx_power_ddbm INTEGER,
  entropy_epoch INTEGER,
  entropy_tag   BLOB,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'valid', 'invalid')),
  reason        INTEGER NOT NULL DEFAULT 0,
  side          TEXT CHECK (side IN ('beaconer', 'witness')),
  passed        INTEGER NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),
  selected      INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
  verified_ms   INTEGER,
  epoch         INTEGER
);

-- group(), and reciprocity's "a passed witness of this beacon".
CREATE INDEX items_by_digest ON items (digest);
-- No index on status: the verifier reads the pending items once when it starts (pendingItems()) and
-- holds them in memory after that, so an index there would cost every insert and verdict for nothing.
-- beaconsOf() (uploader = ? AND kind = 'beacon' AND received_ms range), reciprocity and summary().
-- One index serves all three; a separate partial beacon index would only cost every insert a write.
CREATE INDEX items_by_uploader ON items (uploader, kind, received_ms);
-- epochItems() and firstOpenEpoch(). Pending items have no epoch, so inserts do not touch it;
-- SQLite uses a partial index for "epoch = ?" since that implies IS NOT NULL (partialindex.html §2).
CREATE INDEX items_by_epoch ON items (epoch) WHERE epoch IS NOT NULL;

CREATE TABLE epochs (
  epoch     INTEGER PRIMARY KEY NOT NULL,
  closed_ms INTEGER NOT NULL
);

CREATE TABLE rewards (
  epoch         INTEGER NOT NULL REFERENCES epochs (epoch),
  hotspot       BLOB NOT NULL,
  beacon_units  REAL NOT NULL,
  witness_units REAL NOT NULL,
  scale         REAL NOT NULL,
  amount        REAL NOT NULL,
  beacons       INTEGER NOT NULL,
  witnesses     INTEGER NOT NULL,
  PRIMARY KEY (epoch, hotspot)
);
`;

/**
 * Version 2: items are found by (time_ms, id) instead of by id alone. Ids are hashes, so a primary key on
 * them sent every insert, and every verdict, to a random page of their index, and each commit wrote all
 * those pages again to the WAL: about half of what storing an item cost on a file. An item's time_ms
 * comes from its signed body, which its id hashes, so the pair is unique exactly when the id is, and
 * since items arrive roughly in the order they were made, new entries land together at the end of the
 * index. SQLite cannot drop a primary key in place: the table is rebuilt, its rows copied in rowid order.
 */
const ITEMS_BY_TIME_AND_ID = `
CREATE TABLE items_v2 (
  id            BLOB NOT NULL,
  uploader      BLOB NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('beacon', 'witness')),
  body          BLOB NOT NULL,
  received_ms   INTEGER NOT NULL,
  digest        BLOB NOT NULL,
  frequency_hz  INTEGER NOT NULL,
  data_rate     INTEGER NOT NULL,
  time_ms       INTEGER NOT NULL,
  rssi_ddbm     INTEGER,
  snr_ddb       INTEGER,
  tx_power_ddbm INTEGER,
  entropy_epoch INTEGER,
  entropy_tag   BLOB,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'valid', 'invalid')),
  reason        INTEGER NOT NULL DEFAULT 0,
  side          TEXT CHECK (side IN ('beaconer', 'witness')),
  passed        INTEGER NOT NULL DEFAULT 0 CHECK (passed IN (0, 1)),
  selected      INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
  verified_ms   INTEGER,
  epoch         INTEGER
);
INSERT INTO items_v2 (id, uploader, kind, body, received_ms, digest, frequency_hz, data_rate, time_ms, rssi_ddbm,
    snr_ddb, tx_power_ddbm, entropy_epoch, entropy_tag, status, reason, side, passed, selected, verified_ms, epoch)
  SELECT id, uploader, kind, body, received_ms, digest, frequency_hz, data_rate, time_ms, rssi_ddbm,
    snr_ddb, tx_power_ddbm, entropy_epoch, entropy_tag, status, reason, side, passed, selected, verified_ms, epoch
  FROM items ORDER BY rowid;
DROP TABLE items;
ALTER TABLE items_v2 RENAME TO items;
-- Uniqueness (uploads are idempotent), insertItem's ON CONFLICT, updateVerdict and item().
CREATE UNIQUE INDEX items_by_time_and_id ON items (time_ms, id);
-- The indexes of version 1, unchanged (dropped with the old table).
CREATE INDEX items_by_digest ON items (digest);
CREATE INDEX items_by_uploader ON items (uploader, kind, received_ms);
CREATE INDEX items_by_epoch ON items (epoch) WHERE epoch IS NOT NULL;
`;

/**
 * Version 3: the mapper role's items (proofs/mapper-report.ts, mapper-receipt.ts), in tables of their own.
 * They are not proof of coverage: kept apart from `items`, no verdict column exists for them to get, and
 * no query of the verifier, the rewards or the read side can count them by mistake. An uplink's fields
 * are the decoded frame's, so the coverage map needs no decoding; `body` keeps the signed bytes.
 *
 * Both are found by (time_ms, id) as items are since migration 2 (unique exactly when the id is), which
 * is also the index on the sender's time that a coverage query's window reads. The digest indexes join
 * receipts to their uplink, whichever arrives first: a receipt may precede its report by days, when a
 * mapper uploads its log after a walk. The witness's position is not copied in: it is the registry's.
 */
const MAPPER_ITEMS = `
CREATE TABLE mapper_uplinks (
  id            BLOB NOT NULL,
  mapper        BLOB NOT NULL,
  digest        BLOB NOT NULL,
  lat_e7        INTEGER NOT NULL CHECK (lat_e7 BETWEEN -900000000 AND 900000000),
  lon_e7        INTEGER NOT NULL CHECK (lon_e7 BETWEEN -1800000000 AND 1800000000),
  altitude_m    INTEGER NOT NULL,
  hdop_deci     INTEGER NOT NULL CHECK (hdop_deci BETWEEN 0 AND 255),
  satellites    INTEGER NOT NULL,
  counter       INTEGER NOT NULL,
  frequency_hz  INTEGER NOT NULL,
  data_rate     INTEGER NOT NULL,
  tx_power_ddbm INTEGER NOT NULL,
  time_ms       INTEGER NOT NULL,
  received_ms   INTEGER NOT NULL,
  body          BLOB NOT NULL
);
CREATE UNIQUE INDEX mapper_uplinks_by_time_and_id ON mapper_uplinks (time_ms, id);
CREATE INDEX mapper_uplinks_by_digest ON mapper_uplinks (digest);

CREATE TABLE mapper_receipts (
  id           BLOB NOT NULL,
  witness      BLOB NOT NULL,
  digest       BLOB NOT NULL,
  rssi_ddbm    INTEGER NOT NULL,
  snr_ddb      INTEGER NOT NULL,
  frequency_hz INTEGER NOT NULL,
  data_rate    INTEGER NOT NULL,
  time_ms      INTEGER NOT NULL,
  received_ms  INTEGER NOT NULL,
  body         BLOB NOT NULL
);
CREATE UNIQUE INDEX mapper_receipts_by_time_and_id ON mapper_receipts (time_ms, id);
CREATE INDEX mapper_receipts_by_digest ON mapper_receipts (digest);
`;

/**
 * Version 4: vendor attestations (tools/oracle/attestation.ts), one per hotspot at most, in a table of
 * their own so that the registry's rows, and every query over them, stay as they were. A hotspot without a
 * row is DIY. Indexed by vendor key for the attested/DIY counts, which group by it.
 */
const ATTESTATIONS = `
CREATE TABLE attestations (
  hotspot     BLOB PRIMARY KEY NOT NULL REFERENCES hotspots (key),
  vendor_key  BLOB NOT NULL CHECK (length(vendor_key) = 32),
  model       TEXT NOT NULL,
  serial      TEXT NOT NULL,
  issued_ms   INTEGER NOT NULL,
  certificate BLOB NOT NULL,
  attested_ms INTEGER NOT NULL
);
CREATE INDEX attestations_by_vendor ON attestations (vendor_key);
`;

/** Every migration, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'items by time and id', sql: ITEMS_BY_TIME_AND_ID },
  { version: 3, name: 'mapper uplinks and receipts', sql: MAPPER_ITEMS },
  { version: 4, name: 'vendor attestations', sql: ATTESTATIONS },
];

/** The database was written by an oracle with a newer schema, or by a build whose migrations differ. */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL,
  applied_ms INTEGER NOT NULL
)`;

interface AppliedRow { version: number; name: string }

function applied(db: Database): AppliedRow[] {
  const ledger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (ledger === undefined) return [];
  return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}

/**
 * Throws SchemaVersionError unless every recorded migration is one of `migrations`, by version and
 * name, and RangeError unless `migrations` are numbered 1, 2, 3, ... Returns those still to apply.
 */
export function pendingMigrations(db: Database, label: string, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new RangeError(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const known = new Map(migrations.map((m) => [m.version, m]));
  const done = applied(db);
  const newest = migrations.at(-1)?.version ?? 0;
  for (const row of done) {
    const mine = known.get(row.version);
    if (mine === undefined) {
      throw new SchemaVersionError(
        `${label}: database schema version ${row.version} is newer than this oracle knows (${newest}); ` +
        'it was written by a newer covey: upgrade covey, or use another database file');
    }
    if (mine.name !== row.name) {
      throw new SchemaVersionError(
        `${label}: database migration ${row.version} is "${row.name}" but this oracle's is "${mine.name}"; ` +
        'it was written by a different build of covey');
    }
  }
  const doneVersions = new Set(done.map((row) => row.version));
  return migrations.filter((m) => !doneVersions.has(m.version));
}

/**
 * Brings the database up to the newest of `migrations`, one transaction per migration. BEGIN IMMEDIATE
 * takes the write lock before the ledger is re-read, so two processes opening one fresh file cannot both
 * apply the same migration.
 */
export function migrate(db: Database, label: string, now: () => number, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(LEDGER);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)');
  const ran: number[] = [];
  for (const migration of pendingMigrations(db, label, migrations)) {
    db.transaction(() => {
      if (!pendingMigrations(db, label, migrations).some((m) => m.version === migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
      ran.push(migration.version);
    }).immediate();
  }
  return ran;
}
