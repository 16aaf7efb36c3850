DROP TABLE loyalty_accounts;
