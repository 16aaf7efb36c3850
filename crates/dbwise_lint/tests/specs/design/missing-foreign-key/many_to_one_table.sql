-- expect: missing-foreign-key x2
-- Six declared keys to users, and five newer tables whose user_id has none: one finding that
-- lists the five. One loose reference to teams, which has two declared keys, stays its own.
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE teams (id bigint PRIMARY KEY);
CREATE TABLE a1 (id bigint PRIMARY KEY, user_id bigint REFERENCES users, team_id bigint REFERENCES teams);
CREATE TABLE a2 (id bigint PRIMARY KEY, user_id bigint REFERENCES users, team_id bigint REFERENCES teams);
CREATE TABLE a3 (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
CREATE TABLE a4 (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
CREATE TABLE a5 (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
CREATE TABLE a6 (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
CREATE TABLE trash (id bigint PRIMARY KEY, user_id bigint NOT NULL);
CREATE TABLE bonuses (id bigint PRIMARY KEY, user_id bigint NOT NULL);
CREATE TABLE referral_codes (code text PRIMARY KEY, user_id bigint NOT NULL);
CREATE TABLE comments (id bigint PRIMARY KEY, user_id bigint NOT NULL, team_id bigint);
CREATE TABLE reactions (id bigint PRIMARY KEY, user_id bigint NOT NULL);
