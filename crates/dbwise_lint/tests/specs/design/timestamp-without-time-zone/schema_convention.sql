-- expect: timestamp-without-time-zone x1
-- Every time of the schema is naive and none is timestamptz: one note for the convention.
CREATE TABLE "User" (id text PRIMARY KEY, "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" timestamp(3) NOT NULL);
CREATE TABLE "Order" (id text PRIMARY KEY, "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "paidAt" timestamp(3));
