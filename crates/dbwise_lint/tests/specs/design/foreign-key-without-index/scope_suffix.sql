-- expect: foreign-key-without-index x1
-- rows: clients=100000, codes=100000, grants=100000, flows=100000
-- Every index of clients and codes ends with the network id that scopes its keys: no query
-- looks rows up by the network alone.
CREATE TABLE networks (id uuid PRIMARY KEY);
CREATE TABLE clients (
    id text NOT NULL,
    nid uuid NOT NULL REFERENCES networks (id),
    owner text,
    PRIMARY KEY (id, nid)
);
CREATE INDEX clients_owner_idx ON clients (owner, nid);
CREATE TABLE codes (
    signature text NOT NULL,
    nid uuid NOT NULL REFERENCES networks (id),
    PRIMARY KEY (signature, nid)
);
CREATE UNIQUE INDEX codes_signature_uq ON codes (signature, nid);
-- Here half the indexes leave the network out: rows may be looked up without it, and the key is
-- reported.
CREATE TABLE grants (
    id text NOT NULL,
    nid uuid NOT NULL REFERENCES networks (id),
    subject text,
    PRIMARY KEY (id, nid)
);
CREATE INDEX grants_subject_idx ON grants (subject);
-- Two of three indexes scope by the network, the primary key among them: most lookups do.
CREATE TABLE flows (
    id text NOT NULL,
    nid uuid NOT NULL REFERENCES networks (id),
    client text,
    PRIMARY KEY (id, nid)
);
CREATE INDEX flows_client_idx ON flows (client, nid);
CREATE INDEX flows_client_only_idx ON flows (client);
