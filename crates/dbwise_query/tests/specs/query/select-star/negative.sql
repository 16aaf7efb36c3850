-- expect: none
SELECT id, total FROM orders o
 WHERE EXISTS (SELECT * FROM items i WHERE i.order_id = o.id);
SELECT count(*) FROM orders;
