-- expect: none
-- Identifiers generated at one length: ULIDs, and a hash used as a key.
CREATE TABLE features (
    id character(26) PRIMARY KEY,
    namespace text NOT NULL
);
CREATE TABLE entitlements (
    id character(26) PRIMARY KEY,
    feature_id character(26) NOT NULL REFERENCES features (id),
    subject_key text NOT NULL
);
CREATE TABLE blobs (
    digest char(40) PRIMARY KEY,
    owner char(26) REFERENCES features (id)
);
