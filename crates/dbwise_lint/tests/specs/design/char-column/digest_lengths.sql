-- expect: char-column x1
-- A base64 SHA-256 (44), a hex SHA-256 (64) and a JWT id kept as a UUID string (36) are
-- written at full length; a display name in char(64) is prose and gets padded.
CREATE TABLE media (id bigint PRIMARY KEY, sha_256_hash char(44) NOT NULL, step char(64) NOT NULL);
CREATE TABLE identity_verification (id bigint PRIMARY KEY, jti character(36) NOT NULL);
CREATE TABLE profiles (id bigint PRIMARY KEY, display_name char(64) NOT NULL);
