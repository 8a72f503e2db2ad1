-- The fleet's tables in the embedded SQLite file, exactly as earlier builds created them (existing files open
-- unchanged). Applied at every start inside one write transaction; FleetDatabase adds the columns later builds
-- introduced (rollout_devices.group_number) where an older file lacks them. postgres.sql is the same schema.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (
  model_id TEXT NOT NULL, version INTEGER NOT NULL, artifact BLOB NOT NULL, sha256 BLOB NOT NULL,
  shape TEXT NOT NULL, preset TEXT NOT NULL, levels INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  PRIMARY KEY (model_id, version));
CREATE TABLE IF NOT EXISTS devices (
  device_id TEXT PRIMARY KEY, token_sha256 BLOB, registered_ms INTEGER NOT NULL,
  model_id TEXT NOT NULL DEFAULT '', model_version INTEGER NOT NULL DEFAULT 0, image_sha256 BLOB,
  shape TEXT NOT NULL DEFAULT 'none', preset TEXT NOT NULL DEFAULT '', last_seen_ms INTEGER,
  failed_devices INTEGER NOT NULL DEFAULT 0, total_devices INTEGER NOT NULL DEFAULT 0,
  lifetime_energy_fj REAL NOT NULL DEFAULT 0, temperature_k REAL);
CREATE TABLE IF NOT EXISTS rollouts (
  rollout_id TEXT PRIMARY KEY, model_id TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rollout_devices (
  rollout_id TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, update_id TEXT, reason TEXT,
  PRIMARY KEY (rollout_id, device_id));
CREATE INDEX IF NOT EXISTS rollout_devices_pending ON rollout_devices (device_id, status);
CREATE TABLE IF NOT EXISTS updates (
  update_id TEXT PRIMARY KEY, rollout_id TEXT, device_id TEXT NOT NULL, model_id TEXT NOT NULL,
  base_version INTEGER NOT NULL, new_version INTEGER NOT NULL, kind TEXT NOT NULL, bytes INTEGER NOT NULL,
  synapses_changed INTEGER NOT NULL, estimated_pulses INTEGER NOT NULL, estimated_energy_fj REAL NOT NULL,
  status TEXT NOT NULL, reason TEXT, created_ms INTEGER NOT NULL, acked_ms INTEGER,
  pulses INTEGER, energy_fj REAL, programming_seconds REAL, signed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS updates_rollout ON updates (rollout_id);
CREATE INDEX IF NOT EXISTS updates_device ON updates (device_id);
CREATE TABLE IF NOT EXISTS energy_ledger (
  device_id TEXT NOT NULL, unix_ms INTEGER NOT NULL, update_id TEXT, programming_pulses INTEGER NOT NULL,
  initialization_pulses INTEGER NOT NULL, reads INTEGER NOT NULL, energy_fj REAL NOT NULL);
CREATE TABLE IF NOT EXISTS telemetry_history (
  device_id TEXT NOT NULL, unix_ms INTEGER NOT NULL, model_version INTEGER NOT NULL, failed_devices INTEGER NOT NULL,
  total_devices INTEGER NOT NULL, lifetime_energy_fj REAL NOT NULL, temperature_k REAL);
CREATE INDEX IF NOT EXISTS telemetry_history_device ON telemetry_history (device_id, unix_ms);
CREATE TABLE IF NOT EXISTS rollout_controls (rollout_id TEXT PRIMARY KEY, state TEXT NOT NULL, changed_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS devices_version ON devices (model_id, model_version);
CREATE INDEX IF NOT EXISTS updates_acked ON updates (acked_ms);
CREATE TABLE IF NOT EXISTS rollout_stages (
  rollout_id TEXT PRIMARY KEY, groups INTEGER NOT NULL, open_groups INTEGER NOT NULL, success_threshold REAL NOT NULL,
  error_threshold REAL NOT NULL, dynamic INTEGER NOT NULL, stop_reason TEXT);
CREATE TABLE IF NOT EXISTS delegations (version INTEGER PRIMARY KEY, signed BLOB NOT NULL, root_der BLOB NOT NULL, installed_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS device_certificates (device_id TEXT PRIMARY KEY, cert_sha256 BLOB NOT NULL, issued_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS operators (name TEXT PRIMARY KEY, role TEXT NOT NULL, token_sha256 BLOB NOT NULL UNIQUE, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, unix_ms INTEGER NOT NULL, operator TEXT NOT NULL, role TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, remote TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS user_samples (
  user_id TEXT NOT NULL, split TEXT NOT NULL, count INTEGER NOT NULL, images BLOB NOT NULL, labels BLOB NOT NULL,
  uploaded_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS user_personalizations (
  user_id TEXT NOT NULL, model_id TEXT NOT NULL, version INTEGER NOT NULL, base_accuracy REAL NOT NULL,
  personal_accuracy REAL NOT NULL, evaluated_with TEXT NOT NULL, synapses_changed INTEGER NOT NULL,
  synapses_total INTEGER NOT NULL, pulses REAL NOT NULL, energy_fj REAL NOT NULL, full_energy_fj REAL NOT NULL,
  bytes INTEGER NOT NULL, budget_fj REAL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS personalization_curves (
  user_id TEXT NOT NULL, created_ms INTEGER NOT NULL, energy_fraction REAL NOT NULL, energy_fj REAL NOT NULL,
  synapses_changed INTEGER NOT NULL, accuracy REAL NOT NULL);
CREATE INDEX IF NOT EXISTS personalization_curves_user ON personalization_curves (user_id, created_ms);
-- The embedded node's Orleans grain state and reminders (Cluster/SqliteGrainStorage, Cluster/SqliteReminderTable);
-- a cluster keeps them in Orleans' own PostgreSQL tables (Cluster/Schema).
CREATE TABLE IF NOT EXISTS grain_state (
  state_name TEXT NOT NULL, grain_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL,
  PRIMARY KEY (state_name, grain_id));
CREATE TABLE IF NOT EXISTS reminders (
  grain_id TEXT NOT NULL, reminder_name TEXT NOT NULL, grain_hash INTEGER NOT NULL, start_unix_ms INTEGER NOT NULL,
  period_ms INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (grain_id, reminder_name));
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '1');
