-- expect: entity-attribute-value x2
CREATE TABLE products (id bigint PRIMARY KEY);
CREATE TABLE product_attributes (
    product_id bigint NOT NULL REFERENCES products (id),
    attribute text NOT NULL,
    value text,
    PRIMARY KEY (product_id, attribute)
);
-- An attribute id with no table of definitions behind it.
CREATE TABLE user_properties (
    id bigint PRIMARY KEY,
    user_id bigint NOT NULL,
    attribute_id bigint NOT NULL,
    "propertyValue" jsonb
);
