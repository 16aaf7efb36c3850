-- expect: cartesian-join x1
SELECT o.id, c.email FROM orders o, customers c WHERE o.status = 'new';
