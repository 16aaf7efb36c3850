-- roles: table=audit_log index=audit_log_id_idx
CREATE TABLE audit_log (id int NOT NULL, message text);
INSERT INTO audit_log VALUES (1, 'x');
CREATE INDEX audit_log_id_idx ON audit_log (id);
-- check
CLUSTER audit_log USING audit_log_id_idx;
