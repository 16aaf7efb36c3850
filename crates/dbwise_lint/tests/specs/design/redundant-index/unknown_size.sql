-- expect: redundant-index x2
-- A left prefix still serves its queries a little faster than the wider index, and writing
-- it costs something only on a large table: on boards, whose size nothing shows, it is counted
-- in a note. An exact duplicate is waste on any table, and a prefix on a table of records
-- that grow with use (card_activities) is listed.
CREATE TABLE boards (id bigint PRIMARY KEY, workspace_id bigint, slug text);
CREATE INDEX boards_workspace_idx ON boards (workspace_id);
CREATE UNIQUE INDEX boards_workspace_slug_key ON boards (workspace_id, slug);
CREATE INDEX boards_slug_idx ON boards (workspace_id, slug);
CREATE TABLE card_activities (id bigint PRIMARY KEY, card_id bigint, created_at timestamptz);
CREATE INDEX card_activities_card_idx ON card_activities (card_id);
CREATE INDEX card_activities_card_created_idx ON card_activities (card_id, created_at);
