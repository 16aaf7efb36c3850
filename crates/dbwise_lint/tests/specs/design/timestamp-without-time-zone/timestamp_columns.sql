-- expect: timestamp-without-time-zone x3
CREATE TABLE events (
    id bigint PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    happened_at timestamp NOT NULL,
    recorded_at timestamp(3) without time zone,
    reminders timestamp[]
);
