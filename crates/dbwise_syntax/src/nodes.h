/* The libpg_query and PostgreSQL declarations that build.rs turns into Rust. */
#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "pg_query.h"
#include "pg_query_internal.h"
