-- expect: entity-attribute-value x2
CREATE TABLE products (id bigint PRIMARY KEY);
CREATE TABLE product_attributes (
    product_id bigint NOT NULL REFERENCES products (id),
    attribute text NOT NULL,
    value text,
    PRIMARY KEY (product_id, attribute)
);
CREATE TABLE attributes (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE user_properties (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    attribute_id bigint NOT NULL REFERENCES attributes (id),
    "propertyValue" jsonb
);
