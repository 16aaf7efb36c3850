-- expect: entity-attribute-value x0
-- Pairs that are part of a definition, or whose keys are defined and typed elsewhere.
CREATE TABLE contacts (id bigint PRIMARY KEY);
CREATE TABLE surveys (id bigint PRIMARY KEY);
-- Custom fields whose keys are rows of a definitions table (each with its type).
CREATE TABLE contact_attribute_keys (id bigint PRIMARY KEY, key text NOT NULL, data_type text NOT NULL);
CREATE TABLE contact_attributes (
    id bigint PRIMARY KEY,
    contact_id bigint NOT NULL REFERENCES contacts (id),
    attribute_key_id bigint NOT NULL REFERENCES contact_attribute_keys (id),
    value text NOT NULL
);
-- A survey's targeting filter: a condition on an attribute.
CREATE TABLE survey_attribute_filters (
    id bigint PRIMARY KEY,
    survey_id bigint NOT NULL REFERENCES surveys (id),
    attribute_key text NOT NULL,
    condition text NOT NULL,
    value text NOT NULL
);
-- A field mapping between two systems.
CREATE TABLE field_mappings (
    id bigint PRIMARY KEY,
    survey_id bigint NOT NULL REFERENCES surveys (id),
    source_field text NOT NULL,
    target_field text NOT NULL,
    static_value text
);
-- Labels are open key-value pairs by nature.
CREATE TABLE worker_labels (worker_id bigint NOT NULL, key text NOT NULL, value text, PRIMARY KEY (worker_id, key));
