-- The fleet's tables on PostgreSQL: the schema of sqlite.sql in PostgreSQL's types (BYTEA for BLOB, DOUBLE PRECISION
-- for REAL, BIGINT for SQLite's 64-bit INTEGER). Where the code orders or picks rows by SQLite's implicit rowid, the
-- table has an explicit identity column of that name, last, so the same queries (and INSERTs that list no columns)
-- run on both. Applied at every start inside one transaction holding the schema lock, so servers starting together
-- apply it once.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (
  model_id TEXT NOT NULL, version BIGINT NOT NULL, artifact BYTEA NOT NULL, sha256 BYTEA NOT NULL,
  shape TEXT NOT NULL, preset TEXT NOT NULL, levels BIGINT NOT NULL, created_ms BIGINT NOT NULL,
  PRIMARY KEY (model_id, version));
CREATE TABLE IF NOT EXISTS devices (
  device_id TEXT PRIMARY KEY, token_sha256 BYTEA, registered_ms BIGINT NOT NULL,
  model_id TEXT NOT NULL DEFAULT '', model_version BIGINT NOT NULL DEFAULT 0, image_sha256 BYTEA,
  shape TEXT NOT NULL DEFAULT 'none', preset TEXT NOT NULL DEFAULT '', last_seen_ms BIGINT,
  failed_devices BIGINT NOT NULL DEFAULT 0, total_devices BIGINT NOT NULL DEFAULT 0,
  lifetime_energy_fj DOUBLE PRECISION NOT NULL DEFAULT 0, temperature_k DOUBLE PRECISION);
CREATE TABLE IF NOT EXISTS rollouts (
  rollout_id TEXT PRIMARY KEY, model_id TEXT NOT NULL, version BIGINT NOT NULL, created_ms BIGINT NOT NULL,
  rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE TABLE IF NOT EXISTS rollout_devices (
  rollout_id TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, update_id TEXT, reason TEXT,
  group_number BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (rollout_id, device_id));
CREATE INDEX IF NOT EXISTS rollout_devices_pending ON rollout_devices (device_id, status);
CREATE INDEX IF NOT EXISTS rollout_devices_group ON rollout_devices (rollout_id, group_number, status);
CREATE TABLE IF NOT EXISTS updates (
  update_id TEXT PRIMARY KEY, rollout_id TEXT, device_id TEXT NOT NULL, model_id TEXT NOT NULL,
  base_version BIGINT NOT NULL, new_version BIGINT NOT NULL, kind TEXT NOT NULL, bytes BIGINT NOT NULL,
  synapses_changed BIGINT NOT NULL, estimated_pulses BIGINT NOT NULL, estimated_energy_fj DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL, reason TEXT, created_ms BIGINT NOT NULL, acked_ms BIGINT,
  pulses BIGINT, energy_fj DOUBLE PRECISION, programming_seconds DOUBLE PRECISION, signed BYTEA NOT NULL,
  rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE INDEX IF NOT EXISTS updates_rollout ON updates (rollout_id);
CREATE INDEX IF NOT EXISTS updates_device ON updates (device_id);
CREATE INDEX IF NOT EXISTS updates_acked ON updates (acked_ms);
CREATE TABLE IF NOT EXISTS energy_ledger (
  device_id TEXT NOT NULL, unix_ms BIGINT NOT NULL, update_id TEXT, programming_pulses BIGINT NOT NULL,
  initialization_pulses BIGINT NOT NULL, reads BIGINT NOT NULL, energy_fj DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS telemetry_history (
  device_id TEXT NOT NULL, unix_ms BIGINT NOT NULL, model_version BIGINT NOT NULL, failed_devices BIGINT NOT NULL,
  total_devices BIGINT NOT NULL, lifetime_energy_fj DOUBLE PRECISION NOT NULL, temperature_k DOUBLE PRECISION,
  rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE INDEX IF NOT EXISTS telemetry_history_device ON telemetry_history (device_id, unix_ms);
CREATE TABLE IF NOT EXISTS rollout_controls (rollout_id TEXT PRIMARY KEY, state TEXT NOT NULL, changed_ms BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS devices_version ON devices (model_id, model_version);
CREATE TABLE IF NOT EXISTS rollout_stages (
  rollout_id TEXT PRIMARY KEY, groups BIGINT NOT NULL, open_groups BIGINT NOT NULL, success_threshold DOUBLE PRECISION NOT NULL,
  error_threshold DOUBLE PRECISION NOT NULL, dynamic BIGINT NOT NULL, stop_reason TEXT);
CREATE TABLE IF NOT EXISTS delegations (version BIGINT PRIMARY KEY, signed BYTEA NOT NULL, root_der BYTEA NOT NULL, installed_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS device_certificates (device_id TEXT PRIMARY KEY, cert_sha256 BYTEA NOT NULL, issued_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS operators (name TEXT PRIMARY KEY, role TEXT NOT NULL, token_sha256 BYTEA NOT NULL UNIQUE, created_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, unix_ms BIGINT NOT NULL, operator TEXT NOT NULL, role TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, remote TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE OR REPLACE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE OR REPLACE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, created_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS user_samples (
  user_id TEXT NOT NULL, split TEXT NOT NULL, count BIGINT NOT NULL, images BYTEA NOT NULL, labels BYTEA NOT NULL,
  uploaded_ms BIGINT NOT NULL, rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE TABLE IF NOT EXISTS user_personalizations (
  user_id TEXT NOT NULL, model_id TEXT NOT NULL, version BIGINT NOT NULL, base_accuracy DOUBLE PRECISION NOT NULL,
  personal_accuracy DOUBLE PRECISION NOT NULL, evaluated_with TEXT NOT NULL, synapses_changed BIGINT NOT NULL,
  synapses_total BIGINT NOT NULL, pulses DOUBLE PRECISION NOT NULL, energy_fj DOUBLE PRECISION NOT NULL,
  full_energy_fj DOUBLE PRECISION NOT NULL, bytes BIGINT NOT NULL, budget_fj DOUBLE PRECISION, created_ms BIGINT NOT NULL,
  rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE TABLE IF NOT EXISTS personalization_curves (
  user_id TEXT NOT NULL, created_ms BIGINT NOT NULL, energy_fraction DOUBLE PRECISION NOT NULL, energy_fj DOUBLE PRECISION NOT NULL,
  synapses_changed BIGINT NOT NULL, accuracy DOUBLE PRECISION NOT NULL, rowid BIGINT GENERATED ALWAYS AS IDENTITY);
CREATE INDEX IF NOT EXISTS personalization_curves_user ON personalization_curves (user_id, created_ms);
INSERT INTO meta (key, value) VALUES ('schema_version', '1') ON CONFLICT DO NOTHING;
-- The device's latest temperature reading moved into its row (the update builder read it from the history, one
-- statement an update): a database from before gets the column and each device's newest reading from its history.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'devices' AND column_name = 'temperature_k') THEN
    ALTER TABLE devices ADD COLUMN temperature_k DOUBLE PRECISION;
    UPDATE devices d SET temperature_k = (SELECT h.temperature_k FROM telemetry_history h
      WHERE h.device_id = d.device_id AND h.temperature_k IS NOT NULL ORDER BY h.unix_ms DESC, h.rowid DESC LIMIT 1);
  END IF;
END
$$;
