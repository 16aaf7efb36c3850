-- roles: table=audit_log
CREATE TABLE audit_log (id int NOT NULL, message text);
INSERT INTO audit_log VALUES (1, 'x');
-- check
VACUUM FULL audit_log;
