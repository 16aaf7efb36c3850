-- expect: none
SELECT id FROM customers WHERE email LIKE 'anna%';
SELECT id FROM customers WHERE email = '%literal';
