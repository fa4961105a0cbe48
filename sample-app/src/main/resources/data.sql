INSERT INTO retailers (code, name, email) VALUES
    ('acme', 'Acme Corner Shop', 'orders@acme.example'),
    ('bluebird', 'Bluebird Books', 'hello@bluebird.example'),
    ('northwind', 'Northwind Traders', 'sales@northwind.example'),
    ('sunrise', 'Sunrise Bakery', 'bakery@sunrise.example')
ON CONFLICT (code) DO NOTHING;

-- Counts only the orders this run really inserted, so a restart keeps total_orders right.
WITH seed (reference, retailer_code, amount, currency, status, age) AS (
    VALUES ('SEED-0001', 'acme', 129.90, 'USD', 'DELIVERED', INTERVAL '6 days'),
           ('SEED-0002', 'acme', 42.50, 'USD', 'SHIPPED', INTERVAL '3 days'),
           ('SEED-0003', 'bluebird', 18.00, 'EUR', 'DELIVERED', INTERVAL '5 days'),
           ('SEED-0004', 'northwind', 860.00, 'USD', 'PENDING', INTERVAL '1 day'),
           ('SEED-0005', 'sunrise', 23.75, 'GBP', 'PENDING', INTERVAL '2 hours')
), inserted AS (
    INSERT INTO orders (retailer_id, amount, currency, status, reference, created_at)
    SELECT r.id, s.amount, s.currency, s.status, s.reference, now() - s.age
    FROM seed s JOIN retailers r ON r.code = s.retailer_code
    ON CONFLICT (reference) DO NOTHING
    RETURNING retailer_id
)
UPDATE retailers r SET total_orders = r.total_orders + i.added
FROM (SELECT retailer_id, count(*) AS added FROM inserted GROUP BY retailer_id) i
WHERE r.id = i.retailer_id;
