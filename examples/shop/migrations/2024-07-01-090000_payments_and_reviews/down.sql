DROP TABLE newsletter_subscribers;
DROP TABLE product_properties;
DROP TABLE product_reviews;
DROP TABLE payments;
