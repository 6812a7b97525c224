-- The embedded demo warehouse: a small SaaS company's customers, accounts and orders.
-- Syncline runs this script into a SQLite file on first use and reads it back through the
-- SQLite3 ODBC driver like any other warehouse. Deterministic: the same rows every time.
-- About 10,000 customers, 1,200 accounts and 40,000 orders, plus a few dirty rows on purpose
-- (a NULL email, a duplicated customer id) so validation has something to show.
-- Bump the version below when the data changes: Syncline regenerates older demo files.

PRAGMA user_version = 1;

CREATE TABLE accounts (
    id           INTEGER NOT NULL,
    name         TEXT NOT NULL,
    domain       TEXT NOT NULL,
    industry     TEXT NOT NULL,
    country      TEXT NOT NULL,
    employees    INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL     -- YYYY-MM-DD HH:MM:SS, UTC
);

-- Like many warehouse tables, customers has no enforced primary key: that is how the
-- duplicated id below got in, and why Syncline checks keys before it sends anything.
CREATE TABLE customers (
    id            INTEGER,
    account_id    INTEGER,
    email         TEXT,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    plan          TEXT NOT NULL,        -- free, starter, pro, enterprise
    country       TEXT NOT NULL,
    signup_date   DATE NOT NULL,        -- YYYY-MM-DD
    last_seen_at  TIMESTAMP NOT NULL,   -- YYYY-MM-DD HH:MM:SS, UTC
    is_active     BOOLEAN NOT NULL,     -- 0/1
    seats         INTEGER NOT NULL,
    lifetime_value NUMERIC(12,2) NOT NULL -- dollars and cents
);

CREATE TABLE orders (
    id            INTEGER NOT NULL PRIMARY KEY,
    customer_id   INTEGER NOT NULL,
    ordered_at    TIMESTAMP NOT NULL,   -- YYYY-MM-DD HH:MM:SS, UTC
    status        TEXT NOT NULL,        -- paid, refunded, pending
    amount        NUMERIC(12,2) NOT NULL,
    currency      TEXT NOT NULL
);

CREATE TEMP TABLE first_names (n INTEGER PRIMARY KEY, v TEXT);
CREATE TEMP TABLE last_names (n INTEGER PRIMARY KEY, v TEXT);
-- Email addresses use plain ASCII: strip the accents of the names above.
CREATE TEMP TABLE ascii_map (accented TEXT, plain TEXT);
INSERT INTO ascii_map VALUES ('ã','a'),('á','a'),('í','i'),('é','e'),('è','e'),('ë','e'),('ö','o'),
                             ('ü','u'),('ó','o'),('ñ','n'),('''',''),(' ','');
CREATE TEMP TABLE word_a (n INTEGER PRIMARY KEY, v TEXT);
CREATE TEMP TABLE word_b (n INTEGER PRIMARY KEY, v TEXT);

INSERT INTO first_names (n, v) SELECT key, value FROM json_each('[
 "Olivia","Liam","Emma","Noah","Amelia","Oliver","Ava","Elijah","Sophia","Lucas","Mia","Mateo",
 "Isabella","Levi","Charlotte","Asher","Harper","James","Evelyn","Leo","Luna","Ethan","Camila","Aiden",
 "Sofia","Wei","Priya","Arjun","Yuki","Hana","Kenji","Fatima","Omar","Aisha","Youssef","Lena","Jonas",
 "Emil","Ingrid","Freya","Mateus","Ana","João","Lucía","Diego","Chloé","Léa","Hugo","Zoë","Björn",
 "Siobhán","Niamh","Tomás","Kofi","Amara","Chidi","Nia","Dmitri","Anya","Zoltán"]');

INSERT INTO last_names (n, v) SELECT key, value FROM json_each('[
 "Smith","Johnson","Williams","Brown","Jones","Garcia","Miller","Davis","Rodriguez","Martinez",
 "Hernandez","Lopez","Gonzalez","Wilson","Anderson","Thomas","Taylor","Moore","Jackson","Martin",
 "Lee","Perez","Thompson","White","Harris","Clark","Lewis","Robinson","Walker","Young","Chen","Wang",
 "Kim","Nguyen","Patel","Singh","Tanaka","Sato","Müller","Schmidt","Schneider","Fischer","Dubois",
 "Lefèvre","Rossi","Bianchi","Silva","Santos","Kowalski","Nowak","Novák","Jensen","Nielsen","Hansen",
 "O''Brien","Murphy","Okafor","Mensah","Ivanova","Horváth"]');

ALTER TABLE first_names ADD COLUMN plain TEXT;
ALTER TABLE last_names ADD COLUMN plain TEXT;
-- strip the accents, one character of ascii_map per step of the recursion
UPDATE first_names SET plain = (
    WITH RECURSIVE r(k, t) AS (SELECT 0, first_names.v
                               UNION ALL
                               SELECT k + 1, replace(t, m.accented, m.plain)
                               FROM r JOIN ascii_map m ON m.rowid = r.k + 1)
    SELECT t FROM r ORDER BY k DESC LIMIT 1);
UPDATE last_names SET plain = (
    WITH RECURSIVE r(k, t) AS (SELECT 0, last_names.v
                               UNION ALL
                               SELECT k + 1, replace(t, m.accented, m.plain)
                               FROM r JOIN ascii_map m ON m.rowid = r.k + 1)
    SELECT t FROM r ORDER BY k DESC LIMIT 1);

INSERT INTO word_a (n, v) SELECT key, value FROM json_each('[
 "Blue","Bright","Cedar","Clear","Copper","Delta","Eastern","Falcon","Granite","Harbor","Iron",
 "Juniper","Lumen","Maple","Nimbus","North","Oak","Orbit","Pine","Quartz","River","Silver","Summit",
 "Tidal","Vertex","Willow","Zenith","Atlas","Beacon","Crimson"]');

INSERT INTO word_b (n, v) SELECT key, value FROM json_each('[
 "Labs","Systems","Analytics","Logistics","Health","Foods","Energy","Capital","Robotics","Studio",
 "Works","Partners","Networks","Bio","Retail","Media","Cloud","Mobility","Security","Learning"]');

-- 1,200 accounts.
INSERT INTO accounts (id, name, domain, industry, country, employees, created_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1200)
SELECT i,
       a.v || ' ' || b.v || CASE WHEN i > 600 THEN ' ' || (i % 97) ELSE '' END,
       lower(a.v || b.v) || CASE WHEN i > 600 THEN (i % 97) ELSE '' END || '.example',
       json_extract('["Software","Retail","Healthcare","Finance","Manufacturing","Education","Media","Logistics"]',
                    '$[' || ((i * 7) % 8) || ']'),
       json_extract('["US","US","US","GB","DE","FR","CA","BR","IN","JP","NL","SE","ES","AU"]',
                    '$[' || ((i * 11) % 14) || ']'),
       5 + ((i * 7919) % 4995),
       strftime('%Y-%m-%d %H:%M:%S', '2018-01-01', '+' || ((i * 104729) % 2400) || ' days',
                '+' || ((i * 3571) % 86400) || ' seconds')
FROM seq
JOIN word_a a ON a.n = (i * 13) % 30
JOIN word_b b ON b.n = (i * 17) % 20;

-- 10,000 customers.
INSERT INTO customers (id, account_id, email, first_name, last_name, plan, country, signup_date,
                       last_seen_at, is_active, seats, lifetime_value)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 10000),
     people AS (
        SELECT i,
               f.v AS first_name,
               l.v AS last_name,
               f.plain AS first_plain,
               l.plain AS last_plain,
               1 + ((i * 31) % 1200) AS account_id,
               (i * 2654435761) % 100 AS plan_roll
        FROM seq
        JOIN first_names f ON f.n = (i * 7) % 60
        JOIN last_names l ON l.n = (i * 13 + i / 60) % 60)
SELECT i,
       account_id,
       lower(first_plain) || '.' || lower(last_plain) || i || '@' ||
           (SELECT domain FROM accounts WHERE accounts.id = account_id),
       first_name,
       last_name,
       CASE WHEN plan_roll < 45 THEN 'free' WHEN plan_roll < 75 THEN 'starter'
            WHEN plan_roll < 93 THEN 'pro' ELSE 'enterprise' END,
       (SELECT country FROM accounts WHERE accounts.id = account_id),
       date('2019-01-01', '+' || ((i * 7877) % 2500) || ' days'),
       strftime('%Y-%m-%d %H:%M:%S', '2025-01-01', '+' || ((i * 104723) % 330) || ' days',
                '+' || ((i * 7919) % 86400) || ' seconds'),
       CASE WHEN (i * 37) % 100 < 82 THEN 1 ELSE 0 END,
       CASE WHEN plan_roll < 45 THEN 1 WHEN plan_roll < 75 THEN 1 + (i % 5)
            WHEN plan_roll < 93 THEN 5 + (i % 45) ELSE 50 + (i % 450) END,
       round(CASE WHEN plan_roll < 45 THEN 0
                  WHEN plan_roll < 75 THEN 19 * (1 + (i * 13) % 36)
                  WHEN plan_roll < 93 THEN 99 * (1 + (i * 17) % 48) + ((i * 7) % 100) / 100.0
                  ELSE 1500 * (1 + (i * 19) % 60) + ((i * 11) % 100) / 100.0 END, 2)
FROM people;

-- Dirty rows, on purpose: a customer without an email, and a second row with an existing id.
UPDATE customers SET email = NULL WHERE id = 4242;
INSERT INTO customers (id, account_id, email, first_name, last_name, plan, country, signup_date,
                       last_seen_at, is_active, seats, lifetime_value)
SELECT id, account_id, 'duplicate.' || email, first_name, last_name, 'pro', country, signup_date,
       last_seen_at, is_active, seats + 1, lifetime_value + 99
FROM customers WHERE id = 777;

-- 40,000 orders.
INSERT INTO orders (id, customer_id, ordered_at, status, amount, currency)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 40000)
SELECT i,
       1 + ((i * 7919) % 10000),
       strftime('%Y-%m-%d %H:%M:%S', '2023-01-01', '+' || ((i * 104729) % 1000) || ' days',
                '+' || ((i * 15485863) % 86400) || ' seconds'),
       CASE WHEN (i * 31) % 100 < 90 THEN 'paid' WHEN (i * 31) % 100 < 96 THEN 'pending' ELSE 'refunded' END,
       round(9 + ((i * 2654435761) % 50000) / 100.0, 2),
       CASE WHEN (i * 13) % 10 < 7 THEN 'USD' WHEN (i * 13) % 10 < 9 THEN 'EUR' ELSE 'GBP' END
FROM seq;

CREATE INDEX orders_customer ON orders (customer_id);

-- A view a model can use as-is: one row per customer with their order totals.
CREATE VIEW customer_summary AS
SELECT c.id, c.email, c.first_name, c.last_name, c.plan, c.country, c.lifetime_value,
       a.name AS account_name,
       count(o.id) AS orders,
       coalesce(sum(CASE WHEN o.status = 'paid' THEN o.amount END), 0) AS paid_total,
       max(o.ordered_at) AS last_order_at
FROM customers c
LEFT JOIN accounts a ON a.id = c.account_id
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.email, c.first_name, c.last_name, c.plan, c.country, c.lifetime_value, a.name;

DROP TABLE ascii_map;
DROP TABLE first_names;
DROP TABLE last_names;
DROP TABLE word_a;
DROP TABLE word_b;
